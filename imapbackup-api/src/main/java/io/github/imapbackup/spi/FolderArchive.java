package io.github.imapbackup.spi;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.MessageIdentity;
import java.io.Closeable;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The archive of one folder of a {@link MailboxStore}: its mbox file and index. The target folder
 * of an incremental backup: unlike a plain {@link TargetFolder} it must keep the incremental
 * state (the source's folder state, flags, adoptions, expunges). Appends are buffered;
 * {@link #commit()} makes them durable. A crash before commit loses only uncommitted messages,
 * which the next run fetches again. Not thread-safe; {@link #close()} commits and is idempotent.
 *
 * <pre>{@code
 * try (FolderArchive archive = store.open(info, MessageIdExtractor.standard())) {
 *     archive.state().ifPresent(s -> log.info("UIDNEXT {}", s.uidNext()));
 * }
 * }</pre>
 */
public interface FolderArchive extends TargetFolder {

    /** {@return the server state recorded at the last commit, if any} */
    @Override
    Optional<FolderState> state();

    /** {@return every message the archive holds, in mbox order} */
    @Override
    List<ArchivedMessage> messages();

    /**
     * Appends one message, streaming its bytes (never buffering the whole message). If reading
     * {@code content} fails, nothing of the message stays in the archive (a compressed archive spools
     * the message to a temporary file first).
     *
     * @param message what to record about it
     * @param content the exact bytes; read to the end, not closed
     * @return the index entry, with offset, length and SHA-256
     * @throws BackupException on failure; the archive stays consistent
     */
    @Override
    ArchivedMessage append(NewMessage message, InputStream content) throws BackupException;

    @Override
    void updateFlags(long uid, Set<String> flags) throws BackupException;

    @Override
    void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags) throws BackupException;

    @Override
    void markExpunged(long uid) throws BackupException;

    @Override
    void state(FolderState state) throws BackupException;

    /**
     * Makes everything appended and recorded so far durable (flush, fsync).
     *
     * @throws BackupException on failure
     */
    @Override
    void commit() throws BackupException;

    /**
     * Opens the exact bytes of an archived message (as the server sent them).
     *
     * @param message an entry of {@link #messages()}
     * @return the bytes; the caller closes the stream
     * @throws BackupException on failure
     */
    @Override
    InputStream openMessage(ArchivedMessage message) throws BackupException;

    /** Commits and releases the files. */
    @Override
    void close() throws BackupException;
}
