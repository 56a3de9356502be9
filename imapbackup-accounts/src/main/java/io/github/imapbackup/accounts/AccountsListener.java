package io.github.imapbackup.accounts;

import io.github.imapbackup.BackupListener;
import java.nio.file.Path;

/**
 * Hears a run of many accounts: each account's start and end, and the run's end with its
 * notification. Every method has a default that does nothing; the accounts run in parallel, so
 * the methods are called from several threads. A listener that throws is logged and does not stop
 * the run.
 *
 * <pre>{@code
 * AccountsListener log = new AccountsListener() {
 *     @Override
 *     public void accountFinished(AccountResult result) {
 *         System.out.println(result.name() + ": exit " + result.exitStatus());
 *     }
 * };
 * }</pre>
 */
public interface AccountsListener {

    /** A listener that does nothing. */
    AccountsListener NONE = new AccountsListener() { };

    /**
     * An account's backup starts (it holds its connections).
     *
     * @param name the account's name
     * @param directory its backup directory
     */
    default void accountStarted(String name, Path directory) { }

    /**
     * An account's backup ended, however it ended.
     *
     * @param result what it gave
     */
    default void accountFinished(AccountResult result) { }

    /**
     * The run ended: every account finished and the notification, if any, was sent.
     *
     * @param result what the run gave, with {@link AccountsResult#notification()}
     */
    default void runFinished(AccountsResult result) { }

    /**
     * Returns the listener of one account's backup (folders, messages, bytes), for a progress
     * display; none by default.
     *
     * @param name the account's name
     * @return the listener
     */
    default BackupListener backupListener(String name) {
        return BackupListener.NONE;
    }
}
