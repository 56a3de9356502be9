package io.github.imapbackup.examples.embedding;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderReport;
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
        public void messageCopied(String folder, long uid, long size) {
            bytes.addAndGet(size);
        }

        @Override
        public synchronized void folderFinished(FolderReport report) {
            out.println(report.name() + ": " + report.counters().messagesCopied() + " new of "
                    + report.counters().messagesOnSource());
        }

        @Override
        public synchronized void folderFailed(String folder, BackupException failure) {
            out.println(folder + ": failed: " + failure.getMessage());
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
