package io.github.imapbackup.spi;

import io.github.imapbackup.BackupException;
import java.io.InputStream;

/**
 * Receives the messages of {@link SourceFolder#fetchMessages(java.util.List, MessageSink)}, one
 * at a time, on the caller's thread.
 *
 * <pre>{@code
 * folder.fetchMessages(batch, new MessageSink() {
 *     public void message(long uid, InputStream content) throws BackupException {
 *         archive.append(newMessage(uid), content);
 *     }
 * });
 * }</pre>
 */
public interface MessageSink {

    /**
     * Takes one message. The stream is valid only during this call; the sink need not close it.
     * An exception thrown here stops the fetch and is rethrown by {@code fetchMessages}.
     *
     * @param uid the UID
     * @param content the exact bytes of the message (BODY.PEEK[])
     * @throws BackupException to stop the fetch
     */
    void message(long uid, InputStream content) throws BackupException;

    /**
     * Told that one message of the batch could not be fetched (e.g. it was expunged meanwhile);
     * the fetch goes on with the next one. The default rethrows {@code failure}, which stops the
     * fetch.
     *
     * @param uid the UID
     * @param failure why, usually a {@link io.github.imapbackup.FolderException} with the UID
     * @throws BackupException to stop the fetch
     */
    default void failed(long uid, BackupException failure) throws BackupException {
        throw failure;
    }
}
