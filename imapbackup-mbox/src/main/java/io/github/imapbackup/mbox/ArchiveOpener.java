package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.codec.CodecRegistry;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.DiskErrors;
import io.github.imapbackup.mbox.internal.FileSupport;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens (and repairs) or read-only-opens the archive of one folder. */
final class ArchiveOpener {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveOpener.class);

    private final MboxStore store;
    private final FolderInfo folder;
    private final String base;
    private final Path indexFile;
    private final Path spoolFile;
    private final MessageIdExtractor extractor;

    ArchiveOpener(MboxStore store, Layout layout, FolderInfo folder, MessageIdExtractor extractor) {
        this(store, FolderPaths.baseName(folder, layout), folder, extractor);
    }

    /** Opens the files at a known place ({@link Catalogue.Entry#base()}), wherever the layout puts the folder. */
    ArchiveOpener(MboxStore store, String base, FolderInfo folder, MessageIdExtractor extractor) {
        this.store = store;
        this.extractor = extractor;
        this.folder = folder;
        this.base = base;
        this.indexFile = FolderPaths.resolve(store.root(), base + FolderPaths.INDEX_SUFFIX);
        this.spoolFile = FolderPaths.resolve(store.root(), base + ".spool");
    }

    Path mboxFile(CompressionCodec codec) {
        return FolderPaths.resolve(store.root(), base + codec.suffix());
    }

    FolderArchive open() throws BackupException {
        try {
            FileSupport.createDirectories(indexFile.getParent());
        } catch (FileAlreadyExistsException e) {
            throw new FolderException(folder.name(), "cannot create the directory " + e.getFile()
                    + ": a file of another folder has that name", e);
        } catch (IOException e) {
            throw new FolderException(folder.name(), "cannot create the directory for " + indexFile
                    + ": " + DiskErrors.why(e), e);
        }
        checkNotDirectory(indexFile);
        LockedIndex locked = null;
        FileChannel mch = null;
        Path fresh = null; // the mbox of a new archive while it is being created
        try {
            // new entries (index, mbox) are made durable by one directory sync at the end
            boolean newEntry = !Files.exists(indexFile);
            locked = LockedIndex.acquire(indexFile, folder.name());
            Files.deleteIfExists(spoolFile);
            Files.deleteIfExists(IndexCompactor.temp(indexFile)); // a rewrite cut short
            IndexCompactor.finishJournal(locked); // a leftover of the former in-place header rewrite
            MboxFolderArchive unchanged = DeferredIndex.open(this, folder, locked,
                    new MboxFolderArchive.ArchiveFiles(null, indexFile, spoolFile, store.maxExpansion()), store.clock());
            if (unchanged != null) {
                return unchanged;
            }
            FileChannel ich = locked.channel();
            IndexLoader.Loaded loaded = load(ich);
            FolderIndex index = loaded.index();
            CompressionCodec codec;
            if (index != null) {
                checkHeader(index.header);
                codec = codecOf(index.header);
                if (loaded.validEnd() < loaded.fileLength()) {
                    LOG.debug("{}: dropping {} bytes of uncommitted or torn index records", indexFile,
                            loaded.fileLength() - loaded.validEnd());
                    ich.truncate(loaded.validEnd());
                    ich.force(true);
                }
                mch = openRepairedMbox(codec, index, ich);
                if (!index.header.name().equals(folder.name())
                        || !index.header.delimiter().equals(folder.delimiter())
                        || index.header.version() < IndexFormat.VERSION
                        || !index.header.specialUse().equals(IndexRecord.Header.specialUse(folder.attributes()))) {
                    index = rename(locked, index, codec, loaded.records());
                } else if (IndexCompactor.worthIt(index, loaded.records())) {
                    compact(locked, index, loaded.records());
                }
            } else {
                List<Path> existing = existingMboxFiles();
                long size = existing.isEmpty() ? 0 : Files.size(existing.get(0));
                codec = existing.isEmpty() ? store.codec() : codecOfFile(existing.get(0));
                ich.truncate(0);
                ich.position(0);
                if (size == 0) {
                    // new archive: header first, then the mbox (a compressed one starts with an
                    // empty member, so the standard tools read it), then the commit record
                    // header and commit record become durable together (without the commit
                    // record the next open starts afresh, as the mbox is empty)
                    fresh = mboxFile(codec);
                    index = new FolderIndex(header(codec, now()));
                    write(ich, index.header);
                    checkNotDirectory(mboxFile(codec));
                    newEntry |= !Files.exists(mboxFile(codec));
                    mch = FileSupport.openWrite(mboxFile(codec), false);
                    mch.truncate(0);
                    if (!codec.suffix().isEmpty()) {
                        try (OutputStream empty = codec.compress(
                                CloseShieldOutputStream.wrap(Channels.newOutputStream(mch)))) {
                            empty.flush();
                        }
                        mch.force(true);
                    }
                    IndexRecord.Commit c = new IndexRecord.Commit(mch.size(), 0, 0, now());
                    index.apply(c);
                    write(ich, c);
                    ich.force(true);
                } else {
                    LOG.debug("{}: index {}; rebuilding it from the mbox", existing.get(0),
                            loaded.fileLength() == 0 ? "missing" : "without a commit record");
                    List<IndexRecord> records = TornEnd.rebuild(existing.get(0), codec, store.maxExpansion(),
                            header(codec, now()), extractor);
                    index = new FolderIndex((IndexRecord.Header) records.get(0));
                    for (IndexRecord r : records) {
                        if (!(r instanceof IndexRecord.Header)) {
                            index.apply(r);
                        }
                        write(ich, r);
                    }
                    ich.force(true);
                    mch = openRepairedMbox(codec, index, ich);
                }
            }
            if (newEntry) {
                FileSupport.syncDirectory(indexFile.getParent());
            }
            if (!codec.name().equals(store.codec().name())) {
                LOG.debug("{}: keeps its codec {} (the store's codec {} applies to new files)",
                        mboxFile(codec), codec.name(), store.codec().name());
            }
            return new MboxFolderArchive(folder,
                    new MboxFolderArchive.ArchiveFiles(mboxFile(codec), indexFile, spoolFile, store.maxExpansion()), codec,
                    index, mch, locked.channel(), locked.lock(), store.clock());
        } catch (IOException | RuntimeException e) {
            if (fresh != null) {
                discardNew(fresh, e);
            }
            closeAll(e, locked == null ? null : locked.lock(), mch, locked == null ? null : locked.channel());
            if (e instanceof BackupException be) {
                throw be;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new FolderException(folder.name(), "cannot open " + indexFile + ": " + DiskErrors.why((IOException) e), e);
        }
    }

    /**
     * Removes what a failed creation of a new archive (a full disk, say) wrote: an index without a
     * commit record and an mbox that holds no message, so that nothing half-made is left for
     * verify to report; the next backup creates them again. Called while the index is locked.
     */
    private void discardNew(Path mbox, Exception failure) {
        for (Path p : List.of(indexFile, mbox)) {
            try {
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(p);
                }
            } catch (IOException x) {
                failure.addSuppressed(x);
            }
        }
    }

    private IndexLoader.Loaded load(FileChannel ich) throws IOException {
        return load(ich, indexFile);
    }

    /** Reads an index through its (locked) channel, from the start. */
    static IndexLoader.Loaded load(FileChannel ich, Path indexFile) throws IOException {
        ich.position(0);
        return IndexLoader.load(new BufferedInputStream(Channels.newInputStream(ich), 1 << 16), indexFile);
    }

    /**
     * Opens the mbox for writing; bytes after the last commit are repaired ({@link TailRepair}):
     * complete messages are indexed and committed, a torn rest is set aside. Fails if the mbox is
     * shorter than committed.
     */
    private FileChannel openRepairedMbox(CompressionCodec codec, FolderIndex index, FileChannel ich)
            throws IOException {
        IndexRecord.Commit commit = index.commit();
        Path mbox = mboxFile(codec);
        checkNotDirectory(mbox);
        if (!Files.exists(mbox) && commit.mboxLength() > 0) {
            throw new MalformedMboxException(mbox, 0, "the mbox file is missing, but its index "
                    + indexFile + " records " + commit.mboxLength() + " bytes; put the mbox file back"
                    + " (from a copy), or move the index away to start this folder afresh");
        }
        FileChannel ch = FileSupport.openWrite(mbox);
        try {
            long size = ch.size();
            if (size < commit.mboxLength()) {
                throw new MalformedMboxException(mbox, size, shorter(mbox, size, commit.mboxLength()));
            }
            if (size > commit.mboxLength()) {
                repairTail(ch, mbox, codec, index, ich);
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
    }

    /** Compacts the index; when that fails, the old index stays in use. */
    private void compact(LockedIndex locked, FolderIndex index, long records) {
        try {
            IndexCompactor.compact(locked, index, index.header, records);
        } catch (IOException e) {
            LOG.debug("{}: compaction failed; the index stays as it is", indexFile, e);
        }
    }

    /**
     * Records the folder's new name, delimiter or special-use attributes (same name segments,
     * docs/FORMAT-index.md), or upgrades an index of an older version, by rewriting the index under
     * the new header; returns the index as rewritten.
     */
    private FolderIndex rename(LockedIndex locked, FolderIndex index, CompressionCodec codec, long records)
            throws IOException {
        LOG.debug("{}: the folder \"{}\" (delimiter \"{}\", {}, version {}) is now \"{}\" (delimiter \"{}\", {})",
                indexFile, index.header.name(), index.header.delimiter(), index.header.specialUse(),
                index.header.version(), folder.name(), folder.delimiter(), IndexRecord.Header.specialUse(folder.attributes()));
        IndexRecord.Header header = header(codec, index.header.since() != null ? index.header.since() : now());
        try {
            IndexCompactor.compact(locked, index, header, records);
        } catch (IOException e) {
            throw new FolderException(folder.name(), "cannot record its new name, delimiter or attributes (or"
                    + " upgrade the index to version " + IndexFormat.VERSION + ") in " + indexFile
                    + " (was \"" + index.header.name() + "\"): " + e.getMessage() + "; its messages are"
                    + " untouched, and the next backup tries again (free some space if the disk is full)", e);
        }
        FolderIndex renamed = load(locked.channel()).index();
        if (renamed == null) {
            throw new IOException("the rewritten index " + indexFile + " cannot be read back");
        }
        return renamed;
    }

    private String shorter(Path mbox, long size, long committed) {
        return "the mbox file is shorter than its index " + indexFile + " records: " + size
                + " bytes instead of " + committed + " (was it cut, or replaced by an older copy?);"
                + " put the complete mbox back, or move the index away to rebuild it from the mbox";
    }

    private void repairTail(FileChannel ch, Path mbox, CompressionCodec codec, FolderIndex index,
            FileChannel ich) throws IOException {
        IndexRecord.Commit commit = index.commit();
        TailRepair.Result r = TailRepair.repair(ch, mbox, codec, store.maxExpansion(), commit, extractor);
        // TailRepair has named the file a torn rest went to (before it cut the mbox)
        if (!r.entries().isEmpty()) {
            LOG.info("{}: {} complete messages found after the last commit (appended by another program,"
                    + " or the index is older than the mbox) are kept and indexed", mbox, r.entries().size());
        }
        ich.position(ich.size());
        int version = index.header.version(); // a version 1 index is rewritten after the repair
        for (IndexEntry e : r.entries()) {
            IndexRecord.Message m = new IndexRecord.Message(e);
            index.apply(m);
            write(ich, m, version);
        }
        IndexRecord.Commit c = new IndexRecord.Commit(r.physicalEnd(), r.logicalEnd(), index.entries().size(), now());
        index.apply(c);
        write(ich, c, version);
        ich.force(true);
    }

    Optional<FolderArchive> openReadOnly() throws BackupException {
        try {
            if (Files.isRegularFile(indexFile)) {
                IndexLoader.Loaded loaded;
                try (InputStream in = new BufferedInputStream(Files.newInputStream(indexFile), 1 << 16)) {
                    loaded = IndexLoader.load(in, indexFile);
                }
                FolderIndex index = loaded.index();
                if (index != null) {
                    checkHeader(index.header);
                    CompressionCodec codec = codecOf(index.header);
                    Path mbox = mboxFile(codec);
                    long committed = index.commit().mboxLength();
                    long size = Files.isRegularFile(mbox) ? Files.size(mbox) : -1;
                    if (size < committed) {
                        throw new MalformedMboxException(mbox, Math.max(size, 0), size < 0
                                ? "the mbox file is missing, but its index records " + committed + " bytes"
                                : shorter(mbox, size, committed));
                    }
                    return Optional.of(new MboxFolderArchive(folder,
                            new MboxFolderArchive.ArchiveFiles(mbox, indexFile, spoolFile, store.maxExpansion()), codec, index));
                }
            }
            List<Path> existing = existingMboxFiles();
            if (existing.isEmpty() || Files.size(existing.get(0)) == 0) {
                return Optional.empty();
            }
            CompressionCodec codec = codecOfFile(existing.get(0));
            List<IndexRecord> records = IndexRebuilder.scan(existing.get(0), codec, store.maxExpansion(), header(codec, now()), extractor);
            FolderIndex index = new FolderIndex((IndexRecord.Header) records.get(0));
            records.subList(1, records.size()).forEach(index::apply);
            return Optional.of(new MboxFolderArchive(folder,
                    new MboxFolderArchive.ArchiveFiles(existing.get(0), indexFile, spoolFile, store.maxExpansion()), codec, index));
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            throw new FolderException(folder.name(), "cannot read " + indexFile + ": " + e.getMessage(), e);
        }
    }

    private List<Path> existingMboxFiles() throws BackupException {
        CodecRegistry codecs = store.codecs();
        List<Path> out = new ArrayList<>();
        for (CompressionCodec c : codecs.all()) {
            Path p = mboxFile(c);
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        for (String suffix : codecs.missingSuffixes()) {
            Path p = FolderPaths.resolve(store.root(), base + suffix);
            if (Files.isRegularFile(p)) {
                throw codecs.notInstalled(suffix, p); // never a second mbox file beside it
            }
        }
        if (out.size() > 1) {
            throw new FolderException(folder.name(), "has several mbox files and no usable index: "
                    + out + "; keep one", null);
        }
        return out;
    }

    private CompressionCodec codecOfFile(Path file) throws IOException {
        CompressionCodec bySuffix = store.codecs().bySuffix(file.getFileName().toString()).orElse(Codecs.NONE);
        if (Files.size(file) > 0) {
            CompressionCodec detected = store.codecs().detect(file);
            if (!detected.name().equals(bySuffix.name())) {
                throw new MalformedMboxException(file, 0, "the file name says " + bySuffix.name()
                        + " but the content is " + detected.name());
            }
        }
        bySuffix.requireAvailable();
        return bySuffix;
    }

    /** Returns the codec an index records, when this store knows it and its library is here. */
    CompressionCodec codecOf(IndexRecord.Header h) throws BackupException {
        CompressionCodec codec = store.codecs().find(h.codec())
                .orElseThrow(() -> store.codecs().notInstalled(h.codec(), indexFile));
        codec.requireAvailable();
        return codec;
    }

    /**
     * Checks that the index belongs to the folder: the same name, or the same name segments under
     * another delimiter (docs/FORMAT-index.md: a server whose delimiter changed keeps its folders' files).
     */
    private void checkHeader(IndexRecord.Header h) throws FolderException {
        if (!sameFolder(h, folder)) {
            throw new FolderException(folder.name(), "its file name is taken: " + indexFile
                    + " belongs to the folder \"" + h.name() + "\"", null);
        }
    }

    /** Returns whether an index header names this folder: same name, or same name segments. */
    static boolean sameFolder(IndexRecord.Header h, FolderInfo folder) {
        return h.name().equals(folder.name()) || FolderPaths.split(h.name(), h.delimiter())
                .equals(FolderPaths.split(folder.name(), folder.delimiter()));
    }

    private void checkNotDirectory(Path p) throws FolderException {
        if (Files.isDirectory(p)) {
            throw new FolderException(folder.name(), "its file " + p
                    + " is a directory of another folder", null);
        }
    }

    private static void write(FileChannel ch, IndexRecord r) throws IOException {
        write(ch, r, IndexFormat.VERSION);
    }

    private static void write(FileChannel ch, IndexRecord r, int version) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(IndexFormat.line(r, version));
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    private IndexRecord.Header header(CompressionCodec codec, java.time.Instant since) {
        return new IndexRecord.Header(IndexFormat.VERSION, codec.name(), folder.delimiter(), folder.name(), since,
                IndexRecord.Header.specialUse(folder.attributes()));
    }

    private java.time.Instant now() {
        return ArchiveWriter.now(store.clock());
    }

    private static void closeAll(Exception e, FileLock lock, FileChannel... channels) {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException x) {
            e.addSuppressed(x);
        }
        for (FileChannel ch : channels) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException x) {
                    e.addSuppressed(x);
                }
            }
        }
    }

    /** Lists the folders of a backup directory from the header records of their indexes. */
    static List<FolderInfo> folders(Path root) throws BackupException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<FolderInfo> out = new ArrayList<>();
        for (Path index : indexFiles(root)) {
            IndexRecord.Header h = readHeader(index);
            if (h != null) {
                out.add(new FolderInfo(h.name(), h.delimiter(), h.specialUse(), false));
            } else {
                LOG.debug("{}: no valid header record; skipped", index);
            }
        }
        out.sort(Comparator.comparing(FolderInfo::name));
        return out;
    }

    /** Returns every index file under {@code root}, sorted. */
    static List<Path> indexFiles(Path root) throws BackupException {
        String suffix = FolderPaths.MBOX_SUFFIX + FolderPaths.INDEX_SUFFIX;
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BackupException("cannot list the backup directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** Reads the first record of an index file; null when it is not a valid header. */
    static IndexRecord.Header readHeader(Path index) throws BackupException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(index), 8192)) {
            byte[] line = new byte[1 << 16];
            int n = 0;
            int c;
            while ((c = in.read()) >= 0 && c != '\n' && n < line.length) {
                line[n++] = (byte) c;
            }
            return IndexFormat.parse(line, 0, n) instanceof IndexRecord.Header h ? h : null;
        } catch (IOException e) {
            throw new BackupException("cannot read " + index + ": " + e.getMessage(), e);
        }
    }
}
