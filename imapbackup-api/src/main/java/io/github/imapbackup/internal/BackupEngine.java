package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;

/** Runs one backup (or dry run) of a {@link BackupSession}. */
public final class BackupEngine {

    private final BackupSession session;
    private final boolean dryRun;

    /**
     * Creates the engine for one run.
     *
     * @param session the session
     * @param dryRun whether to write nothing
     */
    public BackupEngine(BackupSession session, boolean dryRun) {
        this.session = session;
        this.dryRun = dryRun;
    }

    /**
     * Runs.
     *
     * @return the report
     * @throws BackupException on failure
     */
    public BackupReport run() throws BackupException {
        throw new UnsupportedOperationException("TODO: engine helper implements this for "
                + session.source().describe() + (dryRun ? " (dry run)" : ""));
    }
}
