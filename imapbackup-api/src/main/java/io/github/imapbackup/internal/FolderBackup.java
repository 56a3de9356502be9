package io.github.imapbackup.internal;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MailboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Backs up one folder: opens its archive, runs passes (reconnecting when the connection drops), reports. */
final class FolderBackup {

    private static final Logger LOG = LoggerFactory.getLogger(FolderBackup.class);
    private static final long BACKOFF_MILLIS = 200;

    /**
     * What became of a folder.
     *
     * @param report its report, or null when the run stopped before the folder started
     * @param cancelled whether the run was cancelled (or stopped by fail-fast) during it
     */
    record Outcome(FolderReport report, boolean cancelled) { }

    private final RunContext run;
    private final FolderInfo folder;
    private final ConnectionHolder connection;

    FolderBackup(RunContext run, FolderInfo folder, ConnectionHolder connection) {
        this.run = run;
        this.folder = folder;
        this.connection = connection;
    }

    Outcome run() {
        String name = folder.name();
        MailboxStore store = run.session.store();
        FolderProgress progress = new FolderProgress(name);
        BackupException failure = null;
        boolean cancelled = false;
        FolderArchive archive = null;
        try {
            run.checkpoint();
        } catch (CancelledException e) {
            return new Outcome(null, true);
        }
        try {
            archive = run.dryRun ? store.openReadOnly(folder).orElse(null) : store.open(folder);
            passes(archive, progress);
        } catch (CancelledException e) {
            cancelled = true;
        } catch (BackupException e) {
            failure = e;
        } catch (RuntimeException e) {
            LOG.debug("folder \"{}\": unexpected failure", name, e);
            failure = new FolderException(name, "unexpected failure: " + e, e);
        } finally {
            if (archive != null) {
                boolean interrupted = Thread.interrupted();
                try {
                    if (progress.hasUncommitted()) {
                        // what a failed pass left appended counts only once committed
                        FolderPass.commit(run, folder, archive, progress);
                    }
                    archive.close();
                } catch (BackupException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("folder \"{}\": closing the archive failed", name, e);
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
        if (failure != null) {
            LOG.debug("folder \"{}\" failed", name, failure); // at WARN in one line: SafeListener
            progress.folderFailed(failure);
        }
        FolderReport report = progress.report(store.location(folder));
        if (failure != null) {
            run.listener.folderFailed(folder, failure);
            run.failed(failure);
        } else {
            run.listener.folderFinished(folder, report);
        }
        return new Outcome(report, cancelled);
    }

    private void passes(FolderArchive archive, FolderProgress progress) throws BackupException {
        int attempts = run.session.reconnectAttempts();
        for (int attempt = 0; ; attempt++) {
            try {
                new FolderPass(run, folder, archive, progress).run(connection.get());
                return;
            } catch (AuthenticationException e) {
                connection.drop();
                throw e;
            } catch (ConnectionException e) {
                connection.drop();
                if (attempt >= attempts) {
                    throw new FolderException(folder.name(), "connection lost"
                            + (attempts > 0 ? " " + (attempt + 1) + " times" : "") + ": " + e.getMessage(), e);
                }
                LOG.debug("folder \"{}\": connection lost ({}), reconnecting", folder.name(), e.getMessage());
                pause(attempt);
                run.checkpoint();
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(BACKOFF_MILLIS * Math.min(attempt, 10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
