package io.github.imapbackup.mbox.codec;

import io.github.imapbackup.spi.CompressionCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The installed compression codecs ({@link CodecRegistry#installed()}): {@code none}, {@code gzip},
 * {@code bzip2} built in, {@code xz} and {@code zstd} when their artifacts
 * ({@code imapbackup-codec-xz}, {@code imapbackup-codec-zstd}) are on the class or module path, and
 * any other codec installed as a service.
 *
 * <pre>{@code
 * CompressionCodec zstd = Codecs.byName("zstd");
 * try (InputStream in = Codecs.detect(file).decompress(Files.newInputStream(file))) {
 *     // uncompressed mbox bytes of every frame
 * }
 * }</pre>
 */
public final class Codecs {

    /** No compression. */
    public static final CompressionCodec NONE = new NoCodec();
    /** gzip, suffix {@code .gz}. */
    public static final CompressionCodec GZIP = new GzipCodec();
    /** bzip2, suffix {@code .bz2}. */
    public static final CompressionCodec BZIP2 = new Bzip2Codec();

    /**
     * How many times a compressed file may expand, by default, before reading it stops with
     * {@link DecompressionBombException}: uncompressed bytes per compressed byte, counted over the
     * file once more than {@value #EXPANSION_GRACE} uncompressed bytes were read. Mail compresses 2
     * to 60 times; very repetitive mail (the same large attachment or report every day) up to about
     * 3,000 times with xz or zstd; zeros 6,800 (xz), 32,000 (zstd) and a million (bzip2) times.
     * gzip cannot expand more than 1,032 times, so no ratio limit tells a gzip bomb from genuine
     * mail. Measured in {@code docs/CODECS.md}, "Decompression bombs".
     */
    public static final int DEFAULT_MAX_EXPANSION = 5000;

    /** The uncompressed bytes read before the expansion is checked at all. */
    public static final long EXPANSION_GRACE = 16L << 20;

    private Codecs() { }

    /**
     * Returns every installed codec, {@code none} first.
     *
     * @return every installed codec, {@code none} first
     */
    public static List<CompressionCodec> all() {
        return CodecRegistry.installed().all();
    }

    /**
     * Returns the installed codec of a name ({@code none}, {@code gzip}, {@code bzip2}, {@code xz},
     * {@code zstd}; also {@code gz}, {@code bz2}, {@code zst}), case-insensitive.
     *
     * @param name the name
     * @return the codec
     * @throws IllegalArgumentException if no installed codec has that name; the message says what
     *     to add
     */
    public static CompressionCodec byName(String name) {
        return CodecRegistry.installed().byName(name);
    }

    /**
     * Returns the installed codec whose suffix ends the file name ({@code .mbox.gz} gives gzip), if any.
     *
     * @param fileName the file name
     * @return the codec, or empty when the name has no codec suffix
     */
    public static Optional<CompressionCodec> bySuffix(String fileName) {
        return CodecRegistry.installed().bySuffix(fileName);
    }

    /**
     * Returns the installed codec whose signature starts these bytes, or {@link #NONE}.
     *
     * @param signature the first bytes
     * @param length how many are valid
     * @return the codec
     */
    public static CompressionCodec detect(byte[] signature, int length) {
        return CodecRegistry.installed().detect(signature, length);
    }

    /**
     * Returns the installed codec of a file from its first bytes ({@link #NONE} for an empty file).
     *
     * @param file the file
     * @return the codec
     * @throws io.github.imapbackup.CodecUnavailableException if the file is in the format of a
     *     codec that is not installed ({@code xz}, {@code zstd}); the message says what to add
     * @throws IOException if the file cannot be read
     */
    public static CompressionCodec detect(Path file) throws IOException {
        return CodecRegistry.installed().detect(file);
    }
}
