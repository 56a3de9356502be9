package io.github.imapbackup;

/**
 * Receives progress events of a run. Every method has a no-op default; override what you need.
 * Every event names its run ({@link RunInfo}: id, command, dry run, start) and, below the run, its
 * folder ({@link FolderInfo}), so one listener can serve several runs at once. Work on a folder
 * starts with {@link #folderStarted} and ends with {@link #folderFinished} or {@link #folderFailed};
 * the run ends with {@link #runFinished}, whose report says how ({@link BackupReport#outcome()}),
 * also after a cancel or a failure that stopped it.
 *
 * <p>Events of one folder arrive on one thread, in order; folders may run on several threads, so an
 * implementation shared by them must be thread-safe (or made per run by a {@link Factory}). A
 * listener that throws does not stop the work: the library logs its first failure per event type
 * with the stack trace at WARN, and later ones in one line.
 *
 * <pre>{@code
 * BackupListener printer = new BackupListener() {
 *     @Override
 *     public void folderFinished(RunInfo run, FolderInfo folder, FolderReport report) {
 *         log.info("run {}: {}: {} new", run.id(), folder.name(), report.counters().messagesCopied());
 *     }
 * };
 * BackupSession session = BackupSession.builder().source(source).target(store).listener(printer).build();
 * }</pre>
 */
public interface BackupListener {

    /** A listener that ignores everything. */
    BackupListener NONE = new BackupListener() { };

    /**
     * Makes one listener per run (as OkHttp's {@code EventListener.Factory} does per call), for
     * listeners that keep state about their run.
     *
     * <pre>{@code
     * BackupSession.builder().source(source).target(store)
     *         .listenerFactory(run -> new ProgressBar(run.command()))
     *         .build();
     * }</pre>
     */
    @FunctionalInterface
    interface Factory {

        /**
         * Returns the listener of a run that is starting.
         *
         * @param run the run
         * @return its listener (not null)
         */
        BackupListener create(RunInfo run);

        /**
         * Returns a factory that gives every run the same listener (which must then be thread-safe
         * if runs overlap).
         *
         * @param listener the listener
         * @return the factory
         */
        static Factory of(BackupListener listener) {
            java.util.Objects.requireNonNull(listener, "listener");
            return run -> listener;
        }
    }

    /**
     * The run started.
     *
     * @param run the run
     */
    default void runStarted(RunInfo run) { }

    /**
     * The run finished, however it ended (also after a cancel or a failure that stopped it; then
     * {@link BackupReport#outcome()} says so).
     *
     * @param run the run
     * @param report the report
     */
    default void runFinished(RunInfo run, BackupReport report) { }

    /**
     * Work on a folder started.
     *
     * @param run the run
     * @param folder the folder
     * @param messagesOnSource messages found on the source, or -1 when not yet known
     * @param messagesToCopy messages that will be copied, or -1 when not yet known
     * @param bytesToCopy bytes that will be copied, or -1 when not yet known
     */
    default void folderStarted(RunInfo run, FolderInfo folder, long messagesOnSource, long messagesToCopy,
            long bytesToCopy) { }

    /**
     * Work on a folder finished (possibly with message failures, listed in the report).
     *
     * @param run the run
     * @param folder the folder
     * @param report the folder's report
     */
    default void folderFinished(RunInfo run, FolderInfo folder, FolderReport report) { }

    /**
     * A folder failed as a whole; the run goes on with the others unless fail-fast was asked.
     *
     * @param run the run
     * @param folder the folder
     * @param failure what went wrong
     */
    default void folderFailed(RunInfo run, FolderInfo folder, BackupException failure) { }

    /**
     * A message was copied: written to the destination. It is made durable at the next commit; if
     * that commit fails, the message is lost from the destination and a later
     * {@link #messageFailed} for the same folder and UID corrects this event (the report counts
     * only committed messages as copied).
     *
     * @param run the run
     * @param folder the folder
     * @param uid the UID on the source, or 0 when the source has none
     * @param bytes the message's bytes
     */
    default void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) { }

    /**
     * A message could not be copied (the target refused it, or the source could not give its
     * bytes), or (after {@link #messageCopied}) was written but not kept because saving the file
     * failed, or was refused by a target that confirms its appends later; the run goes on. The
     * event corrects the earlier {@code messageCopied}: the message does not count as copied.
     *
     * @param run the run
     * @param folder the folder
     * @param uid the UID, or 0 when unknown
     * @param failure what went wrong
     */
    default void messageFailed(RunInfo run, FolderInfo folder, long uid, BackupException failure) { }

    /**
     * Bytes of a message in flight arrived (for progress displays of large messages).
     *
     * @param run the run
     * @param folder the folder
     * @param bytes bytes since the last call
     */
    default void bytesTransferred(RunInfo run, FolderInfo folder, long bytes) { }
}
