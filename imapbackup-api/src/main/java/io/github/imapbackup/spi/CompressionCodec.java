package io.github.imapbackup.spi;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.CodecUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A compression format for mbox files. A compressed mbox is a sequence of members (gzip), streams
 * (bzip2, xz) or frames (zstd); each append adds new ones and never recompresses what is there.
 *
 * <p>{@code none}, {@code gzip} and {@code bzip2} are built into {@code imapbackup-mbox}; others
 * are services found with {@link java.util.ServiceLoader}: the artifacts {@code imapbackup-codec-xz}
 * and {@code imapbackup-codec-zstd}, or a codec of your own, declared with {@code provides
 * io.github.imapbackup.spi.CompressionCodec with ...} in its {@code module-info.java} and in
 * {@code META-INF/services/io.github.imapbackup.spi.CompressionCodec} for the class path (a
 * public class with a public no-argument constructor). A codec can also be given to one store only
 * ({@code MboxStore.Builder.codec} and {@code registerCodec}). Look codecs up with
 * {@code io.github.imapbackup.mbox.codec.Codecs}. {@link AbstractCompressionCodec} does the common
 * parts of a codec with a fixed signature. See {@code docs/CODECS.md}.
 */
public interface CompressionCodec {

    /** {@return the name used on the command line: {@code none}, {@code gzip}, ..} */
    String name();

    /** {@return the file name suffix, e.g. {@code .gz}, or the empty string for no compression} */
    String suffix();

    /** {@return whether the library this codec needs is present} */
    boolean isAvailable();

    /**
     * Throws when this codec cannot be used here, with a message that names what is missing and
     * where to get it. The default says only that {@link #isAvailable()} is false.
     *
     * @throws CodecUnavailableException if {@link #isAvailable()} is false
     */
    default void requireAvailable() throws CodecUnavailableException {
        if (!isAvailable()) {
            throw new CodecUnavailableException(name(), (java.nio.file.Path) null, "compression codec \"" + name() + "\" ("
                    + getClass().getName() + ") is not available here: the library it needs is missing");
        }
    }

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
