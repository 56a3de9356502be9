package io.github.imapbackup;

/**
 * The run was cancelled from another thread (or its thread interrupted). It stopped at a message
 * boundary: what was copied is committed, a message in flight was dropped whole (the next run
 * fetches it). {@link #report()} gives the report of the run, with outcome
 * {@link Outcome#CANCELLED}, when the run got as far as making one.
 */
public class CancelledException extends BackupException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception, without a report (yet). */
    public CancelledException() {
        super("cancelled", null);
    }

    /**
     * Creates the exception for a run that was cancelled.
     *
     * @param report the report of the run, outcome {@link Outcome#CANCELLED}
     */
    public CancelledException(BackupReport report) {
        this();
        initReport(report);
    }
}
