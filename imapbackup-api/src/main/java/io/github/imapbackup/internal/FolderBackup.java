package io.github.imapbackup.internal;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.spi.MessageTarget;
import io.github.imapbackup.spi.TargetFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Copies one folder: opens it on the target, runs passes (reconnecting when the connection drops), reports. */
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
        MessageTarget target = run.target;
        FolderProgress progress = new FolderProgress(name);
        BackupException failure = null;
        boolean cancelled = false;
        TargetFolder archive = null;
        try {
            run.checkpoint();
        } catch (CancelledException e) {
            return new Outcome(null, true);
        }
        try {
            if (run.config.policy().incremental()) {
                archive = target.open(folder, run.config.extractor());
                passes(archive, progress);
            } else if (!run.cache.skipped(folder, connection.get(), progress)) {
                // the source is read before the target folder is opened: a file that cannot be read leaves nothing
                MergePass pass = new MergePass(run, folder, progress);
                try {
                    pass.run(connection.get());
                } finally {
                    archive = pass.target();
                }
            }
        } catch (CancelledException e) {
            cancelled = true;
        } catch (BackupException e) {
            failure = e;
        } catch (RuntimeException e) {
            LOG.debug("folder \"{}\": unexpected failure", name, e);
            failure = new FolderException(name, "unexpected failure: " + e, e);
        } finally {
            if (archive != null) {
                failure = close(archive, progress, failure, cancelled);
            }
        }
        if (failure != null) {
            LOG.debug("folder \"{}\" failed", name, failure); // at WARN in one line: SafeListener
            progress.folderFailed(failure);
        }
        if (failure == null && !cancelled && progress.fromCache == 0) {
            run.cache.passed(folder, progress);
        }
        FolderReport report = progress.report(target.location(folder));
        if (failure != null) {
            run.listener.folderFailed(folder, failure);
            run.failed(failure);
        } else {
            run.listener.folderFinished(folder, report);
        }
        return new Outcome(report, cancelled);
    }

    /**
     * Commits what a failed pass left appended (it counts only once committed) and closes the
     * folder, unless the folder drops an unfinished pass ({@link TargetFolder#abort()}); returns
     * the folder's failure, with a failure to close added.
     */
    private BackupException close(TargetFolder archive, FolderProgress progress, BackupException failure,
            boolean cancelled) {
        boolean interrupted = Thread.interrupted();
        try {
            if ((cancelled || failure != null) && archive.abort()) {
                return failure;
            }
            if (progress.hasUncommitted()) {
                FolderLedger.commit(run, folder, archive, progress);
            }
            archive.close();
        } catch (BackupException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        } catch (RuntimeException e) {
            LOG.warn("folder \"{}\": closing the archive failed", folder.name(), e);
        } finally {
            FolderLedger.refused(run, folder, progress);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return failure;
    }

    private void passes(TargetFolder archive, FolderProgress progress) throws BackupException {
        int attempts = run.config.reconnectAttempts();
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
