package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Builds and runs a {@link BackupSession} from resolved settings (shared by {@code backup} and {@code demo}). */
final class BackupRunner {

    private static final long CANCEL_GRACE_SECONDS = 20;

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
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            err.println();
            err.println("imapbackup: interrupted; saving what was copied so far (the next run goes on from there)");
            session.cancel();
            try {
                finished.await(CANCEL_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "imapbackup-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return dryRun ? session.plan() : session.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (and returns at once)
            }
        }
    }
}
