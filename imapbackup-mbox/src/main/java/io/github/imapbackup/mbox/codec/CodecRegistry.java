package io.github.imapbackup.mbox.codec;

import io.github.imapbackup.CodecUnavailableException;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A set of codecs looked up by name, file suffix or signature: the {@linkplain #installed()
 * installed} ones (built in, and found with {@link ServiceLoader}), plus any a store registers.
 * Immutable and thread-safe.
 *
 * <pre>{@code
 * CodecRegistry codecs = CodecRegistry.installed().plus(new MyCodec());
 * CompressionCodec codec = codecs.detect(Path.of("Archive.mbox.my"));
 * }</pre>
 */
public final class CodecRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(CodecRegistry.class);

    /** A codec with an artifact of its own: what to add when it is missing. */
    private record Missing(String name, String suffix, byte[] magic, String artifact, String module,
            String library) {

        boolean matches(byte[] signature, int length) {
            return length >= magic.length && Arrays.equals(signature, 0, magic.length, magic, 0, magic.length);
        }

        String advice() {
            return "add io.github.imapbackup:" + artifact + " (Java module " + module + "), which brings " + library;
        }
    }

    private static final List<Missing> OWN_ARTIFACTS = List.of(
            new Missing("xz", ".xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, "imapbackup-codec-xz",
                    "io.github.imapbackup.codec.xz", "org.tukaani:xz"),
            new Missing("zstd", ".zst", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, "imapbackup-codec-zstd",
                    "io.github.imapbackup.codec.zstd", "com.github.luben:zstd-jni"));

    private static final class Installed {
        static final CodecRegistry INSTANCE = new CodecRegistry(load());
    }

    private final List<CompressionCodec> codecs;

    private CodecRegistry(List<CompressionCodec> codecs) {
        this.codecs = List.copyOf(codecs);
    }

    /**
     * Returns the installed codecs: {@code none}, {@code gzip}, {@code bzip2}, then those found as
     * services of {@link CompressionCodec} (module path {@code provides}, class path
     * {@code META-INF/services}) in name order, such as {@code xz} and {@code zstd} from the
     * artifacts {@code imapbackup-codec-xz} and {@code imapbackup-codec-zstd}. Looked for once.
     *
     * @return the installed codecs
     */
    public static CodecRegistry installed() {
        return Installed.INSTANCE;
    }

    private static List<CompressionCodec> load() {
        List<CompressionCodec> out = new ArrayList<>(List.of(Codecs.NONE, Codecs.GZIP, Codecs.BZIP2));
        List<CompressionCodec> found = new ArrayList<>();
        Iterator<CompressionCodec> it = ServiceLoader.load(CompressionCodec.class,
                CodecRegistry.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.warn("a compression codec cannot be loaded, and is left out: {}", e.getMessage());
                LOG.debug("the codec that cannot be loaded", e);
            }
        }
        found.sort(Comparator.comparing(CompressionCodec::name));
        for (CompressionCodec c : found) {
            Optional<CompressionCodec> clash = clash(out, c);
            if (clash.isPresent()) {
                LOG.warn("the compression codec {} ({}) has the name or suffix of {} ({}), and is left out",
                        c.name(), c.getClass().getName(), clash.get().name(), clash.get().getClass().getName());
            } else {
                out.add(c);
            }
        }
        return out;
    }

    private static Optional<CompressionCodec> clash(List<CompressionCodec> among, CompressionCodec c) {
        return among.stream().filter(o -> o.name().equalsIgnoreCase(c.name()) || o.suffix().equals(c.suffix()))
                .findFirst();
    }

    /**
     * Returns these codecs and one more, which a file's suffix, signature or index then finds.
     * Adding a codec that is already here (the same instance, or the same class, name and suffix)
     * changes nothing.
     *
     * @param codec the codec
     * @return the codecs with {@code codec}
     * @throws IllegalArgumentException if another codec has its name or suffix
     */
    public CodecRegistry plus(CompressionCodec codec) {
        Objects.requireNonNull(codec, "codec");
        Optional<CompressionCodec> clash = clash(codecs, codec);
        if (clash.isPresent()) {
            CompressionCodec o = clash.get();
            if (o == codec || o.getClass() == codec.getClass() && o.name().equals(codec.name())
                    && o.suffix().equals(codec.suffix())) {
                return this;
            }
            throw new IllegalArgumentException("the compression codec \"" + codec.name() + "\" (suffix \""
                    + codec.suffix() + "\") clashes with \"" + o.name() + "\" (suffix \"" + o.suffix()
                    + "\"): each codec needs a name and a suffix of its own");
        }
        List<CompressionCodec> out = new ArrayList<>(codecs);
        out.add(codec);
        return new CodecRegistry(out);
    }

    /**
     * Returns every codec, {@code none} first.
     *
     * @return the codecs
     */
    public List<CompressionCodec> all() {
        return codecs;
    }

    /**
     * Returns the codec of a name or suffix without its dot ({@code zstd} or {@code zst}),
     * case-insensitive.
     *
     * @param name the name
     * @return the codec, or empty when none has that name
     */
    public Optional<CompressionCodec> find(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (CompressionCodec c : codecs) { // a loop: once per folder opened
            if (c.name().toLowerCase(Locale.ROOT).equals(n)
                    || !c.suffix().isEmpty() && c.suffix().substring(1).toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the codec of a name or suffix without its dot, case-insensitive.
     *
     * @param name the name, e.g. {@code gzip} or {@code gz}
     * @return the codec
     * @throws IllegalArgumentException if no codec here has that name; the message says which
     *     artifact and module to add (for {@code xz} and {@code zstd}) or how to install one
     */
    public CompressionCodec byName(String name) {
        Objects.requireNonNull(name, "name");
        return find(name).orElseThrow(() -> new IllegalArgumentException(notInstalled(name, null).getMessage()));
    }

    /**
     * Returns the codec whose suffix ends the file name ({@code .mbox.gz} gives gzip), if any.
     *
     * @param fileName the file name
     * @return the codec, or empty when the name has no codec suffix
     */
    public Optional<CompressionCodec> bySuffix(String fileName) {
        return codecs.stream().filter(c -> !c.suffix().isEmpty() && fileName.endsWith(c.suffix())).findFirst();
    }

    /**
     * Returns the codec whose signature starts these bytes, or {@link Codecs#NONE}.
     *
     * @param signature the first bytes
     * @param length how many are valid
     * @return the codec
     */
    public CompressionCodec detect(byte[] signature, int length) {
        return codecs.stream().filter(c -> c.matches(signature, length)).findFirst().orElse(Codecs.NONE);
    }

    /**
     * Returns the codec of a file from its first bytes ({@link Codecs#NONE} for an empty file, or
     * one that starts with no known signature).
     *
     * @param file the file
     * @return the codec
     * @throws CodecUnavailableException if the file starts with the signature of {@code xz} or
     *     {@code zstd} and that codec is not installed; the message names the file and what to add
     * @throws IOException if the file cannot be read
     */
    public CompressionCodec detect(Path file) throws IOException {
        byte[] sig = new byte[16];
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
        CompressionCodec c = detect(sig, n);
        if (c == Codecs.NONE) {
            for (Missing m : OWN_ARTIFACTS) {
                if (find(m.name()).isEmpty() && m.matches(sig, n)) {
                    throw notInstalled(m.name(), file);
                }
            }
        }
        return c;
    }

    /**
     * Returns the suffixes of the codecs that have an artifact of their own ({@code .xz},
     * {@code .zst}) and are not installed here, for callers that must not take such a file for
     * something else (or start a second file beside it).
     *
     * @return the suffixes, with their dot
     */
    public List<String> missingSuffixes() {
        return OWN_ARTIFACTS.stream().filter(m -> find(m.name()).isEmpty()).map(Missing::suffix).toList();
    }

    /**
     * Returns the exception for a codec that is not here: which codec, which file (if any), and
     * what to add.
     *
     * @param name the codec's name or suffix (with or without its dot)
     * @param file the file that needs it, or null
     * @return the exception
     */
    public CodecUnavailableException notInstalled(String name, Path file) {
        String n = name.startsWith(".") ? name.substring(1) : name;
        Optional<Missing> own = OWN_ARTIFACTS.stream().filter(m -> m.name().equalsIgnoreCase(n)
                || m.suffix().substring(1).equalsIgnoreCase(n)).findFirst();
        String what = file == null ? "compression codec \"" + n + "\" is not installed"
                : file + " needs the compression codec \"" + n + "\", which is not installed";
        String advice = own.map(Missing::advice).orElseGet(() -> "the installed codecs are "
                + codecs.stream().map(CompressionCodec::name).collect(Collectors.joining(", "))
                + "; add the artifact that provides \"" + n + "\" (a service io.github.imapbackup.spi.CompressionCodec),"
                + " or give the codec to the store with MboxStore.Builder.registerCodec");
        return new CodecUnavailableException(n, file, what + ": " + advice);
    }

    @Override
    public String toString() {
        return codecs.stream().map(CompressionCodec::name).collect(Collectors.joining(", ", "CodecRegistry[", "]"));
    }
}
