package io.github.imapbackup.mbox;

import io.github.imapbackup.mbox.internal.FileSupport;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.io.output.CloseShieldOutputStream;

/**
 * Holds one message of a compressed archive until it is complete, so that a failing source never
 * leaves half a message in a member: in memory if shorter than {@link #MEMORY} bytes (a buffer that
 * grows as needed and is reused), a longer one in the spool file (kept open and reused; deleted when
 * closed).
 * Writing, truncating and reading back every message through the file cost a compressed backup
 * about a tenth of its CPU (docs/benchmarks-imap.md, "Compressing on its own thread"); most mail is
 * far smaller than the memory kept.
 */
final class Spool implements Closeable {

    /** Messages shorter than this are held in memory. */
    static final int MEMORY = 256 * 1024;
    private static final int FIRST = 64 * 1024;

    private final Path file;
    private FileChannel channel;
    private byte[] memory = new byte[0];
    private int fill;
    private boolean inFile;

    Spool(Path file) {
        this.file = file;
    }

    /** Whether the last message went to the file. */
    boolean inFile() {
        return inFile;
    }

    /**
     * Takes the whole message, replacing the previous one.
     *
     * @param in the message; its failures are thrown as they are
     * @throws IOException if reading {@code in} or writing the spool file fails
     */
    void fill(InputStream in) throws IOException {
        fill = 0;
        inFile = false;
        while (true) {
            if (fill == memory.length) {
                if (memory.length == MEMORY) {
                    toFile(in);
                    return;
                }
                memory = Arrays.copyOf(memory, Math.min(MEMORY, Math.max(FIRST, memory.length * 2)));
            }
            int n = in.read(memory, fill, memory.length - fill);
            if (n < 0) {
                return;
            }
            fill += n;
        }
    }

    private void toFile(InputStream in) throws IOException {
        if (channel == null) {
            channel = FileSupport.openWrite(file);
        }
        channel.truncate(0);
        channel.position(0);
        OutputStream out = CloseShieldOutputStream.wrap(Channels.newOutputStream(channel));
        out.write(memory, 0, fill);
        in.transferTo(out);
        inFile = true;
    }

    /** The message taken last, from its start; supports mark. */
    InputStream content() throws IOException {
        if (!inFile) {
            return new ByteArrayInputStream(memory, 0, fill);
        }
        channel.position(0);
        return new BufferedInputStream(new BoundedStream(Channels.newInputStream(channel), channel.size()), 1 << 16);
    }

    /** Closes and deletes the spool file, if there is one. */
    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            Files.deleteIfExists(file);
        }
    }
}
