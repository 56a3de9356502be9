package io.github.imapbackup.mbox;

import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import io.github.imapbackup.mbox.internal.Decompression;
import io.github.imapbackup.mbox.internal.FileSupport;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs the bytes of an mbox past its last commit without deleting mail: the complete messages
 * found there are described for the index (as a rebuilt index would), a torn rest is moved to a
 * file beside the mbox. See "Opening and repair" in {@code docs/FORMAT-index.md} for what counts
 * as complete.
 */
final class TailRepair {

    private static final Logger LOG = LoggerFactory.getLogger(TailRepair.class);

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * The outcome.
     *
     * @param entries the complete messages found past the commit, in order, to be indexed
     * @param physicalEnd the mbox file's length now
     * @param logicalEnd the uncompressed length now
     * @param setAside the file the torn rest was moved to, or null
     * @param setAsideBytes how many bytes were moved there
     */
    record Result(List<IndexEntry> entries, long physicalEnd, long logicalEnd, Path setAside,
            long setAsideBytes) { }

    /**
     * What the bytes past a commit hold, found without changing anything.
     *
     * @param entries the complete messages, in order, to be indexed
     * @param keep the physical length to keep; the bytes from there on are torn
     * @param logicalEnd the uncompressed length of what is kept (before an added empty line)
     * @param addEmptyLine whether a compressed tail needs an empty line after its last message
     * @param start the physical position of the commit, where the tail starts
     * @param size the file's length
     */
    record Plan(List<IndexEntry> entries, long keep, long logicalEnd, boolean addEmptyLine, long start, long size) {

        /** {@return a sentence saying what the next backup does with the tail} */
        String describe(Path mbox) {
            String kept = entries.isEmpty() ? "" : entries.size() + (entries.size() == 1 ? " complete message" : " complete messages")
                    + " (the next backup keeps and indexes " + (entries.size() == 1 ? "it" : "them") + ")";
            String torn = keep == size ? "" : (size - keep) + " bytes that are no complete message (the next backup"
                    + " moves them to " + mbox.getFileName() + ".torn-<time> beside the mbox and names that file)";
            return (size - start) + " bytes after the last commit: " + kept
                    + (kept.isEmpty() || torn.isEmpty() ? "" : ", then ") + torn;
        }
    }

    private final Path mbox;
    private final CompressionCodec codec;
    private final int maxExpansion;
    private final MessageIdExtractor extractor;

    private TailRepair(Path mbox, CompressionCodec codec, int maxExpansion, MessageIdExtractor extractor) {
        this.mbox = mbox;
        this.codec = codec;
        this.maxExpansion = maxExpansion;
        this.extractor = extractor;
    }

    /**
     * Finds what the bytes past a commit hold; reads the file, changes nothing.
     *
     * @param mbox the mbox file, longer than the commit records
     * @param codec its codec
     * @param maxExpansion how far the compressed tail may expand (0: no limit)
     * @param commit the last commit record
     * @param extractor derives identities
     * @return what a repair would keep and set aside
     */
    static Plan examine(Path mbox, CompressionCodec codec, int maxExpansion, IndexRecord.Commit commit,
            MessageIdExtractor extractor) throws IOException {
        TailRepair r = new TailRepair(mbox, codec, maxExpansion, extractor);
        long size = java.nio.file.Files.size(mbox);
        return codec.suffix().isEmpty() ? r.plain(commit.mboxLength(), size) : r.compressed(commit, size);
    }

