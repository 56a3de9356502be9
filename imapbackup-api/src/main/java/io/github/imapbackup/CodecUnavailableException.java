package io.github.imapbackup;

/** A compression codec whose optional library is not on the class or module path. */
public class CodecUnavailableException extends BackupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param codec the codec name, e.g. {@code zstd}
     * @param dependency the missing library, e.g. {@code com.github.luben:zstd-jni}
     */
    public CodecUnavailableException(String codec, String dependency) {
        super("compression codec \"" + codec + "\" needs the library " + dependency
                + ", which is not on the class path or module path", null);
    }
}
