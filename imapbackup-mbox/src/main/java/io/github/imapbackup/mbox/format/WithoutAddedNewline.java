package io.github.imapbackup.mbox.format;

import io.github.imapbackup.mbox.internal.Streams;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** Gives a stream without its last byte if that byte is '\n' (the one a writer added). */
final class WithoutAddedNewline extends FilterInputStream {

    /** The last byte read from the source and not yet given, or -1. */
    private int held = -1;
    private boolean eof;

    WithoutAddedNewline(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    private final byte[] one = new byte[1];

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (eof) {
            return -1;
        }
        if (held < 0) {
            held = in.read();
            if (held < 0) {
                eof = true;
                return -1;
            }
        }
        int h = held;
        if (len == 1) {
            int c = in.read();
            if (c < 0) {
                return last(b, off, h);
            }
            b[off] = (byte) h;
            held = c;
            return 1;
        }
        int n = in.read(b, off + 1, len - 1);
        if (n < 0) {
            return last(b, off, h);
        }
        if (n == 0) {
            return 0;
        }
        b[off] = (byte) h;
        held = b[off + n] & 0xff; // hold the last byte until the next read shows it is not the end
        return n;
    }

    /** The source ended: gives the held byte unless it is the added '\n'. */
    private int last(byte[] b, int off, int h) {
        eof = true;
        held = -1;
        if (h == '\n') {
            return -1;
        }
        b[off] = (byte) h;
        return 1;
    }

    @Override
    public long skip(long n) throws IOException {
        return Streams.skipByReading(this, n);
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readlimit) {
        // not supported
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
