package io.github.imapbackup.imap;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** An input stream over byte-array chunks of a message; subclasses fetch the next chunk. */
abstract class ChunkInputStream extends InputStream {

    private byte[] buf = new byte[0];
    private int pos;
    private int end;

    /** Makes {@code count} bytes of {@code bytes} from {@code start} the current chunk. */
    final void chunk(byte[] bytes, int start, int count) {
        buf = bytes;
        pos = start;
        end = start + count;
    }

    /** Drops the current chunk (on close). */
    final void release() {
        buf = new byte[0];
        pos = 0;
        end = 0;
    }

    /**
     * Makes the next chunk current with {@link #chunk}.
     *
     * @return false at the end of the message
     * @throws IOException if the chunk cannot be had
     */
    abstract boolean nextChunk() throws IOException;

    private boolean ensure() throws IOException {
        while (pos >= end) {
            if (!nextChunk()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public final int read() throws IOException {
        return ensure() ? buf[pos++] & 0xff : -1;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!ensure()) {
            return -1;
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public final int available() {
        return end - pos;
    }
}
