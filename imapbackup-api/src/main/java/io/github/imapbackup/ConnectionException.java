package io.github.imapbackup;

/** The server cannot be reached, or the connection broke and could not be reopened. */
public class ConnectionException extends BackupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong (never containing credentials)
     * @param cause the cause, or null
     */
    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
