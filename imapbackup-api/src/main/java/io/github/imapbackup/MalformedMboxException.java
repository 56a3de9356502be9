package io.github.imapbackup;

import java.nio.file.Path;
import java.util.Objects;

/** An mbox file (or its index) that cannot be read as it is; names the file and byte offset. */
public class MalformedMboxException extends BackupException {

    private static final long serialVersionUID = 1L;

    /** What is wrong, without the file and offset. */
    private final String detail;

    /**
     * Creates the exception.
     *
     * @param file the file
     * @param offset the byte offset where the problem was found (in the uncompressed stream for a
     *     compressed file)
     * @param message what is wrong
     */
    public MalformedMboxException(Path file, long offset, String message) {
        super(Objects.requireNonNull(file, "file") + " at byte " + offset + ": " + message, null,
                null, -1, file, offset);
        this.detail = message;
    }

    /**
     * Creates the exception with a cause.
     *
     * @param file the file
     * @param offset the byte offset where the problem was found
     * @param message what is wrong
     * @param cause the cause
     */
    public MalformedMboxException(Path file, long offset, String message, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + " at byte " + offset + ": " + message, cause,
                null, -1, file, offset);
        this.detail = message;
    }

    /** {@return what is wrong, without the file and byte offset the message starts with} */
    public String detail() {
        return detail;
    }
}
