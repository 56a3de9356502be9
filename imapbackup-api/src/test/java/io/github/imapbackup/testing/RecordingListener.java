package io.github.imapbackup.testing;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.RunInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link BackupListener} that records every event, thread-safe. Optionally it throws from every
 * callback (after recording), to check that a failing listener does not stop the work, or runs a
 * hook on each event (e.g. to cancel a session at a given point).
 *
 * <pre>{@code
 * RecordingListener events = new RecordingListener();
 * BackupSession.builder().source(source).target(store).listener(events).build().run();
 * assertThat(events.count(RecordingListener.Type.MESSAGE_COPIED)).isEqualTo(3);
 * }</pre>
 */
public final class RecordingListener implements BackupListener {

    /** The kinds of event. */
    public enum Type {
        SESSION_STARTED, SESSION_FINISHED, FOLDER_STARTED, FOLDER_FINISHED, FOLDER_FAILED,
        MESSAGE_COPIED, MESSAGE_FAILED, BYTES_TRANSFERRED
    }

    /**
     * One recorded event.
     *
     * @param type the kind
     * @param folder the folder, or null
     * @param uid the UID, or 0
     * @param value a number that comes with the event (bytes, messages to copy), or 0
     * @param failure the failure of a FAILED event, or null
     * @param thread the name of the thread that delivered it
     * @param run the run the event belongs to
     */
    public record Event(Type type, String folder, long uid, long value, BackupException failure,
            String thread, RunInfo run) { }

    private final List<Event> events = new ArrayList<>();
    private final List<FolderReport> folderReports = new ArrayList<>();
    private BackupReport report;
    private final boolean throwing;
    private volatile Consumer<Event> hook = e -> { };

    /** Creates a listener that records. */
    public RecordingListener() {
        this(false);
    }

    /**
     * Creates a listener.
     *
     * @param throwing whether every callback throws an {@link IllegalStateException} after recording
     */
    public RecordingListener(boolean throwing) {
        this.throwing = throwing;
    }

    /**
     * Sets code run after each event is recorded (on the thread that delivered it).
     *
     * @param hook the code
     * @return this listener
     */
    public RecordingListener hook(Consumer<Event> hook) {
        this.hook = Objects.requireNonNull(hook, "hook");
        return this;
    }

    private void record(RunInfo run, Type type, String folder, long uid, long value, BackupException failure) {
        Event e = new Event(type, folder, uid, value, failure, Thread.currentThread().getName(), run);
        synchronized (this) {
            events.add(e);
        }
        hook.accept(e);
        if (throwing) {
            throw new IllegalStateException("listener failure on " + type);
        }
    }

    /** Returns a copy of the events so far, in arrival order. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Returns the events of one kind. */
    public synchronized List<Event> events(Type type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /** Returns how many events of a kind arrived. */
    public synchronized long count(Type type) {
        return events.stream().filter(e -> e.type() == type).count();
    }

    /** Returns the report given to {@code runFinished}, or null. */
    public synchronized BackupReport report() {
        return report;
    }

    /** Returns the reports given to {@code folderFinished}. */
    public synchronized List<FolderReport> folderReports() {
        return List.copyOf(folderReports);
    }

    /** Forgets everything recorded. */
    public synchronized void clear() {
        events.clear();
        folderReports.clear();
        report = null;
    }

    @Override
    public void runStarted(RunInfo run) {
        record(run, Type.SESSION_STARTED, null, 0, run.dryRun() ? 1 : 0, null);
    }

    @Override
    public void runFinished(RunInfo run, BackupReport finished) {
        synchronized (this) {
            report = finished;
        }
        record(run, Type.SESSION_FINISHED, null, 0, 0, null);
    }

    @Override
    public void folderStarted(RunInfo run, FolderInfo folder, long messagesOnSource, long messagesToCopy,
            long bytesToCopy) {
        record(run, Type.FOLDER_STARTED, folder.name(), 0, messagesToCopy, null);
    }

    @Override
    public void folderFinished(RunInfo run, FolderInfo folder, FolderReport folderReport) {
        synchronized (this) {
            folderReports.add(folderReport);
        }
        record(run, Type.FOLDER_FINISHED, folder.name(), 0, folderReport.counters().messagesCopied(), null);
    }

    @Override
    public void folderFailed(RunInfo run, FolderInfo folder, BackupException failure) {
        record(run, Type.FOLDER_FAILED, folder.name(), 0, 0, failure);
    }

    @Override
    public void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
        record(run, Type.MESSAGE_COPIED, folder.name(), uid, bytes, null);
    }

    @Override
    public void messageFailed(RunInfo run, FolderInfo folder, long uid, BackupException failure) {
        record(run, Type.MESSAGE_FAILED, folder.name(), uid, 0, failure);
    }

    @Override
    public void bytesTransferred(RunInfo run, FolderInfo folder, long bytes) {
        record(run, Type.BYTES_TRANSFERRED, folder.name(), 0, bytes, null);
    }
}
