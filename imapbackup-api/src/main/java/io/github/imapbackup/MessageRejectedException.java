package io.github.imapbackup;

/**
 * The target refused one message (too big, malformed, over a quota for one message) and stays
 * usable: the message is reported as failed, with the target's words, and the rest goes on. Any
 * other failure of an append fails the folder.
 */
public class MessageRejectedException extends BackupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what the target said, and about which message
     */
    public MessageRejectedException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what the target said, and about which message
     * @param cause the cause, or null
     */
    public MessageRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
