package io.github.imapbackup.mbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Undoes mboxrd quoting on a stream of message bytes: every line matching {@code ^>+From } loses
 * one {@code >}; every other byte passes unchanged. A line starts at the beginning of the stream
 * and after each {@code \n}, so CRLF and LF text are treated alike.
 *
 * <p>The stream does not know where a message ends: wrap the bytes that follow a From_ line and
 * take as many bytes as the message has (the index records its length). It reads ahead of what it
 * returns (at most its buffer), so bound the result, not the source.
 *
 * <pre>{@code
 * InputStream raw = ...; // positioned just after the From_ line
 * try (InputStream message = new BoundedInputStream(new UnescapingInputStream(raw), length)) {
 *     message.transferTo(out);
 * }
 * }</pre>
 *
 * <p>Not thread-safe. Closing it closes the wrapped stream.
 */
public final class UnescapingInputStream extends InputStream {

    private static final int BUF = 1 << 16;
    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    private static final int LINE_START = 0;
    private static final int GT_RUN = 1;
    private static final int MATCH = 2;
    private static final int MID = 3;

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private boolean closed;

    private int state = LINE_START;
    /** Bytes of "From " matched after a held {@code >}. */
    private int matched;
    /** Bytes held back and owed to the reader: {@code >} plus a partial "From ". */
    private final byte[] owed = new byte[FROM.length + 1];
    private int owedPos;
    private int owedLen;

    /**
     * Wraps a stream of escaped message bytes.
     *
     * @param in the escaped bytes, starting at the beginning of a line
     */
    public UnescapingInputStream(InputStream in) {
        this(in, BUF);
    }

    public UnescapingInputStream(InputStream in, int bufferSize) {
        this.in = Objects.requireNonNull(in, "in");
        this.buf = new byte[Math.max(bufferSize, 8)];
    }

    @Override
    public int read() throws IOException {
        if (state == MID && owedPos == owedLen && pos < lim && buf[pos] != '\n' && !closed) {
            return buf[pos++] & 0xff;
        }
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    private final byte[] one = new byte[1];

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream is closed");
        }
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (owedLen > owedPos) {
                int k = Math.min(owedLen - owedPos, len - n);
                System.arraycopy(owed, owedPos, b, off + n, k);
                owedPos += k;
                n += k;
                continue;
            }
            if (pos == lim) {
                if (n > 0 && in.available() <= 0) {
                    break;
                }
                if (!fill()) {
                    finish();
                    if (owedLen > owedPos) {
                        continue;
                    }
                    break;
                }
            }
            switch (state) {
                case MID: {
                    int max = pos + Math.min(lim - pos, len - n);
                    int j = pos;
                    while (true) {
                        int nl = Bytes.indexOfNewline(buf, j, max);
                        if (nl < 0) {
                            j = max;
                            break;
                        }
                        j = nl + 1;
                        if (j < max && buf[j] != '>') {
                            continue;
                        }
                        state = LINE_START;
                        break;
                    }
                    System.arraycopy(buf, pos, b, off + n, j - pos);
                    n += j - pos;
                    pos = j;
                    break;
                }
                case LINE_START:
                    if (buf[pos] == '>') {
                        pos++;
                        state = GT_RUN;
                    } else {
                        state = MID;
                    }
                    break;
                case GT_RUN: {
                    int max = Math.min(lim, pos + (len - n));
                    int j = pos;
                    while (j < max && buf[j] == '>') {
                        j++;
                    }
                    if (j < max) {
                        state = MATCH;
                        matched = 0;
                    }
                    int k = j - pos;
                    for (int i = 0; i < k; i++) {
                        b[off + n + i] = '>';
                    }
                    n += k;
                    pos = j;
                    break;
                }
                default: // MATCH
                    if (buf[pos] == FROM[matched]) {
                        pos++;
                        matched++;
                        if (matched == FROM.length) {
                            owe(FROM, FROM.length);
                            state = MID;
                        }
                    } else {
                        oweHeld();
                        state = MID;
                    }
                    break;
            }
        }
        return n == 0 ? -1 : n;
    }

    /** At end of input: releases a held {@code >} and partial match. */
    private void finish() {
        if (state == GT_RUN || state == MATCH) {
            oweHeld();
        }
        state = MID;
    }

    private void oweHeld() {
        owed[0] = '>';
        int m = state == MATCH ? matched : 0;
        System.arraycopy(FROM, 0, owed, 1, m);
        owedPos = 0;
        owedLen = 1 + m;
        matched = 0;
    }

    private void owe(byte[] src, int count) {
        System.arraycopy(src, 0, owed, 0, count);
        owedPos = 0;
        owedLen = count;
        matched = 0;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int r;
        do {
            r = in.read(buf, 0, buf.length);
        } while (r == 0);
        if (r < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        lim = r;
        return true;
    }

    @Override
    public int available() throws IOException {
        return (owedLen - owedPos) + (state == MID ? lim - pos : 0);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            in.close();
        }
    }
}