    /**
     * Repairs the tail past a commit; the mbox must be longer than the commit records.
     *
     * @param ch the mbox, open for writing and locked (through its index)
     * @param mbox its path
     * @param codec its codec
     * @param maxExpansion how far the compressed tail may expand (0: no limit)
     * @param commit the last commit record
     * @param extractor derives identities
     * @return what was found and done
     */
    static Result repair(FileChannel ch, Path mbox, CompressionCodec codec, int maxExpansion,
            IndexRecord.Commit commit, MessageIdExtractor extractor) throws IOException {
        Plan p = examine(mbox, codec, maxExpansion, commit, extractor);
        Path aside = p.keep() < p.size() ? setAside(ch, mbox, p.keep(), p.size()) : null;
        long uend = p.logicalEnd();
        if (p.addEmptyLine()) {
            ch.position(ch.size());
            try (OutputStream out = codec.compress(CloseShieldOutputStream.wrap(Channels.newOutputStream(ch)))) {
                out.write('\n');
            }
            ch.force(true);
            uend++;
        }
        List<IndexEntry> entries = new ArrayList<>(p.entries());
        IndexRebuilder.closeLast(entries, uend);
        return new Result(entries, ch.size(), uend, aside, p.size() - p.keep());
    }

    /** An uncompressed tail: messages up to the last one that ends with an empty line are kept. */
    private Plan plain(long start, long size) throws IOException {
        List<IndexEntry> entries = new ArrayList<>();
        long keep = start;
        MessageDigest sha = IndexRebuilder.sha256();
        try (MboxReader reader = new MboxReader(new BufferedInputStream(
                Channels.newInputStream(readChannel(start)), 1 << 16), mbox, Dialect.MBOXRD, start)) {
            for (MboxEntry m = reader.next(); m != null; m = reader.next()) {
                // everything before this message is complete
                IndexRebuilder.closeLast(entries, m.offset());
                keep = m.offset();
                entries.add(IndexRebuilder.describe(m, extractor, sha, -1, -1));
            }
            if (!entries.isEmpty() && endsWithEmptyLine(size)) {
                keep = size;
            }
        } catch (io.github.imapbackup.MalformedMboxException x) {
            // the entry being read when the reader gave up (or nothing, at the start) is not kept
            LOG.debug("{}: the bytes after the last commit stop being an mbox", mbox, x);
        }
        if (keep < size && !entries.isEmpty() && entries.get(entries.size() - 1).offset >= keep) {
            entries.remove(entries.size() - 1);
        }
        IndexRebuilder.closeLast(entries, keep);
        return new Plan(entries, keep, keep, false, start, size);
    }

    /**
     * A compressed tail: kept when every member/stream/frame in it is complete and its content is
     * an mbox (a missing empty line at its end is added as a new member); else set aside whole,
     * since a member cannot be split.
     */
    private Plan compressed(IndexRecord.Commit commit, long size) throws IOException {
        long start = commit.mboxLength();
        long ustart = commit.uncompressedLength();
        List<IndexEntry> entries = new ArrayList<>();
        MessageDigest sha = IndexRebuilder.sha256();
        LastBytes content = null;
        try (InputStream file = Channels.newInputStream(readChannel(start))) {
            content = new LastBytes(new BufferedInputStream(Decompression.open(codec,
                    new BufferedInputStream(file, 1 << 16), mbox, maxExpansion, ustart, start), 1 << 16));
            try (MboxReader reader = new MboxReader(content, mbox, Dialect.MBOXRD, ustart)) {
                for (MboxEntry m = reader.next(); m != null; m = reader.next()) {
                    IndexRebuilder.closeLast(entries, m.offset());
                    entries.add(IndexRebuilder.describe(m, extractor, sha, start, ustart));
                }
            }
        } catch (IOException | RuntimeException x) {
            // a truncated or damaged member, or content that is no mbox
            LOG.debug("{}: the compressed bytes after the last commit do not hold a complete mbox", mbox, x);
            content = null;
        }
        if (content == null || (content.count > 0 && !content.endsWithLineEnd())) {
            return new Plan(List.of(), start, ustart, false, start, size);
        }
        long uend = ustart + content.count;
        IndexRebuilder.closeLast(entries, uend);
        return new Plan(entries, size, uend, content.count > 0 && !content.endsWithEmptyLine(), start, size);
    }

