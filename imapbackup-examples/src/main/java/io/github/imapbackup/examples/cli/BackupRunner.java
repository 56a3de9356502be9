package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import java.io.PrintStream;

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
     * @param err where the note on interruption goes
     * @return the report
     * @throws BackupException as {@link BackupSession#run()}
     */
    static BackupReport run(BackupSettings settings, boolean dryRun, boolean failFast, BackupListener listener,
            PrintStream err) throws BackupException {
        BackupSession.Builder b = BackupSession.builder()
                .source(Sources.imap(settings.server()))
                .store(Stores.mbox(settings.store(), dryRun))
                .folders(settings.folders())
                .subscribedOnly(settings.subscribedOnly())
                .failFast(failFast)
                .connections(settings.server().connections())
                .listener(listener);
        settings.excludes().forEach(b::exclude);
        BackupSession session = b.build();
        // Ctrl-C: stop at once (a message in flight is dropped) and commit what was copied before the JVM exits.
        Interruption interruption = Interruption.install(
                "imapbackup: interrupted; saving what was copied so far (the next run goes on from there)",
                session::cancel, err);
        try {
            return dryRun ? session.plan() : session.run();
        } finally {
            interruption.close();
        }
    }
}
