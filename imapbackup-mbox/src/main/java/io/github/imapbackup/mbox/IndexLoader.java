package io.github.imapbackup.mbox;

import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.internal.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Streams a folder index file into a {@link FolderIndex} as of its last commit record. */
final class IndexLoader {

    private static final int MAX_LINE = 1 << 20;

    /**
     * The result of loading.
     *
     * @param index the model as of the last commit, or null when the file has no header followed
     *     by a commit record
     * @param validEnd the byte position just after the last commit record (0 without one)
     * @param fileLength the bytes read
     * @param badAt the position of the first torn or corrupt line, or -1
     * @param records the records up to the last commit record (header and commit records included)
     */
    record Loaded(FolderIndex index, long validEnd, long fileLength, long badAt, long records) { }

    private IndexLoader() { }

    /**
     * Loads an index.
     *
     * @param in the file's bytes from the start; not closed
     * @param file the file, for messages
     * @throws MalformedMboxException if a committed record does not fit the ones before it, or a
     *     corrupt line is followed by a valid commit record (damage, not a torn tail)
     */
    static Loaded load(InputStream in, Path file) throws IOException {
        byte[] buf = new byte[1 << 16];
        int lim = 0;
        int scan = 0;
        int lineStart = 0;
        long base = 0;
        FolderIndex index = null;
        IndexRecord.Header header = null;
        List<IndexRecord> pending = new ArrayList<>();
        List<Long> pendingAt = new ArrayList<>();
        long validEnd = 0;
        long badAt = -1;
        long records = 0;
        boolean eof = false;
        while (true) {
            if (scan == lim) {
                if (eof) {
                    break;
                }
                if (lineStart > 0) {
                    System.arraycopy(buf, lineStart, buf, 0, lim - lineStart);
                    base += lineStart;
                    lim -= lineStart;
                    scan -= lineStart;
                    lineStart = 0;
                }
                if (lim == buf.length) {
                    if (buf.length >= MAX_LINE) {
                        // an absurdly long line: treat as damage from here on
                        if (badAt < 0) {
                            badAt = base;
                        }
                        base += lim;
                        lim = 0;
                        scan = 0;
                        continue;
                    }
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = in.read(buf, lim, buf.length - lim);
                if (n < 0) {
                    eof = true;
                    continue;
                }
                lim += n;
                continue;
            }
            int newline = Bytes.indexOfNewline(buf, scan, lim);
            if (newline < 0) {
                scan = lim;
                continue;
            }
            scan = newline;
            long at = base + lineStart;
            IndexRecord r = IndexFormat.parse(buf, lineStart, scan);
            lineStart = ++scan;
            if (badAt >= 0) {
                if (r instanceof IndexRecord.Commit) {
                    throw new MalformedMboxException(file, badAt, "damaged index record before a"
                            + " later commit record; delete the index to rebuild it from the mbox");
                }
                continue;
            }
            if (r == null) {
                badAt = at;
                continue;
            }
            if (header == null) {
                if (!(r instanceof IndexRecord.Header h)) {
                    badAt = at;
                    continue;
                }
                if (h.version() < IndexFormat.OLDEST_VERSION || h.version() > IndexFormat.VERSION) {
                    throw new MalformedMboxException(file, at, "index format version " + h.version()
                            + " is not supported (this program reads versions " + IndexFormat.OLDEST_VERSION
                            + " to " + IndexFormat.VERSION + "; a newer version of imapbackup wrote it: use that)");
                }
                header = h;
                continue;
            }
            if (r instanceof IndexRecord.Header) {
                throw new MalformedMboxException(file, at, "second header record");
            }
            if (!(r instanceof IndexRecord.Commit c)) {
                pending.add(r);
                pendingAt.add(at);
                continue;
            }
            FolderIndex target = index != null ? index : new FolderIndex(header);
            for (int i = 0; i < pending.size(); i++) {
                try {
                    target.apply(pending.get(i));
                } catch (IllegalArgumentException e) {
                    throw new MalformedMboxException(file, pendingAt.get(i), e.getMessage(), e);
                }
            }
            if (c.messages() != target.entries().size() || c.uncompressedLength() < target.messagesEnd()) {
                throw new MalformedMboxException(file, at, "commit record does not match the"
                        + " messages before it");
            }
            target.apply(c);
            index = target;
            records += pending.size() + (records == 0 ? 2 : 1);
            pending.clear();
            pendingAt.clear();
            validEnd = base + lineStart;
        }
        if (lineStart < lim && badAt < 0) {
            badAt = base + lineStart;
        }
        return new Loaded(index, validEnd, base + lim, badAt, records);
    }
}
