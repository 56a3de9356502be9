package io.github.imapbackup.spi;

import io.github.imapbackup.BackupException;
import java.util.Optional;

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

    /**
     * {@return whether this source lists only some of its messages (a search, an age or a size
     * filter)} An incremental backup refuses such a source: it would record the folder's next UID
     * as done and never list the messages left out, even once the filter is gone. The default is
     * false.
     */
    default boolean filtered() {
        return false;
    }

    /**
     * {@return what identifies this source's listing in a migration's state cache: the account
     * (host, port, user; never a secret) and every setting that decides which messages it lists}
     * Empty when the cache must not be used: the listing can change while the folders' STATUS
     * figures do not (a filter by flags or by a minimum age, which messages enter as they age).
     * The default is empty: a source offers the cache only by saying what identifies it. See
     * docs/ARCHITECTURE.md, "State cache".
     */
    default Optional<String> stateKey() {
        return Optional.empty();
    }

    /**
     * {@return whether several connections may fetch the messages of one folder at once, each
     * opening the folder itself with {@link SourceConnection#open}} When true, an incremental backup
     * lets connections that have no folder left fetch a big folder's later messages ahead of the
     * one that appends them (which still appends them in UID order, so the archive is the same as
     * with one connection). The default is false: a source whose connections share one reader (a
     * file) gains nothing from it. See docs/ARCHITECTURE.md, "One big folder on several
     * connections".
     */
    default boolean parallelFetch() {
        return false;
    }

    /**
     * Ends early the waits this source's connections are in now (an IMAP source's backoff after a
     * throttling answer, or its rate caps' pacing, and its reads and writes blocked on a silent
     * server), so that a cancelled run stops at once instead of after them or at the read
     * timeout; waits that begin later are not affected. The engine calls it when a run is
     * cancelled ({@link io.github.imapbackup.EngineSession#cancel()}). The default does nothing.
     */
    default void cancelWaits() {
    }
}
