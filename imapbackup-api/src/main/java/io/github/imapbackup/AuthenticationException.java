package io.github.imapbackup;

/** The server refused the credentials. The message never contains them. */
public class AuthenticationException extends ConnectionException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     * @param cause the cause, or null
     */
    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
