package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive of one folder: an mbox file (plain or a sequence of compressed members) and its index.
 * Reading is {@link ArchiveReader}'s job, writing {@link ArchiveWriter}'s (absent when read-only);
 * both share the open files, and this class checks the calls and closes what they opened.
 */
final class MboxFolderArchive implements FolderArchive {

    private static final Logger LOG = LoggerFactory.getLogger(MboxFolderArchive.class);

    private final FolderInfo folder;
    private final ArchiveFiles files;
    private final Path mboxFile;
    private final CompressionCodec codec;
    /** The index, null while {@link #deferred}. */
    private FolderIndex index;
    /** The read side, null while {@link #deferred}. */
    private ArchiveReader reader;
    /** The write side, or null when read-only (or while {@link #deferred}). */
    private ArchiveWriter writer;
    /** An open whose index is not read yet (its summary answers), or null once loaded or when read-only. */
    private Deferred deferred;
    private boolean closed;

    /**
     * An archive opened for writing whose index is read only when needed: until then its summary
     * answers {@link #state()} and {@link #duplicates(long)}.
     *
     * @param summary the summary, checked to describe the locked index
     * @param load reads the locked index (the same commit as the summary's)
     */
    record Deferred(IndexSummary summary, FileChannel mbox, FileChannel indexChannel, FileLock lock, Clock clock,
            Load load) { }

    /** Reads the index of a deferred open. */
    @FunctionalInterface
    interface Load {
        FolderIndex load() throws IOException;
    }

