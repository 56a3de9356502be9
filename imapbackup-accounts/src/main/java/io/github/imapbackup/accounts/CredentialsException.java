package io.github.imapbackup.accounts;

import io.github.imapbackup.BackupException;

/**
 * A secret could not be obtained: its file is missing or unreadable, its environment variable
 * is not set, its command failed or took too long, or it is empty. The message names the source
 * and what to do, never the secret nor a command's output.
 */
public final class CredentialsException extends BackupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong and what to do
     * @param cause the cause, or null
     */
    public CredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
