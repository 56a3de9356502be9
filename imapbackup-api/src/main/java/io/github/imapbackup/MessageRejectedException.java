package io.github.imapbackup;

/**
 * The target refused one message (too big, malformed, over a quota for that message) and stays
 * usable: thrown by {@link io.github.imapbackup.spi.TargetFolder#append} or reported to its
 * {@link io.github.imapbackup.spi.TargetFolder#onRejected rejection handler}. The engine records
 * the message as failed (folder, the source's UID, the target's words) and goes on with the rest;
 * any other failure of an append fails the folder. The message says what the target said, never
 * a credential.
 */
public class MessageRejectedException extends BackupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message why the target refused the message, in its own words where it gave any
     */
    public MessageRejectedException(String message) {
        super(message, null);
    }

    /**
     * Creates the exception.
     *
     * @param message why the target refused the message, in its own words where it gave any
     * @param cause the cause, or null
     */
    public MessageRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
