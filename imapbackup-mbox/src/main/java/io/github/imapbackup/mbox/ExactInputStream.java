package io.github.imapbackup.mbox;

import io.github.imapbackup.IntegrityException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Returns exactly {@code length} bytes of the wrapped stream; fewer is an {@link IntegrityException}. */
final class ExactInputStream extends InputStream {

    private final InputStream in;
    private long left;
    private final Path file;
    private final long offset;
    private final long uid;

    ExactInputStream(InputStream in, long length, Path file, long offset, long uid) {
        this.in = in;
        this.left = length;
        this.file = file;
        this.offset = offset;
        this.uid = uid;
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int c = in.read();
        if (c < 0) {
            throw shortMessage();
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
            throw shortMessage();
        }
        left -= n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), left);
    }

    private IntegrityException shortMessage() {
        return new IntegrityException(file, offset, uid, "the message is " + left
                + " bytes shorter than its index records");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
