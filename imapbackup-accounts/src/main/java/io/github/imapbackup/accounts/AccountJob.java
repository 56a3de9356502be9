package io.github.imapbackup.accounts;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.mbox.MboxStore;
import java.util.Objects;

/**
 * One account of a run, ready to go: its name, host, connections, store, and how to build its
 * session (which resolves its credentials, so it may fail before anything connects).
 *
 * @param name the account's name
 * @param host the server's host name, the key of the per-host limit
 * @param connections how many connections it uses (within the limits)
 * @param store its backup directory
 * @param session builds its session on the store
 */
record AccountJob(String name, String host, int connections, MboxStore store, SessionFactory session) {

    /** Builds an account's session. */
    @FunctionalInterface
    interface SessionFactory {
        /**
         * Builds the session.
         *
         * @param store the account's store
         * @param listener the account's backup listener
         * @return the session
         * @throws BackupException if the credentials cannot be obtained, or the like
         */
        BackupSession create(MboxStore store, BackupListener listener) throws BackupException;
    }

    AccountJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(session, "session");
        if (connections < 1) {
            throw new IllegalArgumentException("connections " + connections);
        }
    }
}
