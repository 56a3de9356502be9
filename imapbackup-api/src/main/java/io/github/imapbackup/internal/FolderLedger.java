package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.TargetFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the passes ({@link FolderPass}, {@link MergePass}) record the same way: a commit that turns
 * appended messages into copies (or errors), messages the target refused after their appends
 * returned, and a failed message.
 */
final class FolderLedger {

    private static final Logger LOG = LoggerFactory.getLogger(FolderLedger.class);

    private FolderLedger() { }

    /** Commits {@code archive} and moves what it held into the folder's counters or errors. */
    static void commit(RunContext run, FolderInfo folder, TargetFolder archive, FolderProgress progress)
            throws BackupException {
        try {
            archive.commit();
        } catch (BackupException e) {
            if (cutByCancel(run, e)) {
                LOG.debug("folder \"{}\": the cancel cut the commit ({})", folder.name(), e.getMessage());
                progress.uncommittedDropped();
                throw new CancelledException();
            }
            refused(run, folder, progress);
            for (FolderException lost : progress.uncommittedLost(run.target.location(folder), e)) {
                run.listener.messageFailed(folder, lost.uid().orElse(0), lost);
            }
            throw e;
        }
        refused(run, folder, progress);
        progress.committed();
    }

    /**
     * {@return whether a failure is the doing of a cancel: the run is cancelled and the failure is
     * a lost connection (the cancel closes the connections, docs/ARCHITECTURE.md, "Cancelling")}
     */
    static boolean cutByCancel(RunContext run, BackupException e) {
        if (!run.cancelled()) {
            return false;
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectionException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Un-counts and reports the messages the target refused after their appends returned (a
     * pipelining target); the folder goes on.
     */
    static void refused(RunContext run, FolderInfo folder, FolderProgress progress) {
        for (FolderException e : progress.takeRefused()) {
            LOG.debug("folder \"{}\": the target refused a message after accepting its append", folder.name(), e);
            run.listener.messageFailed(folder, e.uid().orElse(0), e);
            run.failed(e);
        }
    }

    /** Records that one message failed (the folder goes on) and tells the listener. */
    static void messageFailed(RunContext run, FolderInfo folder, FolderProgress progress, long uid,
            BackupException e) {
        FolderException f = FolderProgress.failure(folder.name(), uid, e);
        LOG.debug("folder \"{}\": UID {} failed", folder.name(), uid, e);
        progress.messageFailed(uid, f);
        run.listener.messageFailed(folder, uid, f);
        run.failed(f);
    }
}
