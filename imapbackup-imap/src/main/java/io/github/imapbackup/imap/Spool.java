package io.github.imapbackup.imap;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * One message read to its end before it is sent, because an IMAP literal announces its length
 * first and the stream does not tell it: in memory up to a limit, beyond it in a temporary file
 * readable by the owner only (deleted on close). The memory is a {@link Memory} shared by the
 * spools of one batch of APPENDs, their bytes back to back, and reused batch after batch, so a
 * message costs no new buffer. Memory stays bounded whatever the message size, and a stream that
 * fails has sent nothing.
 */
final class Spool implements Closeable {

    private static final int COPY = 64 * 1024;

    /** The bytes held in memory by the spools of one batch, back to back; reused once they are sent. */
    static final class Memory {
        byte[] bytes = new byte[COPY];
        private int used;

        /** Forgets what the spools held; the array is kept for the next batch. */
        void clear() {
            used = 0;
        }
    }

    /** Memory of folders closed, kept for the next folders of a target; thread-safe, bounded. */
    static final class Spare {
        /** The most memories kept (about 3 per connection in use). */
        private static final int MAX = 12;
        private final java.util.concurrent.ConcurrentLinkedDeque<Memory> kept =
                new java.util.concurrent.ConcurrentLinkedDeque<>();
        private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

        /** {@return a memory kept, or a new one} */
        Memory take() {
            Memory m = kept.poll();
            if (m == null) {
                return new Memory();
            }
            count.decrementAndGet();
            return m;
        }

        /** Keeps {@code m} for a later folder, unless enough are kept. */
        void give(Memory m) {
            m.clear();
            if (count.incrementAndGet() <= MAX) {
                kept.push(m);
            } else {
                count.decrementAndGet();
            }
        }
    }

    private final int memoryLimit;
    private final Memory memory;
    private int start;
    private int count;
    private Path file;
    private long length;

    /**
     * @param memoryLimit the most bytes kept in memory; a longer message goes to a file
     * @param memory where the bytes kept in memory go, after those of the spools filled before
     */
    Spool(int memoryLimit, Memory memory) {
        this.memoryLimit = memoryLimit;
        this.memory = memory;
    }

    /**
     * Reads {@code in} to its end (not closing it), replacing what the spool held.
     *
     * @throws IOException if reading fails (the exception of the stream), or the file cannot be written
     */
    void fill(InputStream in) throws IOException {
        deleteFile();
        start = memory.used;
        count = 0;
        length = 0;
        int n;
        while ((n = in.read(memory.bytes, start + count, room())) >= 0) {
            count += n;
            if (count == memoryLimit) {
                overflow(in);
                return;
            }
            if (start + count == memory.bytes.length) {
                memory.bytes = Arrays.copyOf(memory.bytes,
                        (int) Math.min(2L * memory.bytes.length, (long) start + memoryLimit));
            }
        }
        length = count;
        memory.used = start + count;
    }

    /** {@return how many bytes can be read into memory at once: up to the array's end or the limit} */
    private int room() {
        return Math.min(memory.bytes.length - start, memoryLimit) - count;
    }

    private void overflow(InputStream in) throws IOException {
        OutputStream out = null;
        try {
            file = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile("imapbackup-append", ".eml",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile("imapbackup-append", ".eml");
            out = Files.newOutputStream(file);
            write(out, memory.bytes, start, count);
            length = count;
            int n;
            int scratch = Math.min(memory.bytes.length - start, COPY); // the memory after start is free
            while ((n = in.read(memory.bytes, start, scratch)) >= 0) { // a failure here is the stream's own
                write(out, memory.bytes, start, n);
                length += n;
            }
            closeFile(out);
            out = null;
        } catch (IOException | RuntimeException e) {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException c) {
                    e.addSuppressed(c);
                }
            }
            deleteFile();
            throw e;
        }
        count = 0;
    }

    private void write(OutputStream out, byte[] bytes, int from, int n) throws IOException {
        try {
            out.write(bytes, from, n);
        } catch (IOException e) {
            throw tempFileFailure(e);
        }
    }

    private void closeFile(OutputStream out) throws IOException {
        try {
            out.close();
        } catch (IOException e) {
            throw tempFileFailure(e);
        }
    }

    private static IOException tempFileFailure(IOException e) {
        return new IOException("cannot write the temporary file that holds a message over 1 MiB until it is sent, in "
                + System.getProperty("java.io.tmpdir") + " (make room there, or point java.io.tmpdir elsewhere): "
                + e.getMessage(), e);
    }

    /** {@return the number of bytes held} */
    long length() {
        return length;
    }

    /** Writes the bytes held. */
    void writeTo(OutputStream out) throws IOException {
        if (file == null) {
            out.write(memory.bytes, start, count);
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
    }

    private void deleteFile() throws IOException {
        if (file != null) {
            Path f = file;
            file = null;
            Files.deleteIfExists(f);
        }
    }

    /** Deletes the file, if any; the memory is the {@link Memory}'s to clear. */
    @Override
    public void close() throws IOException {
        deleteFile();
        count = 0;
    }
}
