package io.github.imapbackup;

/**
 * Receives progress events of a run. Every method has a no-op default; override what you need.
 * Events of one folder arrive on one thread, in order; folders may run on several threads, so an
 * implementation shared by them must be thread-safe. A listener that throws is logged and does not
 * stop the work.
 *
 * <pre>{@code
 * BackupListener printer = new BackupListener() {
 *     @Override
 *     public void folderFinished(FolderReport report) {
 *         log.info("{}: {} new", report.name(), report.counters().messagesCopied());
 *     }
 * };
 * }</pre>
 */
public interface BackupListener {

    /** A listener that ignores everything. */
    BackupListener NONE = new BackupListener() { };

    /**
     * The run started.
     *
     * @param command the operation, e.g. {@code backup}
     * @param dryRun whether nothing will be written
     */
    default void sessionStarted(String command, boolean dryRun) { }

    /**
     * The run finished (also after failures or cancellation).
     *
     * @param report the report
     */
    default void sessionFinished(BackupReport report) { }

    /**
     * Work on a folder started.
     *
     * @param folder the folder name
     * @param messagesOnSource messages found on the source, or -1 when not yet known
     * @param messagesToCopy messages that will be copied, or -1 when not yet known
     * @param bytesToCopy bytes that will be copied, or -1 when not yet known
     */
    default void folderStarted(String folder, long messagesOnSource, long messagesToCopy,
            long bytesToCopy) { }

    /**
     * Work on a folder finished (possibly with message failures, listed in the report).
     *
     * @param report the folder's report
     */
    default void folderFinished(FolderReport report) { }

    /**
     * A folder failed as a whole; the run goes on with the others unless fail-fast was asked.
     *
     * @param folder the folder name
     * @param failure what went wrong
     */
    default void folderFailed(String folder, BackupException failure) { }

    /**
     * A message was copied: written to the destination. It is made durable at the next commit; if
     * that commit fails, the message is lost from the destination and a later
     * {@link #messageFailed} for the same folder and UID corrects this event (the report counts
     * only committed messages as copied).
     *
     * @param folder the folder name
     * @param uid the UID on the source, or 0 when the source has none
     * @param bytes the message's bytes
     */
    default void messageCopied(String folder, long uid, long bytes) { }

    /**
     * A message could not be copied, or (after {@link #messageCopied}) was written but not kept
     * because saving the file failed; the run goes on.
     *
     * @param folder the folder name
     * @param uid the UID, or 0 when unknown
     * @param failure what went wrong
     */
    default void messageFailed(String folder, long uid, BackupException failure) { }

    /**
     * Bytes of a message in flight arrived (for progress displays of large messages).
     *
     * @param folder the folder name
     * @param bytes bytes since the last call
     */
    default void bytesTransferred(String folder, long bytes) { }
}
