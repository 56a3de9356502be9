package io.github.imapbackup.examples.cli;

import io.github.imapbackup.AccountSizes;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.imap.ImapSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ctrl-C while a migration sizes its hosts before it starts: the cancel closes the connections the
 * sizing reads on (a silent server does not hold the program until the read timeout), and the
 * migration then does not start; the command ends as interrupted.
 */
final class SizingCancel {

    private volatile boolean cancelled;
    private final Set<ImapSource> measuring = ConcurrentHashMap.newKeySet();

    /** Cancels the sizing in progress and any to come. */
    void cancel() {
        cancelled = true;
        measuring.forEach(ImapSource::cancelWaits);
    }

    /**
     * Throws when cancelled.
     *
     * @throws CancelledException when Ctrl-C came
     */
    void check() throws CancelledException {
        if (cancelled) {
            throw new CancelledException();
        }
    }

    /** {@link HostCheck#measure}, cancellable; a failure that the cancel caused is the cancel. */
    AccountSizes measure(String host, ImapSource source, FolderFilter filter, ServerSettings s)
            throws BackupException {
        check();
        measuring.add(source);
        try {
            return HostCheck.measure(host, source, filter, s);
        } catch (BackupException e) {
            check();
            throw e;
        } finally {
            measuring.remove(source);
        }
    }
}
