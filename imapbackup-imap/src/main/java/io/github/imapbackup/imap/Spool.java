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
 * readable by the owner only (deleted on close). Memory stays bounded whatever the message size,
 * and a stream that fails has sent nothing.
 */
final class Spool implements Closeable {

    private static final int COPY = 64 * 1024;

    private final int memoryLimit;
    private byte[] buffer;
    private int count;
    private Path file;
    private long length;

    /** @param memoryLimit the most bytes kept in memory; a longer message goes to a file */
    Spool(int memoryLimit) {
        this.memoryLimit = memoryLimit;
        this.buffer = new byte[Math.min(memoryLimit, COPY)];
    }

    /**
     * Reads {@code in} to its end (not closing it), replacing what the spool held.
     *
     * @throws IOException if reading fails (the exception of the stream), or the file cannot be written
     */
    void fill(InputStream in) throws IOException {
        deleteFile();
        count = 0;
        length = 0;
        int n;
        while ((n = in.read(buffer, count, buffer.length - count)) >= 0) {
            count += n;
            if (count == buffer.length) {
                if (buffer.length < memoryLimit) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(memoryLimit, 2L * buffer.length));
                } else {
                    overflow(in);
                    return;
                }
            }
        }
        length = count;
    }

    private void overflow(InputStream in) throws IOException {
        OutputStream out = null;
        try {
            file = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile("imapbackup-append", ".eml",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile("imapbackup-append", ".eml");
            out = Files.newOutputStream(file);
            write(out, buffer, count);
            length = count;
            int n;
            while ((n = in.read(buffer)) >= 0) { // a failure here is the stream's own
                write(out, buffer, n);
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

    private void write(OutputStream out, byte[] bytes, int n) throws IOException {
        try {
            out.write(bytes, 0, n);
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
            out.write(buffer, 0, count);
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

    /** Deletes the file, if any; the spool can be filled again. */
    @Override
    public void close() throws IOException {
        deleteFile();
        if (buffer.length > COPY) {
            buffer = new byte[Math.min(memoryLimit, COPY)];
        }
        count = 0;
    }
}
