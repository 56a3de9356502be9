package io.github.imapbackup.mbox.codec;

import io.github.imapbackup.spi.CompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The compression codecs for mbox files: {@code none}, {@code gzip}, {@code bzip2}, {@code xz},
 * {@code zstd}.
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
    /** xz, suffix {@code .xz}; needs {@code org.tukaani:xz}. */
    public static final CompressionCodec XZ = new XzCodec();
    /** Zstandard, suffix {@code .zst}; needs {@code com.github.luben:zstd-jni}. */
    public static final CompressionCodec ZSTD = new ZstdCodec();

    private static final List<CompressionCodec> ALL = List.of(NONE, GZIP, BZIP2, XZ, ZSTD);

    private Codecs() { }

    /**
     * Returns every codec, {@code none} first.
     *
     * @return every codec, {@code none} first
     */
    public static List<CompressionCodec> all() {
        return ALL;
    }

    /**
     * Returns the codec of a name ({@code none}, {@code gzip}, {@code bzip2}, {@code xz},
     * {@code zstd}; also {@code gz}, {@code bz2}, {@code zst}), case-insensitive.
     *
     * @param name the name
     * @return the codec
     * @throws IllegalArgumentException if no codec has that name
     */
    public static CompressionCodec byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (CompressionCodec c : ALL) {
            if (c.name().equals(n) || !c.suffix().isEmpty() && c.suffix().substring(1).equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression \"" + name
                + "\" (one of none, gzip, bzip2, xz, zstd)");
    }

    /**
     * Returns the codec whose suffix ends the file name ({@code .mbox.gz} gives gzip), if any.
     *
     * @param fileName the file name
     * @return the codec, or empty when the name has no codec suffix
     */
    public static Optional<CompressionCodec> bySuffix(String fileName) {
        for (CompressionCodec c : ALL) {
            if (!c.suffix().isEmpty() && fileName.endsWith(c.suffix())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the codec whose signature starts these bytes, or {@link #NONE}.
     *
     * @param signature the first bytes
     * @param length how many are valid
     * @return the codec
     */
    public static CompressionCodec detect(byte[] signature, int length) {
        for (CompressionCodec c : ALL) {
            if (c.matches(signature, length)) {
                return c;
            }
        }
        return NONE;
    }

    /**
     * Returns the codec of a file from its first bytes ({@link #NONE} for an empty file).
     *
     * @param file the file
     * @return the codec
     * @throws IOException if the file cannot be read
     */
    public static CompressionCodec detect(Path file) throws IOException {
        byte[] sig = new byte[8];
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (n < sig.length) {
                int r = in.read(sig, n, sig.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        return detect(sig, n);
    }
}
