package io.github.imapbackup.spi;

import io.github.imapbackup.BackupException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A compression format for mbox files. A compressed mbox is a sequence of members (gzip), streams
 * (bzip2, xz) or frames (zstd); each append adds new ones and never recompresses what is there.
 * Implementations live in {@code imapbackup-mbox}; find them with
 * {@code io.github.imapbackup.mbox.codec.Codecs}.
 */
public interface CompressionCodec {

    /** {@return the name used on the command line: {@code none}, {@code gzip}, ..} */
    String name();

    /** {@return the file name suffix, e.g. {@code .gz}, or the empty string for no compression} */
    String suffix();

    /** {@return whether the library this codec needs is present} */
    boolean isAvailable();

    /**
     * Returns whether a file starting with these bytes is in this format.
     *
     * @param signature the first bytes of a file
     * @param length how many of them are valid
     * @return whether the signature matches
     */
    boolean matches(byte[] signature, int length);

    /**
     * Starts a new member/stream/frame written to {@code out}. Closing the returned stream finishes
     * the member and closes {@code out}.
     *
     * @param out where the compressed bytes go
     * @return the stream to write uncompressed bytes to
     * @throws BackupException if the codec is not available ({@code CodecUnavailableException})
     * @throws IOException if writing fails
     */
    OutputStream compress(OutputStream out) throws IOException;

    /**
     * Returns a stream of the uncompressed bytes of every member/stream/frame of {@code in}.
     * Closing it closes {@code in}.
     *
     * @param in the compressed bytes
     * @return the uncompressed bytes
     * @throws BackupException if the codec is not available ({@code CodecUnavailableException})
     * @throws IOException if reading fails
     */
    InputStream decompress(InputStream in) throws IOException;
}
