package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.RunInfo;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the library (engine, importer, exporter) talks to a user's listener: it makes the
 * run's listener with the factory, names the run in every event, and keeps a listener that throws
 * from stopping the work. The first failure of each event type is logged with its stack trace,
 * later ones in one line. A failing folder is logged here, once, at WARN in one line under the
 * logger {@value #FOLDERS_LOGGER} (the callers log its stack trace at DEBUG). Thread-safe.
 */
public final class SafeListener {

    /** The logger of failing folders (a front end that lists failures itself may quieten it). */
    public static final String FOLDERS_LOGGER = "io.github.imapbackup.folders";

    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);
    private static final Logger FOLDERS = LoggerFactory.getLogger(FOLDERS_LOGGER);

    private final RunInfo run;
    private final BackupListener delegate;
    /** The event types whose failure was logged with a stack trace. */
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    private SafeListener(RunInfo run, BackupListener delegate) {
        this.run = run;
        this.delegate = delegate;
    }

    /**
     * Starts a run: makes its listener and tells it that the run started.
     *
     * @param factory the listener factory
     * @param command the operation, e.g. {@code backup}
     * @param dryRun whether nothing will be written
     * @param startedAt when the run started
     * @return the run's events
     */
    public static SafeListener start(BackupListener.Factory factory, String command, boolean dryRun,
            Instant startedAt) {
        RunInfo run = RunInfo.start(command, dryRun, startedAt);
        BackupListener listener;
        try {
            listener = factory.create(run);
        } catch (RuntimeException e) {
            LOG.warn("listener factory {} failed for run {}; the run goes on without a listener",
                    factory.getClass().getName(), run.id(), e);
            listener = null;
        }
        SafeListener events = new SafeListener(run, listener == null ? BackupListener.NONE : listener);
        events.guard("runStarted", () -> events.delegate.runStarted(run));
        return events;
    }

    /** {@return the run} */
    public RunInfo run() {
        return run;
    }

    private void guard(String event, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (logged.add(event)) {
                LOG.warn("listener {} failed in {} (run {}); the run goes on, and later failures of this event"
                        + " are logged in one line", delegate.getClass().getName(), event, run.id(), e);
            } else {
                LOG.warn("listener {} failed in {} again (run {}): {}", delegate.getClass().getName(), event,
                        run.id(), e.toString());
            }
        }
    }

    /**
     * Ends the run: makes its report and tells the listener.
     *
     * @param outcome how the run ended
     * @param folders the folders' reports
     * @param errors the failures of no single folder
     * @param finishedAt when it ended
     * @return the report
     */
    public BackupReport finish(Outcome outcome, List<FolderReport> folders, List<ReportError> errors,
            Instant finishedAt) {
        BackupReport report = new BackupReport(run.command(), run.startedAt(), finishedAt, run.dryRun(), outcome,
                folders, errors);
        runFinished(report);
        return report;
    }

    /**
     * The run finished.
     *
     * @param report its report
     */
    public void runFinished(BackupReport report) {
        guard("runFinished", () -> delegate.runFinished(run, report));
    }

    /**
     * Work on a folder started.
     *
     * @param folder the folder
     * @param messagesOnSource messages on the source, or -1
     * @param messagesToCopy messages to copy, or -1
     * @param bytesToCopy bytes to copy, or -1
     */
    public void folderStarted(FolderInfo folder, long messagesOnSource, long messagesToCopy, long bytesToCopy) {
        guard("folderStarted", () -> delegate.folderStarted(run, folder, messagesOnSource, messagesToCopy,
                bytesToCopy));
    }

    /**
     * Work on a folder finished.
     *
     * @param folder the folder
     * @param report its report
     */
    public void folderFinished(FolderInfo folder, FolderReport report) {
        guard("folderFinished", () -> delegate.folderFinished(run, folder, report));
    }

    /**
     * A folder failed as a whole.
     *
     * @param folder the folder
     * @param failure what went wrong
     */
    public void folderFailed(FolderInfo folder, BackupException failure) {
        FOLDERS.warn("folder \"{}\" failed: {}", folder.name(), failure.getMessage());
        guard("folderFailed", () -> delegate.folderFailed(run, folder, failure));
    }

    /**
     * A message was copied.
     *
     * @param folder the folder
     * @param uid its UID, or 0
     * @param bytes its length
     */
    public void messageCopied(FolderInfo folder, long uid, long bytes) {
        guard("messageCopied", () -> delegate.messageCopied(run, folder, uid, bytes));
    }

    /**
     * A message failed.
     *
     * @param folder the folder
     * @param uid its UID, or 0
     * @param failure what went wrong
     */
    public void messageFailed(FolderInfo folder, long uid, BackupException failure) {
        guard("messageFailed", () -> delegate.messageFailed(run, folder, uid, failure));
    }

    /**
     * Bytes of a message in flight arrived.
     *
     * @param folder the folder
     * @param bytes bytes since the last call
     */
    public void bytesTransferred(FolderInfo folder, long bytes) {
        guard("bytesTransferred", () -> delegate.bytesTransferred(run, folder, bytes));
    }
}
