package io.github.imapbackup.examples.cli;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.CodecUnavailableException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.ReportError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The frame of every command: runs it, maps failures to the exit status of DESIGN §2, prints the
 * statistics block and writes the {@code --report}.
 */
abstract class AbstractCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(AbstractCommand.class);

    @Mixin
    CommonOptions common = new CommonOptions();

    @Spec
    CommandSpec spec;

    /** Set by {@link Main}'s factory before the command runs. */
    Context ctx;

    /** Returns the command name for reports and messages. */
    String name() {
        return spec.name();
    }

    /**
     * Does the work.
     *
     * @param started when the run started
     * @return the report
     * @throws Exception on failure: {@link UsageException} and {@link CodecUnavailableException}
     *     give 2, {@link ConnectionException} 3, other exceptions 1
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
            report = execute(started);
            status = report.exitStatus();
            if (!quiet() && sourceLabel() != null) {
                Statistics.print(report, sourceLabel(), ctx.out());
            }
        } catch (UsageException e) {
            status = BackupReport.EXIT_USAGE;
            report = failure(started, e.getMessage(), status);
        } catch (CodecUnavailableException e) {
            status = BackupReport.EXIT_USAGE;
            report = failure(started, e.getMessage(), status);
        } catch (AuthenticationException e) {
            status = BackupReport.EXIT_CONNECT;
            report = failure(started, "authentication failed: " + e.getMessage(), status);
        } catch (ConnectionException e) {
            status = BackupReport.EXIT_CONNECT;
            report = failure(started, "cannot connect: " + e.getMessage(), status);
        } catch (BackupException e) {
            status = BackupReport.EXIT_PARTIAL;
            report = failure(started, e.getMessage(), status);
        } catch (IOException | UncheckedIOException e) {
            status = BackupReport.EXIT_PARTIAL;
            report = failure(started, "I/O error: " + e.getMessage(), status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = BackupReport.EXIT_PARTIAL;
            report = failure(started, "interrupted", status);
        } catch (Exception e) {
            LOG.error("internal error in {}", name(), e);
            status = BackupReport.EXIT_PARTIAL;
            report = failure(started, "internal error: " + e, status);
        }
        if (common.report != null) {
            try {
                report.writeJson(common.report, status);
            } catch (IOException e) {
                ctx.err().println("imapbackup " + name() + ": cannot write the report " + common.report + ": " + e.getMessage());
                status = Math.max(status, BackupReport.EXIT_PARTIAL);
            }
        }
        if (interruption != null) {
            interruption.close(); // everything is said and written: an interrupted JVM may exit now
        }
        return status;
    }

    /** The Ctrl-C hook of {@link #onInterrupt}, or null. */
    private Interruption interruption;

    /**
     * Makes Ctrl-C (or SIGTERM) stop the work at a boundary instead of killing it: {@code note} goes
     * to stderr at once, {@code cancel} runs, and the JVM exits only once this command has printed
     * its statistics and written its report.
     *
     * @param note what to say at once
     * @param cancel asks the work to stop
     */
    void onInterrupt(String note, Runnable cancel) {
        interruption = Interruption.install(note, cancel, ctx.err());
    }

    private BackupReport failure(Instant started, String message, int status) {
        String text = message == null ? "failed" : message;
        ctx.err().println("imapbackup " + name() + ": " + text);
        if (status == BackupReport.EXIT_USAGE && !text.contains("--help") && !text.contains("not implemented")) {
            ctx.err().println("Try 'imapbackup " + name() + " --help'.");
        }
        return new BackupReport(name(), started, Instant.now(), common.dryRun, List.of(),
                List.of(new ReportError(null, -1, text)));
    }
}
