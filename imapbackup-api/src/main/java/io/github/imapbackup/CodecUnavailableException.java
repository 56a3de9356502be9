package io.github.imapbackup;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A compression codec that cannot be used here: its optional library is not on the class or module
 * path, or no installed codec has the name, suffix or signature a file calls for. The message says
 * which codec, which file (when one is concerned) and what to add; see {@code docs/CODECS.md}.
 */
public class CodecUnavailableException extends BackupException {

    private static final long serialVersionUID = 1L;

    /** The codec's name or file suffix. */
    private final String codec;

    /**
     * Creates the exception for a codec whose library is missing.
     *
     * @param codec the codec name, e.g. {@code zstd}
     * @param artifact the Maven coordinates of the missing library, e.g. {@code com.github.luben:zstd-jni}
     * @param module the Java module name of the missing library, e.g. {@code com.github.luben.zstd_jni}
     */
    public CodecUnavailableException(String codec, String artifact, String module) {
        this(codec, (Path) null, "compression codec \"" + codec + "\" needs the library " + artifact + " (Java module "
                + module + "), which is not on the class path or module path: add it");
    }

    /**
     * Creates the exception with a message of its own.
     *
     * @param codec the codec name, or the file suffix that calls for it
     * @param file the file that needs the codec, or null
     * @param message the whole message: the codec, the file, and what to add
     */
    public CodecUnavailableException(String codec, Path file, String message) {
        super(message, null, null, -1, file, -1);
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Returns the name of the codec, or the file suffix that calls for it.
     *
     * @return the codec name or suffix
     */
    public String codec() {
        return codec;
    }
}
