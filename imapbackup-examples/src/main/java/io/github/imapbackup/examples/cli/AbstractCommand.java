package io.github.imapbackup.examples.cli;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.CodecUnavailableException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderCollisionException;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.mbox.DirectoryLockedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The frame of every command: runs it, maps failures to the exit status of docs/CLI.md ({@link ExitStatus}), prints the
 * statistics block and writes the {@code --report}.
 */
abstract class AbstractCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec spec;

    /** Set by {@link Main}'s factory before the command runs. */
    Context ctx;

    /** The Ctrl-C hook of {@link #onInterrupt}, or null. */
    private Interruption interruption;

    /** Returns the command name for reports and messages. */
    String name() {
        return spec.name();
    }

    /**
     * Does the work.
     *
     * @param started when the run started
     * @return the report
     * @throws Exception on failure: {@link UsageException}, {@link CodecUnavailableException},
     *     {@link FolderCollisionException} and a {@link DirectoryLockedException} (the backup
     *     directory is in use) give 2, {@link ConnectionException} 3, other exceptions 1
     */
    abstract BackupReport execute(Instant started) throws Exception;

    /** Returns the heading of the first count column of the statistics block, or null for no block. */
    String sourceLabel() {
        return "On source";
    }

    /** Returns whether the user sees progress: a terminal and not {@code --quiet}. */
    boolean showProgress() {
        return !quiet() && ctx.env().interactive();
    }

    /** Returns whether {@code --quiet} (or an equivalent) was given. */
    boolean quiet() {
        return common.quiet;
    }

    /** Returns the progress listener: a {@link ProgressDisplay} on a terminal, otherwise none. */
    BackupListener progressListener() {
        return showProgress() ? new ProgressDisplay(ctx.err()) : BackupListener.NONE;
    }

    @Override
    public final Integer call() {
        Instant started = Instant.now();
        BackupReport report;
        int status;
        try {
            if (common.report != null && FileProblem.ofWritableFile(common.report) != null) {
                // said before the run, not after an hour of work
                throw new UsageException("--report: " + common.report + " " + FileProblem.ofWritableFile(common.report));
            }
            report = ctx.secrets().redact(execute(started));
            status = exitStatus(report);
            if (!quiet() && sourceLabel() != null) {
                printStatistics(report);
            }
            reportFailures(report, status);
        } catch (UsageException e) {
            status = ExitStatus.USAGE;
            report = failure(started, e.getMessage(), status, Outcome.FAILED);
        } catch (CodecUnavailableException | FolderCollisionException e) {
            status = ExitStatus.USAGE;
            report = failure(started, e.getMessage(), status, Outcome.FAILED);
        } catch (AuthenticationException e) {
            status = ExitStatus.CONNECT;
            report = failure(started, "authentication failed: " + e.getMessage(), status, Outcome.FAILED);
        } catch (ConnectionException e) {
            status = ExitStatus.CONNECT;
            report = failure(started, "cannot connect: " + e.getMessage(), status, Outcome.FAILED);
        } catch (DirectoryLockedException e) {
            status = ExitStatus.USAGE; // refused before anything was done, as a configuration error
            report = failure(started, e.getMessage(), status, Outcome.FAILED);
        } catch (CancelledException e) {
            status = ExitStatus.PARTIAL;
            report = failure(started, "interrupted: what was copied so far is saved; run the same command again"
                    + " to go on from there", status, Outcome.CANCELLED);
        } catch (BackupException e) {
            status = ExitStatus.PARTIAL;
            report = failure(started, e.getMessage(), status, Outcome.FAILED);
        } catch (IOException | UncheckedIOException e) {
            status = ExitStatus.PARTIAL;
            report = failure(started, "I/O error: " + e.getMessage(), status, Outcome.FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = ExitStatus.PARTIAL;
            report = failure(started, "interrupted", status, Outcome.CANCELLED);
        } catch (Exception e) {
            if (common.debug || common.trace) { // the stack trace only then, and without a secret
                ctx.err().println("imapbackup " + name() + ": internal error: " + ctx.secrets().stackTrace(e));
            }
            status = ExitStatus.PARTIAL;
            report = failure(started, "internal error: " + e + " (a bug: please report it; --debug shows where)",
                    status, Outcome.FAILED);
        }
        if (common.report != null && FileProblem.ofWritableFile(common.report) == null) {
            try {
                BackupReport written = report;
                ReportJson.write(report, status, common.report, json -> reportFields(written, json));
            } catch (IOException e) {
                String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                        : FileProblem.ofWritableFile(common.report) != null ? FileProblem.ofWritableFile(common.report)
                        : e.getMessage();
                ctx.err().println("imapbackup " + name() + ": cannot write the report " + common.report + ": " + why);
                status = Math.max(status, ExitStatus.PARTIAL);
            }
        }
        if (interruption != null) {
            interruption.close(); // everything is said and written: an interrupted JVM may exit now
        }
        return status;
    }

    /**
     * Returns the exit status of a run that returned a report.
     *
     * @param report the report
     * @return the status, {@link ExitStatus#of} by default
     */
    int exitStatus(BackupReport report) {
        return ExitStatus.of(report);
    }

    /**
     * Prints the statistics block of a finished run on stdout (not with {@code --quiet}).
     *
     * @param report the run's report
     */
    void printStatistics(BackupReport report) {
        Statistics.print(report, sourceLabel(), ctx.out());
    }

    /**
     * Adds the command's own fields to the JSON report, after the common ones; none by default.
     *
     * @param report the run's report
     * @param json the report, inside its object
     */
    void reportFields(BackupReport report, Json json) {
        // the common fields only
    }

    /**
     * Returns whether stdout lists the failures of a finished run (below the statistics block);
     * {@code verify} lists its problems itself.
     */
    boolean failuresOnStdout() {
        return !quiet() && sourceLabel() != null;
    }

    /**
     * Prints every failure of a finished run on stderr, {@code --quiet} or not, so that a cron job
     * that drops stdout still sees them. On a terminal, where stdout and stderr show together,
     * failures already listed on stdout are not printed twice.
     */
    private void reportFailures(BackupReport report, int status) {
        if (failuresOnStdout() && ctx.env().interactive()) {
            return;
        }
        List<ReportError> errors = report.allErrors();
        for (ReportError e : errors) {
            ctx.err().println("imapbackup " + name() + ": " + ctx.secrets().redact(Statistics.describe(e)));
        }
        if (errors.isEmpty() && status != 0) {
            ctx.err().println("imapbackup " + name() + ": finished with failures (exit status " + status + ")");
        }
    }

    /**
     * Makes Ctrl-C (or SIGTERM) stop the work at a boundary instead of killing it: {@code note} goes
     * to stderr at once, {@code cancel} runs, and the JVM exits only once this command has printed
     * its statistics and written its report.
     *
     * @param note what to say at once
     * @param cancel asks the work to stop
     */
    void onInterrupt(String note, Runnable cancel) {
        if (interruption != null) {
            interruption.close(); // one hook at a time (the demo runs two backups)
        }
        interruption = Interruption.install(note, cancel, ctx.err());
    }

    /** {@link #onInterrupt} for a backup run. */
    void onBackupInterrupt(Runnable cancel) {
        onInterrupt("imapbackup " + name() + ": interrupted; saving what was copied so far (run the same command"
                + " again to go on from there)", cancel);
    }

    private BackupReport failure(Instant started, String message, int status, Outcome outcome) {
        String text = message == null ? "failed" : ctx.secrets().redact(message);
        ctx.err().println("imapbackup " + name() + ": " + text);
        if (status == ExitStatus.USAGE && !text.contains("--help") && !text.contains("not implemented")
                && !text.contains(" is in use by ")) {
            ctx.err().println("Try 'imapbackup " + name() + " --help'.");
        }
        return new BackupReport(name(), started, Instant.now(), common.dryRun, outcome, List.of(),
                List.of(new ReportError(null, -1, text)));
    }
}
