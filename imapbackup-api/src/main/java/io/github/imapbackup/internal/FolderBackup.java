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
import java.io.UncheckedIOException;
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
    /** The target folder of the current merge pass, or null. */
    private TargetFolder merging;

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
                try {
                    merges(progress);
                } finally {
                    archive = merging;
                }
            }
        } catch (CancelledException e) {
            cancelled = true;
        } catch (BackupException e) {
            if (FolderLedger.cutByCancel(run, e)) {
                // a cancel closes the connections: what broke is the cancel's doing, not a failure
                LOG.debug("folder \"{}\": stopped by the cancel ({})", name, e.getMessage());
                cancelled = true;
            } else {
                failure = e;
            }
        } catch (UncheckedIOException e) {
            // a target that reads lazily, failing where TargetFolder declares no exception (messages())
            failure = e.getCause() instanceof BackupException be ? be : new FolderException(name, e.getMessage(), e);
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
        progress.waits = progress.waits.plus(connection.takeWaits());
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
        } catch (CancelledException e) {
            LOG.debug("folder \"{}\": the cancel cut the closing commit", folder.name());
            try {
                archive.close();
            } catch (BackupException | RuntimeException c) {
                LOG.debug("folder \"{}\": closing after the cancel failed", folder.name(), c);
            }
        } catch (BackupException e) {
            if (cancelled && FolderLedger.cutByCancel(run, e)) {
                LOG.debug("folder \"{}\": closing after the cancel failed ({})", folder.name(), e.getMessage());
                return failure;
            }
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
            } catch (ConnectionException e) {
                reconnect(e, attempt, attempts, progress);
            }
        }
    }

    /**
     * Runs merge passes (a copy without incremental state) until one completes: when the source's
     * connection drops, what the pass appended is committed, its target folder closed, and a new
     * pass on a new connection copies only what identity matching finds missing.
     */
    private void merges(FolderProgress progress) throws BackupException {
        int attempts = run.config.reconnectAttempts();
        for (int attempt = 0; ; attempt++) {
            // the source is read before the target folder is opened: a file that cannot be read leaves nothing
            MergePass pass = new MergePass(run, folder, progress);
            boolean closed = false;
            try {
                pass.run(connection.get());
                return;
            } catch (ConnectionException e) {
                TargetFolder target = pass.target();
                if (target != null && attempt < attempts && !(e instanceof AuthenticationException)) {
                    closed = true; // commits what the pass appended, as closing a failed folder does
                    BackupException closing = close(target, progress, null, false);
                    if (closing != null) {
                        closing.addSuppressed(e);
                        throw closing;
                    }
                }
                reconnect(e, attempt, attempts, progress);
            } finally {
                merging = closed ? null : pass.target(); // closed here: not again by the caller
            }
        }
    }

    /**
     * After the source's connection dropped: closes it, and returns to open a new one, or throws
     * when the failure is an authentication or the attempts are spent.
     */
    private void reconnect(ConnectionException e, int attempt, int attempts, FolderProgress progress)
            throws BackupException {
        connection.drop();
        if (run.cancelled()) {
            throw new CancelledException(); // the cancel closed the connection: no new one
        }
        if (e instanceof AuthenticationException) {
            throw e;
        }
        if (attempt >= attempts) {
            throw new FolderException(folder.name(), "connection lost"
                    + (attempts > 0 ? " " + (attempt + 1) + " times" : "") + ": " + e.getMessage(), e);
        }
        LOG.debug("folder \"{}\": connection lost ({}), reconnecting", folder.name(), e.getMessage());
        progress.reconnects++;
        pause(attempt);
        run.checkpoint();
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(BACKOFF_MILLIS * Math.min(attempt, 10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
