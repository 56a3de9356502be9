package io.github.imapbackup.mbox;

import java.io.IOException;
import java.io.InputStream;

/** At most {@code limit} bytes of the wrapped stream; closing does not close it. */
class BoundedStream extends InputStream {

    final InputStream in;
    private long left;

    BoundedStream(InputStream in, long limit) {
        this.in = in;
        this.left = limit;
    }

    long left() {
        return left;
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int c = in.read();
        if (c < 0) {
            return endedEarly();
        }
        left--;
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (left <= 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            return endedEarly();
        }
        left -= n;
        return n;
    }

    /** Called when the wrapped stream ends before the limit; returns -1 (the end) unless overridden. */
    int endedEarly() throws IOException {
        return -1;
    }

    /** Reads and discards what is left; returns how many bytes that was. */
    long drain() throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = read(buf, 0, buf.length)) >= 0) {
            total += n;
        }
        return total;
    }
}
