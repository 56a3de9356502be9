package io.github.imapbackup.testing;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderReport;
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
     */
    public record Event(Type type, String folder, long uid, long value, BackupException failure,
            String thread) { }

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

    private void record(Type type, String folder, long uid, long value, BackupException failure) {
        Event e = new Event(type, folder, uid, value, failure, Thread.currentThread().getName());
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

    /** Returns the report given to {@code sessionFinished}, or null. */
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
    public void sessionStarted(String command, boolean dryRun) {
        record(Type.SESSION_STARTED, null, 0, dryRun ? 1 : 0, null);
    }

    @Override
    public void sessionFinished(BackupReport finished) {
        synchronized (this) {
            report = finished;
        }
        record(Type.SESSION_FINISHED, null, 0, 0, null);
    }

    @Override
    public void folderStarted(String folder, long messagesOnSource, long messagesToCopy, long bytesToCopy) {
        record(Type.FOLDER_STARTED, folder, 0, messagesToCopy, null);
    }

    @Override
    public void folderFinished(FolderReport folderReport) {
        synchronized (this) {
            folderReports.add(folderReport);
        }
        record(Type.FOLDER_FINISHED, folderReport.name(), 0, folderReport.counters().messagesCopied(), null);
    }

    @Override
    public void folderFailed(String folder, BackupException failure) {
        record(Type.FOLDER_FAILED, folder, 0, 0, failure);
    }

    @Override
    public void messageCopied(String folder, long uid, long bytes) {
        record(Type.MESSAGE_COPIED, folder, uid, bytes, null);
    }

    @Override
    public void messageFailed(String folder, long uid, BackupException failure) {
        record(Type.MESSAGE_FAILED, folder, uid, 0, failure);
    }

    @Override
    public void bytesTransferred(String folder, long bytes) {
        record(Type.BYTES_TRANSFERRED, folder, 0, bytes, null);
    }
}
