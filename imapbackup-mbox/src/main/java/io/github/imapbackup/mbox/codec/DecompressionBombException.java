package io.github.imapbackup.mbox.codec;

import io.github.imapbackup.MalformedMboxException;
import java.nio.file.Path;

/**
 * A compressed file that expands more than the allowed number of times (a decompression bomb, or a
 * genuine file of extreme redundancy): reading stops, and the message names the file, the
 * compressed byte reached and how to allow more ({@code --max-expansion} on the command line,
 * {@code maxExpansion} on the store's and the importer's builders). See {@code docs/CODECS.md},
 * "Decompression bombs".
 */
public final class DecompressionBombException extends MalformedMboxException {

    private static final long serialVersionUID = 1L;

    /** The limit that was exceeded. */
    private final int maxExpansion;
    /** How many compressed bytes had been read. */
    private final long compressedOffset;

    /**
     * Creates the exception.
     *
     * @param file the compressed file
     * @param uncompressedOffset how many uncompressed bytes were read
     * @param compressedOffset how many compressed bytes were read
     * @param maxExpansion the limit that was exceeded
     */
    public DecompressionBombException(Path file, long uncompressedOffset, long compressedOffset, int maxExpansion) {
        super(file, uncompressedOffset, "expands more than " + maxExpansion + " times (" + uncompressedOffset
                + " bytes from the first " + compressedOffset + " compressed bytes): a decompression bomb? Reading"
                + " stopped. If the file is genuine, run again with --max-expansion " + suggest(maxExpansion)
                + " (or a larger number; 0 for no limit)");
        this.maxExpansion = maxExpansion;
        this.compressedOffset = compressedOffset;
    }

    private static long suggest(int limit) {
        return Math.min((long) limit * 10, Integer.MAX_VALUE);
    }

    /** {@return the limit that was exceeded: uncompressed bytes per compressed byte} */
    public int maxExpansion() {
        return maxExpansion;
    }

    /** {@return how many compressed bytes had been read when reading stopped} */
    public long compressedOffset() {
        return compressedOffset;
    }
}