    private FileChannel readChannel(long position) throws IOException {
        FileChannel in = FileChannel.open(mbox, StandardOpenOption.READ);
        try {
            in.position(position);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return in;
    }

    /** Whether the file's last line is empty ({@code \n\n} or {@code \n\r\n} at its end). */
    private boolean endsWithEmptyLine(long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(3, size));
        try (FileChannel in = readChannel(size - b.capacity())) {
            while (b.hasRemaining() && in.read(b) > 0) {
                // read the last bytes
            }
        }
        byte[] a = b.array();
        int n = a.length;
        return n >= 2 && a[n - 1] == '\n' && (a[n - 2] == '\n' || n >= 3 && a[n - 2] == '\r' && a[n - 3] == '\n');
    }

    /**
     * Moves the bytes from {@code from} to the end into a new file beside the mbox, then cuts the
     * mbox. The copy is durable before the cut, so a crash in between leaves the bytes in both
     * places (the next open sets them aside again, into another file), never in neither. The
     * warning naming the file is logged before the cut too: a process killed right after the cut
     * would otherwise leave a file that no warning ever named, as the next open finds nothing to
     * repair.
     */
    static Path setAside(FileChannel ch, Path mbox, long from, long size) throws IOException {
        Path target = null;
        FileChannel out = null;
        String stamp = STAMP.format(java.time.Instant.now());
        for (int i = 0; out == null; i++) {
            target = mbox.resolveSibling(tornName(mbox.getFileName().toString(), stamp, i));
            try {
                out = FileChannel.open(target, java.util.Set.of(StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE_NEW), FileSupport.fileAttributes(target));
            } catch (FileAlreadyExistsException e) {
                out = null;
            }
        }
        try (FileChannel o = out) {
            long done = 0;
            while (done < size - from) {
                done += ch.transferTo(from + done, size - from - done, o);
            }
            o.force(true);
        } catch (IOException | RuntimeException e) {
            // a full disk, say: the mbox keeps the bytes, the next open tries again
            try {
                java.nio.file.Files.deleteIfExists(target);
            } catch (IOException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
        FileSupport.syncDirectory(target.getParent());
        LOG.warn("{}: {} bytes after the last commit (byte {}) are no complete message (a write"
                + " cut short, or a damaged or foreign file); moved to {}, not deleted: look at it,"
                + " and if it holds mail you need, import it", mbox, size - from, from, target);
        ch.truncate(from);
        ch.force(true);
        return target;
    }

    /**
     * The name of the i-th try: {@code <mbox file>.torn-<time>[-i]}, or {@code <name>.mbox.t<i>}
     * when that would be longer than a file name may be (a long folder name, FORMAT-index.md).
     */
    static String tornName(String mboxName, String stamp, int i) {
        String name = mboxName + ".torn-" + stamp + (i == 0 ? "" : "-" + i);
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255) {
            return name;
        }
        int mbox = mboxName.lastIndexOf(FolderPaths.MBOX_SUFFIX);
        return mboxName.substring(0, mbox + FolderPaths.MBOX_SUFFIX.length()) + ".t" + (i + 1);
    }

    /** Counts the bytes read through it and remembers the last three. */
    private static final class LastBytes extends FilterInputStream {

        private long count;
        private int last = -1;
        private int second = -1;
        private int third = -1;

        LastBytes(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = in.read();
            if (c >= 0) {
                note(c);
                count++;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            for (int i = Math.max(0, n - 3); i < n; i++) {
                note(b[off + i] & 0xff);
            }
            count += Math.max(0, n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = 0;
            while (k < n && read() >= 0) {
                k++;
            }
            return k;
        }

        private void note(int c) {
            third = second;
            second = last;
            last = c;
        }

        boolean endsWithLineEnd() {
            return last == '\n';
        }

        boolean endsWithEmptyLine() {
            return last == '\n' && (second == '\n' || second == '\r' && third == '\n');
        }
    }
}
