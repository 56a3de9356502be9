package io.github.imapbackup.spi;

import io.github.imapbackup.BackupException;

/**
 * Where messages come from: an immutable, thread-safe description of an account (host, port,
 * credentials supplier, TLS settings, timeouts). {@link #connect()} opens one connection; a
 * session may open several for parallel folders.
 */
public interface MessageSource {

    /**
     * Opens and authenticates a connection.
     *
     * @return the open connection; the caller closes it
     * @throws io.github.imapbackup.ConnectionException if the server cannot be reached
     * @throws io.github.imapbackup.AuthenticationException if the credentials are refused
     * @throws BackupException for other failures
     */
    SourceConnection connect() throws BackupException;

    /**
     * {@return a description for logs and reports, e.g. {@code imaps://user@host:993}; never a
     * secret}
     */
    String describe();
}
