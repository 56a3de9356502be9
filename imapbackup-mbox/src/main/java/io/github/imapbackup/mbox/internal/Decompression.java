package io.github.imapbackup.mbox.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.codec.DecompressionBombException;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Every reader of compressed input goes through here: counts the compressed bytes the codec reads
 * and the uncompressed bytes it gives, stops a file that expands more than the limit
 * ({@link DecompressionBombException}), and turns the codec's read failures into a
 * {@link MalformedMboxException} that names the file, the uncompressed offset and the compressed
 * byte reached (docs/CODECS.md, "Damaged files" and "Decompression bombs").
 */
public final class Decompression extends FilterInputStream {

    private final BoundedInputStream compressed;
    private final Path file;
    private final int maxExpansion;
    private final long base;
    private final long compressedBase;
    private long out;

    private Decompression(InputStream decompressed, BoundedInputStream compressed, Path file, int maxExpansion, long base,
            long compressedBase) {
        super(decompressed);
        this.compressedBase = compressedBase;
        this.compressed = compressed;
        this.file = file;
        this.maxExpansion = maxExpansion;
        this.base = base;
    }

    /**
     * Opens the uncompressed stream of {@code compressedInput}; with {@link Codecs#NONE} it is the
     * input itself. Closing it closes the input.
     *
     * @param codec the codec
     * @param compressedInput the compressed bytes
     * @param file the file named in exceptions
     * @param maxExpansion the most uncompressed bytes per compressed byte; 0 for no limit
     * @param uncompressedBase the uncompressed offset of the stream's first byte, for messages
     * @param compressedBase the position of the input's first byte in the file, for messages
     * @return the uncompressed bytes
     * @throws IOException if the codec cannot start (a damaged header: {@link MalformedMboxException})
     */
    public static InputStream open(CompressionCodec codec, InputStream compressedInput, Path file, int maxExpansion,
            long uncompressedBase, long compressedBase) throws IOException {
        if (maxExpansion < 0) {
            throw new IllegalArgumentException("the expansion limit must be 0 (none) or positive, not " + maxExpansion);
        }
        if (codec.suffix().isEmpty()) {
            return compressedInput;
        }
        BoundedInputStream counted = BoundedInputStream.builder().setInputStream(compressedInput).get();
        InputStream raw;
        try {
            raw = codec.decompress(counted);
        } catch (BackupException | RuntimeException e) {
            closeQuietly(compressedInput, e);
            throw e;
        } catch (IOException e) {
            closeQuietly(compressedInput, e);
            throw damaged(file, uncompressedBase, compressedBase + counted.getCount(), e);
        }
        return new Decompression(raw, counted, file, maxExpansion, uncompressedBase, compressedBase);
    }

    private static MalformedMboxException damaged(Path file, long offset, long compressedRead, IOException e) {
        return new MalformedMboxException(file, offset, "the compressed data is damaged or truncated, at or before"
                + " compressed byte " + compressedRead + ": " + reason(e), e);
    }

    private static void closeQuietly(InputStream in, Exception failure) {
        try {
            in.close();
        } catch (IOException suppressed) {
            failure.addSuppressed(suppressed);
        }
    }

    /** Opens with the default limit, from the stream's start. */
    public static InputStream open(CompressionCodec codec, InputStream compressedInput, Path file) throws IOException {
        return open(codec, compressedInput, file, Codecs.DEFAULT_MAX_EXPANSION, 0, 0);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            throw damaged(file, base + out, compressedBase + compressed.getCount(), e);
        }
        if (n > 0) {
            out += n;
            check();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return Streams.skipByReading(this, n);
    }

    @Override
    public int available() throws IOException {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void check() throws DecompressionBombException {
        if (maxExpansion > 0 && out > Codecs.EXPANSION_GRACE
                && out / maxExpansion > Math.max(compressed.getCount(), 1)) {
            throw new DecompressionBombException(file, base + out, compressedBase + compressed.getCount(), maxExpansion);
        }
    }

    /** The decompressor's reason in words; an end of file without a message is a truncated file. */
    public static String reason(IOException e) {
        if (e instanceof EOFException) {
            return "the file ends in the middle of a compressed block: cut short while it was written or copied";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
