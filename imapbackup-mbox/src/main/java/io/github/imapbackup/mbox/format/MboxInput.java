package io.github.imapbackup.mbox.format;

import io.github.imapbackup.mbox.internal.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** The reader's input: a window on the uncompressed stream with look-ahead; From_ line tests. */
abstract class MboxInput {

    final InputStream in;
    final Path file;
    private final boolean compressed;
    final byte[] buf;
    int pos;
    int lim;
    /** Stream offset of buf[0]. */
    long base;
    boolean eof;

    MboxInput(InputStream in, Path file, boolean compressed, int bufferSize) {
        this.in = in;
        this.file = file;
        this.compressed = compressed;
        this.buf = new byte[Math.max(bufferSize, 2 * FromLineParser.MAX_LINE + 16)];
    }

    /** The From_ line the last {@link #separatorLength} call looked at, or null if it was none. */
    FromLineParser.Parsed lastFromLine;

    /**
     * Returns the length of the From_ line at {@code p} without its {@code \n} (with a {@code \r}
     * before it), or -1 if there is no separator line there: after an empty line (or at the start)
     * any line the parser does not call text separates, elsewhere only a strict one
     * ({@link FromLineParser.Kind}). Sets {@link #lastFromLine} to what the line is, or null when
     * it does not start with {@code From } (or is too long).
     */
    final int separatorLength(int p, boolean afterEmptyLine) throws IOException {
        lastFromLine = null;
        int avail = ensureAt(p, FromLineParser.MAX_LINE + 2);
        int start = lastEnsureStart;
        if (avail < 5 || buf[start] != 'F' || buf[start + 1] != 'r' || buf[start + 2] != 'o'
                || buf[start + 3] != 'm' || buf[start + 4] != ' ') {
            return -1;
        }
        int stop = start + Math.min(avail, FromLineParser.MAX_LINE + 1);
        int e = start;
        while (e < stop && buf[e] != '\n') {
            e++;
        }
        if (e == stop && !(eof && stop == lim)) {
            return -1;
        }
        int lineEnd = e;
        if (lineEnd > start && buf[lineEnd - 1] == '\r') {
            lineEnd--;
        }
        FromLineParser.Parsed parsed = FromLineParser.parse(buf, start, lineEnd);
        lastFromLine = parsed;
        if (parsed == null || !(afterEmptyLine ? parsed.kind().separatesAfterEmptyLine()
                : parsed.kind().separatesAnywhere())) {
            return -1;
        }
        return e - start;
    }

    /** Where the position passed to the last {@link #ensureAt} call is now. */
    int lastEnsureStart;

    /**
     * Makes at least {@code n} bytes available from {@code p} (a position at or after pos) unless
     * the input ends; returns how many are available. May move the buffer contents; the position
     * of {@code p} afterwards is in {@link #lastEnsureStart}.
     */
    final int ensureAt(int p, int n) throws IOException {
        int off = p - pos;
        int avail = ensure(off + n) - off;
        lastEnsureStart = pos + off;
        return Math.max(avail, 0);
    }

    /** Makes at least n bytes available from pos (n at most the buffer size) unless at EOF. */
    final int ensure(int n) throws IOException {
        if (lim - pos >= n || eof) {
            return lim - pos;
        }
        if (pos > 0 && buf.length - pos < n) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            base += pos;
            lim -= pos;
            pos = 0;
        }
        while (lim - pos < n && !eof) {
            int space = buf.length - lim;
            if (space == 0) {
                break;
            }
            int r = readInput(lim, space);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return lim - pos;
    }

    /** Refills when pos == lim; returns false at EOF. */
    final boolean fill() throws IOException {
        if (pos < lim) {
            return true;
        }
        if (eof) {
            return false;
        }
        base += pos;
        pos = 0;
        lim = 0;
        while (true) {
            int r = readInput(0, buf.length);
            if (r < 0) {
                eof = true;
                return false;
            }
            if (r > 0) {
                lim = r;
                return true;
            }
        }
    }

    private int readInput(int off, int len) throws IOException {
        return Streams.readMbox(in, buf, off, len, file, compressed, base + lim);
    }
}
