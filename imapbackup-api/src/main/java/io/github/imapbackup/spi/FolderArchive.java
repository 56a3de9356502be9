package io.github.imapbackup.spi;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.MessageIdentity;
import java.io.Closeable;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The archive of one folder: its mbox file and index. Appends are buffered; {@link #commit()}
 * makes them durable. A crash before commit loses only uncommitted messages, which the next run
 * fetches again. Not thread-safe; {@link #close()} commits and is idempotent.
 */
public interface FolderArchive extends Closeable {

    /** {@return the server state recorded at the last commit, if any} */
    Optional<FolderState> state();

    /** {@return every message the archive holds, in mbox order} */
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
    ArchivedMessage append(NewMessage message, InputStream content) throws BackupException;

    /**
     * Records new flags for a message. The UID is taken under the UIDVALIDITY of the latest
     * {@link #state(FolderState)} (pending or committed), so a caller records the state of a folder
     * whose UIDVALIDITY changed before it addresses messages by UID.
     *
     * @param uid the UID
     * @param flags the flags and keywords now on the server
     * @throws BackupException on failure
     */
    void updateFlags(long uid, Set<String> flags) throws BackupException;

    /**
     * Records that an archived message is the server message with this UID (after the index was
     * lost, UIDVALIDITY changed, or the message was imported): the next run knows it by UID.
     *
     * @param message an entry of {@link #messages()}
     * @param uidValidity the folder's UIDVALIDITY
     * @param uid the message's UID
     * @param flags its flags and keywords
     * @throws BackupException on failure
     */
    void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags)
            throws BackupException;

    /**
     * Adopts as {@link #adopt(ArchivedMessage, long, long, Set)}, after the server's copy was
     * downloaded to match the entry: the archive may learn the exact bytes where its entry did not
     * know them (an index rebuilt from an mbox cannot tell whether the final line end of a message
     * was the server's or added by the mbox writer). The default ignores what was learned.
     *
     * @param message an entry of {@link #messages()}
     * @param uidValidity the folder's UIDVALIDITY
     * @param uid the message's UID
     * @param flags its flags and keywords
     * @param length the exact length of the server's copy: the entry's length, or one less when
     *     the entry holds the server's bytes plus a {@code \n} the mbox writer added
     * @param sha256 lowercase hex SHA-256 of the server's copy
     * @throws BackupException on failure
     */
    default void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags, long length,
            String sha256) throws BackupException {
        adopt(message, uidValidity, uid, flags);
    }

    /**
     * Adopts as {@link #adopt(ArchivedMessage, long, long, Set)} an entry of no known origin (a
     * rebuilt index, a repaired tail, an import) that holds the server's message in another
     * program's form: the engine downloaded the server's copy and found it equal to the stored one
     * only with every CR removed, the white space at both ends stripped and {@code From} quoting
     * ignored, and without a first {@code Message-Id:} line the original imapbackup script put
     * before a message that had none. The stored bytes stay as they are; the archive may record
     * that they are not the server's exact bytes, and the server's RFC822.SIZE, so a later match
     * by identity and size needs no download. The default adopts only.
     *
     * @param message an entry of {@link #messages()}
     * @param uidValidity the folder's UIDVALIDITY
     * @param uid the message's UID
     * @param flags its flags and keywords
     * @param size the server's RFC822.SIZE of the message
     * @throws BackupException on failure
     */
    default void adoptConverted(ArchivedMessage message, long uidValidity, long uid, Set<String> flags, long size)
            throws BackupException {
        adopt(message, uidValidity, uid, flags);
    }

    /**
     * Records that the server expunged a message; it stays in the mbox. The UID is taken as in
     * {@link #updateFlags(long, Set)}.
     *
     * @param uid the UID
     * @throws BackupException on failure
     */
    void markExpunged(long uid) throws BackupException;

    /**
     * Records the server's state of the folder; takes effect at the next commit.
     *
     * @param state the state
     * @throws BackupException on failure
     */
    void state(FolderState state) throws BackupException;

    /**
     * Makes everything appended and recorded so far durable (flush, fsync).
     *
     * @throws BackupException on failure
     */
    void commit() throws BackupException;

    /**
     * Opens the exact bytes of an archived message (as the server sent them).
     *
     * @param message an entry of {@link #messages()}
     * @return the bytes; the caller closes the stream
     * @throws BackupException on failure
     */
    InputStream openMessage(ArchivedMessage message) throws BackupException;

    /** Commits and releases the files. */
    @Override
    void close() throws BackupException;

    /**
     * What to record about a message being appended.
     *
     * @param uidValidity the UIDVALIDITY, or 0 when not from a server
     * @param uid the UID, or 0 when not from a server
     * @param identity the identity
     * @param size RFC822.SIZE, or -1 to record the actual length
     * @param internalDate INTERNALDATE (the From_ line's date)
     * @param flags flags and keywords
     * @param sender the envelope sender for the From_ line ({@code MAILER-DAEMON} when null)
     */
    record NewMessage(long uidValidity, long uid, MessageIdentity identity, long size,
            Instant internalDate, Set<String> flags, String sender) {

        /**
         * Validates and copies.
         *
         * @param uidValidity the UIDVALIDITY, or 0 when not from a server
         * @param uid the UID, or 0 when not from a server
         * @param identity the identity
         * @param size RFC822.SIZE, or -1 to record the actual length
         * @param internalDate INTERNALDATE (the From_ line's date)
         * @param flags flags and keywords
         * @param sender the envelope sender for the From_ line ({@code MAILER-DAEMON} when null)
         */
        public NewMessage {
            java.util.Objects.requireNonNull(identity, "identity");
            java.util.Objects.requireNonNull(internalDate, "internalDate");
            flags = Set.copyOf(flags);
        }
    }
}
