package io.github.imapbackup.mbox.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.MalformedMboxException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Stream helpers shared by the reading classes. */
public final class Streams {

    private Streams() { }

    /**
     * Reads from the (decompressed) mbox stream into {@code buf}; with {@code compressed}, a read
     * failure that is not already a {@link BackupException} becomes a {@link MalformedMboxException}
     * at {@code offset}.
     */
    public static int readMbox(InputStream in, byte[] buf, int off, int len, Path file, boolean compressed, long offset)
            throws IOException {
        try {
            return in.read(buf, off, len);
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            if (compressed) {
                throw new MalformedMboxException(file, offset,
                        "the compressed data is damaged or truncated: " + why(e), e);
            }
            throw e;
        }
    }

    /**
     * The decompressor's reason in words; an end of file without a message is a truncated file.
     *
     * @param e the decompressor's failure
     * @return the words
     */
    public static String why(IOException e) {
        if (e instanceof EOFException) {
            return "the file ends in the middle of a compressed block (cut short while it was written or copied)";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Skips by reading {@code in} through a scratch buffer; returns how many bytes were skipped. */
    public static long skipByReading(InputStream in, long n) throws IOException {
        byte[] scratch = new byte[(int) Math.min(Math.max(n, 1), 8192)];
        return skip(n, max -> in.read(scratch, 0, (int) Math.min(max, scratch.length)));
    }

    /** Calls {@code read} until {@code n} bytes are skipped or it returns -1; returns how many were skipped. */
    public static long skip(long n, ChunkReader read) throws IOException {
        long done = 0;
        while (done < n) {
            int r = read.read(n - done);
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    /** Reads and discards up to {@code max} bytes; returns how many, or -1 at the end. */
    @FunctionalInterface
    public interface ChunkReader {
        int read(long max) throws IOException;
    }
}