    /** Creates a writable archive over repaired, locked files positioned at their committed ends. */
    MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, FolderIndex index,
            FileChannel mbox, FileChannel indexChannel, FileLock lock, Clock clock) throws IOException {
        this(folder, files, codec, index, new ArchiveWriter(folder, files, codec, index, mbox, indexChannel, lock,
                clock), null);
    }

    /** Creates a writable archive over repaired, locked files whose index is read when needed. */
    MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, Deferred deferred) {
        this(folder, files, codec, null, null, deferred);
    }

    /** Creates a read-only archive over a loaded index; holds no open file. */
    MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, FolderIndex index) {
        this(folder, files, codec, index, null, null);
    }

    private MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, FolderIndex index,
            ArchiveWriter writer, Deferred deferred) {
        this.folder = folder;
        this.files = files;
        this.mboxFile = files.mbox();
        this.codec = codec;
        this.deferred = deferred;
        if (index != null) {
            loaded(index, writer);
        }
    }

    private void loaded(FolderIndex loaded, ArchiveWriter w) {
        this.index = loaded;
        this.writer = w;
        IndexRecord.Commit c = loaded.commit();
        this.reader = new ArchiveReader(mboxFile, codec, c == null ? 0 : c.mboxLength(),
                w == null ? null : w.mbox(), files.maxExpansion());
    }

    /** Reads the index of a deferred open; afterwards the archive is as if opened with it. */
    private void load() throws BackupException {
        Deferred d = deferred;
        if (d == null) {
            return;
        }
        try {
            FolderIndex loaded = d.load().load();
            loaded(loaded, new ArchiveWriter(folder, files, codec, loaded, d.mbox(), d.indexChannel(), d.lock(),
                    d.clock()));
            deferred = null;
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            throw new FolderException(folder.name(), "cannot read " + files.index() + ": " + e.getMessage(), e);
        }
    }

    /** {@link #load()} for the methods that declare no exception. */
    private void loadUnchecked() {
        try {
            load();
        } catch (BackupException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the index was read (an open by the summary reads it only when needed). */
    boolean indexRead() {
        return deferred == null;
    }

    /** The files of one folder, and how far reading its compressed mbox may expand it (0: no limit). */
    record ArchiveFiles(Path mbox, Path index, Path spool, int maxExpansion) { }

    FolderIndex index() {
        loadUnchecked();
        return index;
    }

    Path mboxFile() {
        return mboxFile;
    }

    CompressionCodec codec() {
        return codec;
    }

    @Override
    public Optional<FolderState> state() {
        IndexRecord.Header h;
        IndexRecord.State s;
        if (deferred != null) {
            h = deferred.summary().header();
            s = deferred.summary().state();
        } else {
            h = index.header;
            s = writer == null ? index.state() : writer.currentState();
        }
        if (s == null) {
            return Optional.empty();
        }
        return Optional.of(new FolderState(h.name(), h.delimiter(),
                s.uidValidity(), s.uidNext(), s.highestModSeq(), s.messages()));
    }

    /**
     * {@inheritDoc} A folder opened without reading its index answers from its summary (for the
     * UIDVALIDITY of its state).
     *
     * @throws UncheckedIOException wrapping a {@link BackupException} when reading the index fails
     */
    @Override
    public long duplicates(long uidValidity) {
        if (deferred != null && deferred.summary().state().uidValidity() == uidValidity) {
            return deferred.summary().duplicates();
        }
        return FolderArchive.super.duplicates(uidValidity);
    }

    /**
     * {@inheritDoc}
     *
     * @throws UncheckedIOException wrapping a {@link BackupException} when the folder was opened
     *     without reading its index and reading it now fails
     */
    @Override
    public List<ArchivedMessage> messages() {
        loadUnchecked();
        return index.messages();
    }

    @Override
    public ArchivedMessage append(NewMessage message, InputStream content) throws BackupException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(content, "content");
        checkWritable();
        load();
        return writer.append(message, content);
    }

    @Override
    public void updateFlags(long uid, Set<String> flags) throws BackupException {
        checkWritable();
        load();
        writer.updateFlags(uid, flags);
    }

    @Override
    public void updateLabels(long uid, Set<String> labels) throws BackupException {
        checkWritable();
        load();
        writer.updateLabels(uid, labels);
    }

    @Override
    public void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags)
            throws BackupException {
        checkWritable();
        load();
        Objects.requireNonNull(message, "message");
        if (uidValidity < 0 || uid < 0) {
            throw new IllegalArgumentException("negative UIDVALIDITY or UID");
        }
        writer.adopt(entryOf(message), uidValidity, uid, flags);
    }

    @Override
    public void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags, long length,
            String sha256) throws BackupException {
        adopt(message, uidValidity, uid, flags);
        writer.learnExact(entryOf(message), length, sha256);
    }

    @Override
    public void adoptConverted(ArchivedMessage message, long uidValidity, long uid, Set<String> flags, long size)
            throws BackupException {
        adopt(message, uidValidity, uid, flags);
        writer.markConverted(entryOf(message), size);
    }

    @Override
    public void markExpunged(long uid) throws BackupException {
        checkWritable();
        load();
        writer.markExpunged(uid);
    }

    @Override
    public void state(FolderState state) throws BackupException {
        checkWritable();
        load();
        writer.state(state);
    }

    private IndexEntry entryOf(ArchivedMessage message) {
        IndexEntry e;
        try {
            e = index.entry(message.offset());
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("not a message of folder \"" + folder.name() + "\": offset "
                    + message.offset(), x);
        }
        if (!e.sha256.equals(message.sha256())) {
            throw new IllegalArgumentException("not a message of folder \"" + folder.name() + "\": offset "
                    + message.offset() + " holds another message");
        }
        return e;
    }

    @Override
    public void commit() throws BackupException {
        if (writer == null || closed) {
            return; // read-only, or nothing read yet and so nothing written
        }
        writer.commit();
    }

    @Override
    public InputStream openMessage(ArchivedMessage message) throws BackupException {
        Objects.requireNonNull(message, "message");
        if (closed) {
            throw new IllegalStateException("archive is closed");
        }
        load();
        IndexEntry e = entryOf(message);
        if (writer != null) {
            writer.finishMemberHolding(e);
        }
        return reader.open(e);
    }

    @Override
    public void close() throws BackupException {
        if (closed) {
            return;
        }
        BackupException failure = null;
        try {
            if (writer != null) {
                failure = writer.finish();
                if (failure == null) {
                    summarise();
                }
            }
        } finally {
            closed = true;
            failure = closeQuietly(failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Writes the summary beside the index while the index is still locked, once everything is
     * committed; a summary that cannot be written is only missing (the next open reads the index).
     */
    private void summarise() {
        IndexRecord.State s = index.state();
        if (s == null || writer.failed()) {
            return;
        }
        Path file = IndexSummary.file(files.index());
        try {
            IndexSummary.Key key = IndexSummary.Key.of(files.index());
            FileChannel ich = writer.indexChannel();
            if (!index.commit().equals(IndexSummary.lastCommit(ich)) || key.size() != ich.size()) {
                LOG.debug("{}: does not end with its last commit record; no summary", files.index());
                Files.deleteIfExists(file);
                return;
            }
            IndexSummary old = IndexSummary.read(file);
            if (old != null && old.describes(ich, key)) {
                return; // nothing changed since it was written
            }
            new IndexSummary(index.header, s, index.commit(), key, index.records(), index.entries().size(),
                    IndexCompactor.expunged(index), FolderArchive.super.duplicates(s.uidValidity())).write(file);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: cannot write the summary; the next open reads the whole index", file, e);
        }
    }

    private BackupException closeQuietly(BackupException failure) {
        List<AutoCloseableIo> closers = new ArrayList<>();
        if (reader != null) {
            closers.add(reader::close);
        }
        if (writer != null) {
            closers.addAll(List.of(writer.closers()));
        } else if (deferred != null) {
            Deferred d = deferred;
            closers.add(() -> {
                if (d.lock().isValid()) {
                    d.lock().release();
                }
            });
            closers.add(d.indexChannel()::close);
            closers.add(d.mbox()::close);
        }
        for (AutoCloseableIo c : closers) {
            try {
                c.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = new FolderException(folder.name(), "closing " + mboxFile + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    /** A close action that may throw IOException. */
    @FunctionalInterface
    interface AutoCloseableIo {
        void close() throws IOException;
    }

    private void checkWritable() {
        if (writer == null && deferred == null) {
            throw new IllegalStateException("folder \"" + folder.name() + "\" was opened read-only");
        }
        if (closed) {
            throw new IllegalStateException("archive of folder \"" + folder.name() + "\" is closed");
        }
        if (writer != null && writer.failed()) {
            throw new IllegalStateException("archive of folder \"" + folder.name()
                    + "\" had a write failure and must be reopened");
        }
    }

    @Override
    public String toString() {
        return "MboxFolderArchive[" + mboxFile + (writer == null && deferred == null ? ", read-only" : "") + "]";
    }
}
