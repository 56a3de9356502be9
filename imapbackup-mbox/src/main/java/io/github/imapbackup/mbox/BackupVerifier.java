package io.github.imapbackup.mbox;

import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.internal.Decompression;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.VerifyReport.Problem;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.UnescapingInputStream;
import io.github.imapbackup.CodecUnavailableException;
import io.github.imapbackup.mbox.codec.CodecRegistry;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Re-reads the mbox files and indexes of a backup directory and checks every message against its
 * index: SHA-256 and length of the exact bytes, the From_ line and separator where the index puts
 * them, and that the mbox holds nothing the index does not know. Reads only; never repairs. Used
 * through {@link BackupArchive#verify()}.
 */
final class BackupVerifier {

    private final Path root;
    private final CodecRegistry codecs;
    private final int maxExpansion;

    /**
     * Creates a verifier of a backup directory written with installed codecs.
     *
     * @param root the backup directory
     */
    BackupVerifier(Path root) {
        this.root = Objects.requireNonNull(root, "root");
        this.codecs = CodecRegistry.installed();
        this.maxExpansion = io.github.imapbackup.mbox.codec.Codecs.DEFAULT_MAX_EXPANSION;
    }

    /**
     * Creates a verifier of a store's backup directory, which knows the codecs given to the
     * store's builder too.
     *
     * @param store the store
     */
    public BackupVerifier(MboxStore store) {
        this.root = store.root();
        this.codecs = store.codecs();
        this.maxExpansion = store.maxExpansion();
    }

    /**
     * What was checked of one folder.
     *
     * @param folder the folder name its index records
     * @param messages how many messages were checked
     * @param bytes how many message bytes were read
     */
    record Checked(String folder, long messages, long bytes) { }

    /**
     * The outcome of a verification.
     *
     * @param root the backup directory
     * @param folders how many folders were checked
     * @param messages how many messages were checked
     * @param bytes how many message bytes were read
     * @param problems what does not match, in file order; empty when all is well
     * @param checked what was checked of each folder, in file order
     */
    record Result(Path root, int folders, long messages, long bytes, List<Problem> problems, List<Checked> checked) {

        Result {
            Objects.requireNonNull(root, "root");
            problems = List.copyOf(problems);
            checked = List.copyOf(checked);
        }

        /**
         * Returns whether no problem was found.
         *
         * @return true when {@link #problems()} is empty
         */
        boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Verifies every folder of the backup directory, and reports mbox files that have no index.
     *
     * @return the result
     * @throws BackupException if the directory cannot be listed
     */
    Result verify() throws BackupException {
        Tally t = new Tally();
        Set<Path> indexed = new HashSet<>();
        for (Path index : ArchiveOpener.indexFiles(root)) {
            verifyIndex(index, t, indexed);
        }
        for (Path mbox : mboxFiles()) {
            if (!indexed.contains(mbox)) {
                t.problems.add(new Problem(mbox, null, -1, -1, "mbox file without an index (the next"
                        + " backup of its folder rebuilds the index)"));
            }
        }
        t.problems.addAll(FolderOwnership.check(root));
        return new Result(root, t.folders, t.messages, t.bytes, t.problems, t.checked);
    }

    /**
     * Verifies one folder.
     *
     * @param folderName the exact folder name, as its index records it
     * @return the result
     * @throws BackupException if the directory cannot be listed
     * @throws IllegalArgumentException if the directory holds no such folder
     */
    Result verify(String folderName) throws BackupException {
        Objects.requireNonNull(folderName, "folderName");
        Tally t = new Tally();
        for (Path index : ArchiveOpener.indexFiles(root)) {
            IndexRecord.Header h = ArchiveOpener.readHeader(index);
            if (h != null && h.name().equals(folderName)) {
                verifyIndex(index, t, new HashSet<>());
                t.problems.addAll(FolderOwnership.check(root, FolderPaths.split(h.name(), h.delimiter())));
                return new Result(root, t.folders, t.messages, t.bytes, t.problems, t.checked);
            }
        }
        throw new IllegalArgumentException("no folder \"" + folderName + "\" in " + root);
    }

    private List<Path> mboxFiles() throws BackupException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return codecs.all().stream().anyMatch(c -> n.endsWith(FolderPaths.MBOX_SUFFIX + c.suffix()));
            }).sorted(Comparator.naturalOrder()).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BackupException("cannot list the backup directory " + root + ": " + e.getMessage(), e);
        }
    }

    private static final class Tally {
        int folders;
        long messages;
        long bytes;
        final List<Problem> problems = new ArrayList<>();
        final List<Checked> checked = new ArrayList<>();
    }

    private void verifyIndex(Path indexFile, Tally t, Set<Path> indexed) {
        String base = indexFile.getFileName().toString();
        base = base.substring(0, base.length() - FolderPaths.INDEX_SUFFIX.length());
        t.folders++;
        IndexLoader.Loaded loaded;
        try (FileChannel ch = FileChannel.open(indexFile, StandardOpenOption.READ)) {
            FileLock lock;
            try {
                lock = ch.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                t.problems.add(new Problem(indexFile, null, -1, -1, "the folder is being written by a"
                        + " backup; not checked"));
                return;
            }
            try {
                loaded = IndexLoader.load(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16), indexFile);
            } finally {
                if (lock.isValid()) {
                    lock.release();
                }
            }
        } catch (MalformedMboxException e) {
            t.problems.add(new Problem(indexFile, null, -1, e.offset().orElse(-1), e.getMessage()));
            return;
        } catch (IOException e) {
            t.problems.add(new Problem(indexFile, null, -1, -1, "cannot read: " + e.getMessage()));
            return;
        }
        FolderIndex index = loaded.index();
        if (index == null) {
            t.problems.add(new Problem(indexFile, null, -1, Math.max(loaded.badAt(), 0), "no valid header and"
                    + " commit record (the next backup rebuilds the index)"));
            return;
        }
        String folder = index.header.name();
        if (loaded.validEnd() < loaded.fileLength()) {
            t.problems.add(new Problem(indexFile, folder, -1, loaded.validEnd(), (loaded.fileLength() - loaded.validEnd())
                    + " bytes after the last commit record (never committed; the next backup drops these"
                    + " index records, not the mail they describe)"));
        }
        Optional<CompressionCodec> found = codecs.find(index.header.codec());
        String mboxBase = base;
        found.ifPresent(c -> indexed.add(indexFile.resolveSibling(mboxBase + c.suffix())));
        CompressionCodec codec;
        try {
            codec = found.orElseThrow(() -> codecs.notInstalled(index.header.codec(), indexFile));
            codec.requireAvailable();
        } catch (CodecUnavailableException e) {
            t.problems.add(new Problem(indexFile, folder, -1, -1, e.getMessage() + "; not checked"));
            return;
        }
        Path mbox = indexFile.resolveSibling(base + codec.suffix());
        long messages = t.messages;
        long bytes = t.bytes;
        new FileCheck(mbox, folder, codec, maxExpansion, index, t).run();
        t.checked.add(new Checked(folder, t.messages - messages, t.bytes - bytes));
    }

    /** Streams one mbox file through its index. */
    private static final class FileCheck {
        private final Path mbox;
        private final String folder;
        private final CompressionCodec codec;
        private final int maxExpansion;
        private final FolderIndex index;
        private final Tally t;
        private final MessageDigest sha;

        FileCheck(Path mbox, String folder, CompressionCodec codec, int maxExpansion, FolderIndex index, Tally t) {
            this.maxExpansion = maxExpansion;
            this.mbox = mbox;
            this.folder = folder;
            this.codec = codec;
            this.index = index;
            this.t = t;
            try {
                this.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
            }
        }

        private void problem(IndexEntry e, long offset, String message) {
            t.problems.add(new Problem(mbox, folder, e == null ? -1 : e.knownUid(), offset, message));
        }

        /** Says what the next backup does with the bytes after the last commit. */
        private String tail(IndexRecord.Commit commit) {
            try {
                return TailRepair.examine(mbox, codec, maxExpansion, commit,
                        MessageIdExtractor.standard()).describe(mbox);
            } catch (IOException e) {
                return "bytes after the last commit that cannot be read (" + e.getMessage()
                        + "); the next backup keeps the complete messages among them and moves the rest"
                        + " to a file beside the mbox";
            }
        }

        void run() {
            IndexRecord.Commit commit = index.commit();
            long size;
            try {
                size = Files.isRegularFile(mbox) ? Files.size(mbox) : -1;
            } catch (IOException e) {
                size = -1;
            }
            if (size < 0) {
                if (commit.mboxLength() > 0 || !index.entries().isEmpty()) {
                    problem(null, -1, "the mbox file is missing; its index records " + commit.mboxLength() + " bytes");
                }
                return;
            }
            if (size < commit.mboxLength()) {
                problem(null, size, "the mbox file is " + size + " bytes long; its index records "
                        + commit.mboxLength() + " bytes");
                return;
            }
            if (size > commit.mboxLength()) {
                problem(null, commit.mboxLength(), tail(commit));
            }
            if (commit.mboxLength() == 0) {
                if (!index.entries().isEmpty() || commit.uncompressedLength() > 0) {
                    problem(null, 0, "the index records messages in an empty mbox");
                }
                return;
            }
            long pos = 0;
            IndexEntry current = null;
            try (FileChannel ch = FileChannel.open(mbox, StandardOpenOption.READ);
                    InputStream physical = new BoundedStream(Channels.newInputStream(ch), commit.mboxLength());
                    InputStream raw = new BufferedInputStream(Decompression.open(codec, physical, mbox, maxExpansion, 0, 0),
                            1 << 16)) {
                for (IndexEntry e : index.entries()) {
                    current = e;
                    if (pos < e.offset) {
                        long gap = new BoundedStream(raw, e.offset - pos).drain();
                        problem(null, pos, gap + " bytes that no index record covers (an unindexed message?)");
                        pos += gap;
                        if (pos < e.offset) {
                            break;
                        }
                    }
                    pos = e.offset;
                    BoundedStream region = new BoundedStream(raw, e.end - e.offset);
                    checkMessage(e, region);
                    region.drain();
                    pos = e.end;
                }
                current = null;
                long tail = new BoundedStream(raw, Long.MAX_VALUE).drain();
                long expectedEnd = commit.uncompressedLength();
                if (pos + tail > index.messagesEnd() && tail > 0) {
                    problem(null, pos, tail + " bytes after the last indexed message (an unindexed message?)");
                }
                if (pos + tail != expectedEnd) {
                    problem(null, pos + tail, "the uncompressed mbox is " + (pos + tail) + " bytes long; its index"
                            + " records " + expectedEnd);
                }
            } catch (MalformedMboxException x) {
                problem(current, x.offset().orElse(pos), x.detail());
            } catch (IOException | RuntimeException x) {
                problem(current, current != null ? current.offset : pos, "cannot read the mbox: " + x.getMessage());
            }
        }

        private void checkMessage(IndexEntry e, BoundedStream region) throws IOException {
            try {
                MessageReader.skipFromLine(region, mbox, e);
            } catch (io.github.imapbackup.IntegrityException x) {
                problem(e, e.offset, "no From_ line where the index puts the message");
                return;
            }
            sha.reset();
            InputStream body = new UnescapingInputStream(region);
            byte[] buf = new byte[1 << 16];
            long left = e.length;
            while (left > 0) {
                int n = body.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                sha.update(buf, 0, n);
                left -= n;
            }
            t.messages++;
            t.bytes += e.length - left;
            if (left > 0) {
                problem(e, e.offset, "the message is " + left + " bytes shorter than its index records");
                return;
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            if (!hex.equals(e.sha256)) {
                problem(e, e.offset, "SHA-256 " + hex + " differs from the index (" + e.sha256 + ")");
            }
            if (e.newline < 0) {
                return; // unknown, or another program's form: what follows is not recorded
            }
            byte[] rest = body.readAllBytes();
            boolean ok = rest.length == e.newline + 1;
            for (byte b : rest) {
                ok &= b == '\n';
            }
            if (!ok) {
                problem(e, e.end - rest.length, "the message is not followed by the separator its index records");
            }
        }
    }
}
