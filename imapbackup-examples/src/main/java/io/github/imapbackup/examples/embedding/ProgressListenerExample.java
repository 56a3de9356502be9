package io.github.imapbackup.examples.embedding;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.spi.MessageSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Embedding example: a {@link BackupListener} that reports progress, a dry run first
 * ({@link BackupSession#plan()}), then the run, backing up two folders in parallel.
 */
public final class ProgressListenerExample {

    private ProgressListenerExample() { }

    /**
     * A listener that prints one line per folder and counts bytes. Thread-safe: folders may run
     * in parallel.
     */
    public static final class Printer implements BackupListener {

        private final PrintStream out;
        private final AtomicLong bytes = new AtomicLong();

        /**
         * Creates the printer.
         *
         * @param out where lines go
         */
        public Printer(PrintStream out) {
            this.out = out;
        }

        @Override
        public void messageCopied(RunInfo run, FolderInfo folder, long uid, long size) {
            bytes.addAndGet(size);
        }

        @Override
        public synchronized void folderFinished(RunInfo run, FolderInfo folder, FolderReport report) {
            out.println(prefix(run) + folder.name() + ": " + report.counters().messagesCopied() + " new of "
                    + report.counters().messagesOnSource());
        }

        @Override
        public synchronized void folderFailed(RunInfo run, FolderInfo folder, BackupException failure) {
            out.println(prefix(run) + folder.name() + ": failed: " + failure.getMessage());
        }

        /** Names the run when it is a dry run, so that a plan's lines are told from the run's. */
        private static String prefix(RunInfo run) {
            return run.dryRun() ? "(plan) " : "";
        }

        /** {@return the bytes copied so far} */
        public long bytes() {
            return bytes.get();
        }
    }

    /**
     * Plans, then runs a backup, printing progress.
     *
     * @param account the account
     * @param dir the backup directory
     * @param out where progress goes
     * @return the report of the run
     * @throws BackupException if the run fails as a whole
     */
    public static BackupReport planThenRun(MessageSource account, Path dir, PrintStream out) throws BackupException {
        Printer printer = new Printer(out);
        BackupSession session = BackupSession.builder()
                .source(account)
                .target(MboxStore.builder(dir).build())
                .connections(2)
                .listener(printer)
                .build();
        BackupReport plan = session.plan();
        out.println("would copy " + plan.totals().messagesCopied() + " messages");
        BackupReport report = session.run();
        out.println("copied " + printer.bytes() + " bytes");
        return report;
    }
}
