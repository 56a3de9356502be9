package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupReport;

/**
 * The exit statuses of the command line program, as {@code docs/CLI.md} lists them. They belong to
 * the program, not to the library: a library report says what happened, this class says what the
 * shell sees.
 */
final class ExitStatus {

    /** Everything done. */
    static final int OK = 0;
    /** Finished, but some folders or messages failed (or the run was cut short). */
    static final int PARTIAL = 1;
    /** Bad usage or configuration. */
    static final int USAGE = 2;
    /** Cannot connect or authenticate. */
    static final int CONNECT = 3;

    private ExitStatus() { }

    /**
     * Returns the status of a run that returned a report: {@link #OK} only when the run completed and
     * nothing failed, never when anything was skipped because of an error or a cancel.
     *
     * @param report the report
     * @return {@link #OK} or {@link #PARTIAL}
     */
    static int of(BackupReport report) {
        return !report.hasFailures() ? OK : PARTIAL;
    }
}
