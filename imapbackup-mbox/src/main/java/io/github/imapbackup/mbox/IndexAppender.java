package io.github.imapbackup.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Appends index lines to the index file through a buffer; {@link #flush()} at commit. */
final class IndexAppender {

    private final FileChannel channel;
    private final byte[] buf = new byte[1 << 16];
    private int fill;
    private long length;

    IndexAppender(FileChannel channel, long length) {
        this.channel = channel;
        this.length = length;
    }

    /** Returns the length of the file once everything written is flushed. */
    long length() {
        return length;
    }

    void write(byte[] line) throws IOException {
        if (line.length > buf.length - fill) {
            flush();
        }
        if (line.length > buf.length) {
            writeFully(line, line.length);
        } else {
            System.arraycopy(line, 0, buf, fill, line.length);
            fill += line.length;
        }
        length += line.length;
    }

    void flush() throws IOException {
        if (fill > 0) {
            writeFully(buf, fill);
            fill = 0;
        }
    }

    private void writeFully(byte[] b, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, 0, len);
        while (bb.hasRemaining()) {
            channel.write(bb);
        }
    }
}
