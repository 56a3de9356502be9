package io.github.imapbackup.mbox;

import io.github.imapbackup.internal.Duplicates;
import io.github.imapbackup.mbox.internal.FileSupport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a folder index says as of its last commit, in a small file beside it ({@code <name>.mbox.isum},
 * docs/FORMAT-index.md, "The summary"), so that opening an unchanged folder reads a few hundred
 * bytes instead of the whole index. It is trusted only while it describes the very index file
 * there: the same file (device and inode), size and modification time, and the index's last line
 * the commit record it names; anything else (missing, torn, garbage, older or newer than the index)
 * makes the open read the whole index, as without it. It is a cache: never needed, never fsynced,
 * rewritten after each run that loaded the index.
 *
 * @param header the index's header record
 * @param state the folder state at the last commit
 * @param commit the last commit record
 * @param key the index file it describes
 * @param records the index's records up to that commit (header and commit records included)
 * @param entries the messages
 * @param expunged the messages marked expunged
 * @param duplicates the extra byte-identical copies live under the state's UIDVALIDITY
 *     ({@link io.github.imapbackup.spi.TargetFolder#duplicates(long)})
 */
record IndexSummary(IndexRecord.Header header, IndexRecord.State state, IndexRecord.Commit commit, Key key,
        long records, long entries, long expunged, long duplicates) {

    private static final Logger LOG = LoggerFactory.getLogger(IndexSummary.class);

    /** The summary's suffix, in place of the index file's {@code .index} (no longer, see FolderPaths). */
    static final String SUFFIX = ".isum";
    private static final int VERSION = 1;
    /** Longer than any commit record line. */
    private static final int TAIL = 256;

    /**
     * What tells an index file from another at its path.
     *
     * @param file the file key (device and inode where the platform has them), as text without
     *     spaces; {@code -} if none
     * @param modified the modification time in nanoseconds since the epoch
     * @param size the size in bytes
     */
    record Key(String file, long modified, long size) {

        /** Returns the key of the file at {@code index}. */
        static Key of(Path index) throws IOException {
            BasicFileAttributes a = Files.readAttributes(index, BasicFileAttributes.class);
            return new Key(a.fileKey() == null ? "-" : a.fileKey().toString().replace(' ', '_'),
                    a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.size());
        }
    }

    /** Returns the summary file of an index file. */
    static Path file(Path indexFile) {
        String name = indexFile.getFileName().toString();
        return indexFile.resolveSibling(name.substring(0, name.length() - FolderPaths.INDEX_SUFFIX.length()) + SUFFIX);
    }

    /** Returns whether the index's records outweigh those of its current state ({@link IndexCompactor#worthIt}). */
    boolean compactionDue() {
        return IndexCompactor.worthIt(records, entries, expunged, true);
    }

    /**
     * Returns whether this summary describes the index that {@code channel} holds open: {@code now}
     * (the index file's key, taken after locking it) is the recorded one, and the file's last line
     * is the recorded commit record.
     */
    boolean describes(FileChannel channel, Key now) throws IOException {
        // fields compared one by one: a record's generated equals costs a cold JVM a bootstrap per class
        if (!key.file().equals(now.file()) || key.modified() != now.modified() || key.size() != now.size()
                || channel.size() != key.size()) {
            return false;
        }
        IndexRecord.Commit c = lastCommit(channel);
        return c != null && c.mboxLength() == commit.mboxLength() && c.uncompressedLength() == commit.uncompressedLength()
                && c.messages() == commit.messages() && c.time().equals(commit.time());
    }

    /** Returns the index's last line as a commit record, or null when it is none. */
    static IndexRecord.Commit lastCommit(FileChannel channel) throws IOException {
        long size = channel.size();
        int n = (int) Math.min(size, TAIL);
        ByteBuffer bb = ByteBuffer.allocate(n);
        while (bb.hasRemaining()) {
            if (channel.read(bb, size - n + bb.position()) < 0) {
                return null;
            }
        }
        byte[] b = bb.array();
        if (n < 2 || b[n - 1] != '\n') {
            return null;
        }
        int start = n - 2;
        while (start >= 0 && b[start] != '\n') {
            start--;
        }
        if (start < 0 && n < size) {
            return null; // a line longer than any commit record
        }
        return IndexFormat.parse(b, start + 1, n - 1) instanceof IndexRecord.Commit c ? c : null;
    }

    /**
     * Writes the summary of an index that is committed and locked (when a folder is closed), unless
     * the one there already describes it; a summary that cannot be written is only missing (the
     * next open reads the index).
     */
    static void refresh(Path indexFile, FileChannel channel, FolderIndex index) {
        IndexRecord.State s = index.state();
        Path file = file(indexFile);
        try {
            Key key = Key.of(indexFile);
            if (s == null || !index.commit().equals(lastCommit(channel)) || key.size() != channel.size()) {
                Files.deleteIfExists(file); // no state to vouch for, or not what the index ends with
                return;
            }
            IndexSummary old = read(file);
            if (old == null || !old.describes(channel, key)) {
                new IndexSummary(index.header, s, index.commit(), key, index.records(), index.entries().size(),
                        IndexCompactor.expunged(index), Duplicates.among(index.messages(), s.uidValidity()))
                        .write(file);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: cannot write the summary; the next open reads the whole index", file, e);
        }
    }

    /** Reads a summary file; null when there is none or it is not a complete, valid summary. */
    static IndexSummary read(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null; // a cache: the index answers instead
        }
        try {
            return parse(b);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static IndexSummary parse(byte[] b) {
        int n = b.length;
        if (n < 12 || b[n - 1] != '\n' || b[n - 10] != ' ') {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, n - 10);
        if (!Arrays.equals(hex(crc.getValue()), 0, 8, b, n - 9, n - 1)) {
            return null;
        }
        int[] ends = lineEnds(b);
        if (ends.length != 4) {
            return null;
        }
        IndexRecord header = IndexFormat.parse(b, 0, ends[0]);
        IndexRecord state = IndexFormat.parse(b, ends[0] + 1, ends[1]);
        IndexRecord commit = IndexFormat.parse(b, ends[1] + 1, ends[2]);
        String[] k = new String(b, ends[2] + 1, n - 10 - ends[2] - 1, StandardCharsets.UTF_8).split(" ", -1);
        if (!(header instanceof IndexRecord.Header h) || !(state instanceof IndexRecord.State s)
                || !(commit instanceof IndexRecord.Commit c) || k.length != 9 || !k[0].equals("K")
                || Integer.parseInt(k[1]) != VERSION) {
            return null;
        }
        return new IndexSummary(h, s, c, new Key(k[2], Long.parseLong(k[3]),
                Long.parseLong(k[4])), Long.parseLong(k[5]), Long.parseLong(k[6]), Long.parseLong(k[7]),
                Long.parseLong(k[8]));
    }

    /** The 8 lowercase hex digits of a CRC32. */
    private static byte[] hex(long crc) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) Character.forDigit((int) (crc >>> (28 - 4 * i)) & 0xF, 16);
        }
        return out;
    }

    private static int[] lineEnds(byte[] b) {
        int[] out = new int[5];
        int count = 0;
        for (int i = 0; i < b.length && count < out.length; i++) {
            if (b[i] == '\n') {
                out[count++] = i;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /**
     * Writes this summary over {@code file} (created owner-only). Not fsynced: a summary lost or
     * torn by a crash is only not trusted.
     */
    void write(Path file) throws IOException {
        StringBuilder k = new StringBuilder(160).append("K ").append(VERSION).append(' ')
                .append(key.file()).append(' ')
                .append(key.modified()).append(' ').append(key.size()).append(' ').append(records).append(' ')
                .append(entries).append(' ').append(expunged).append(' ').append(duplicates).append(' ');
        byte[] h = IndexFormat.line(header);
        byte[] s = IndexFormat.line(state);
        byte[] c = IndexFormat.line(commit);
        byte[] kb = k.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[h.length + s.length + c.length + kb.length + 9];
        int at = 0;
        for (byte[] part : new byte[][] {h, s, c, kb}) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        CRC32 crc = new CRC32();
        crc.update(out, 0, at - 1);
        System.arraycopy(hex(crc.getValue()), 0, out, at, 8);
        out[at + 8] = '\n';
        try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING), FileSupport.fileAttributes(file))) {
            ByteBuffer bb = ByteBuffer.wrap(out);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        }
    }
}
