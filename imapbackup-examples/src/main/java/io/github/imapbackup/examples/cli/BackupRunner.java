package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.mbox.BackupLock;
import io.github.imapbackup.mbox.MboxStore;
import java.util.function.Consumer;

/** Builds and runs a {@link BackupSession} from resolved settings (shared by {@code backup} and {@code demo}). */
final class BackupRunner {

    private BackupRunner() { }

    /**
     * Runs the backup (or its dry run).
     *
     * @param settings the settings
     * @param dryRun whether to write nothing
     * @param failFast whether the first failure stops the run
     * @param listener the progress listener
     * @param onInterrupt takes the session's cancel action for Ctrl-C (the command holds the JVM's
     *     exit until it has written its report and statistics)
     * @return the report
     * @throws BackupException as {@link BackupSession#run()}, or a
     *     {@link io.github.imapbackup.mbox.DirectoryLockedException} when another run holds the directory
     */
    static BackupReport run(BackupSettings settings, boolean dryRun, boolean failFast, BackupListener listener,
            Consumer<Runnable> onInterrupt) throws BackupException {
        MboxStore store = Stores.mbox(settings.store(), dryRun);
        BackupSession.Builder b = BackupSession.builder()
                .source(Sources.imap(settings.server()).toBuilder().gmailLabels(settings.gmailLabels()).build())
                .target(store)
                .folders(settings.folders())
                .subscribedOnly(settings.subscribedOnly())
                .failFast(failFast)
                .connections(settings.server().connections())
                .listener(listener);
        settings.excludes().forEach(b::exclude);
        BackupSession session = b.build();
        // Ctrl-C: stop at once (a message in flight is dropped) and commit what was copied before the JVM exits.
        onInterrupt.accept(session::cancel);
        if (dryRun) {
            return session.plan(); // writes nothing, so it takes no lock
        }
        BackupLock lock = store.lock("backup");
        try {
            return session.run();
        } finally {
            lock.close();
        }
    }
}
