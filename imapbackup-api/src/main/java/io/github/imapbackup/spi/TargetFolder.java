package io.github.imapbackup.spi;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.internal.Duplicates;
import java.io.Closeable;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One folder of a {@link MessageTarget}, open for writing (or, from
 * {@link MessageTarget#inspect}, for reading only). The engine lists what it holds
 * ({@link #messages()}, copies counted), appends what is missing with flags, keywords and
 * INTERNALDATE ({@link #append}), and makes the appends durable ({@link #commit()}). Appends
 * before a commit may be lost by a crash; the next run copies them again.
 *
 * <p>A target that keeps the state of an incremental backup (a {@link FolderArchive}) also records
 * the source's folder state, flag changes, expunges and which source message an entry is. A
 * target without such state (an IMAP account, an export directory) has nothing to record: the
 * defaults of those methods do nothing.
 *
 * <pre>{@code
 * try (TargetFolder folder = target.open(info, extractor)) {
 *     TargetFolder.NewMessage m = new TargetFolder.NewMessage(0, 0, id, -1, date, Set.of("\\Seen"), null);
 *     try (InputStream in = Files.newInputStream(eml)) {
 *         ArchivedMessage stored = folder.append(m, in);
 *         log.info("stored {} bytes", stored.length());
 *     }
 *     folder.commit();
 * }
 * }</pre>
 *
 * <p>Not thread-safe; {@link #close()} commits and is idempotent.
 */
public interface TargetFolder extends Closeable {

    /**
     * Returns every message the folder holds, copies counted, in the folder's order. A target that
     * reads its list only when asked (an mbox folder opened by its summary) throws an
     * {@link java.io.UncheckedIOException} wrapping a {@link BackupException} when that read fails;
     * the engine reports the wrapped failure.
     *
     * @return the messages
     */
    List<ArchivedMessage> messages();

    /**
     * Appends one message, streaming its bytes (never buffering the whole message). If reading
     * {@code content} fails, nothing of the message stays in the folder.
     *
     * <p>The returned entry's {@link ArchivedMessage#flags() flags} are the flags and keywords the
     * target actually stored: a target that cannot keep some (an IMAP server's PERMANENTFLAGS)
     * drops them and returns the rest; the engine counts the difference as dropped flags. A target
     * that returns before the message is confirmed (pipelining) returns UID 0 and SHA-256 null and
     * reports a refusal later to the {@link #onRejected handler}.
     *
     * @param message what to record about it: flags, keywords, INTERNALDATE, identity
     * @param content the exact bytes; read to the end, not closed
     * @return the new entry, with its length, the flags stored, SHA-256 and UID when the target
     *     knows them (else null and 0)
     * @throws io.github.imapbackup.MessageRejectedException when the target refused this one
     *     message and the folder stays usable (too big, malformed): the engine reports the message
     *     as failed and goes on
     * @throws BackupException on another failure (the connection, the file system): the engine
     *     fails the folder; the folder stays consistent
     */
    ArchivedMessage append(NewMessage message, InputStream content) throws BackupException;

    /**
     * Registers what to call when the target refuses a message after {@link #append} returned
     * (a target that pipelines its appends, an IMAP server given non-synchronising literals). The
     * target calls it with the very {@link NewMessage} instance given to {@code append} and a
     * {@link io.github.imapbackup.MessageRejectedException} with the target's words, at the
     * latest before {@link #commit()} (or {@link #close()}) returns; the engine then no longer
     * counts that message as copied and reports it as failed. A failure of the connection itself
     * is not reported here: {@code append} or {@code commit} throws it. The engine registers the
     * handler right after opening the folder. The default (a target that confirms each append
     * before returning) never calls it.
     *
     * @param handler receives each message refused late, with why; may be called from another
     *     thread than the engine's
     */
    default void onRejected(BiConsumer<NewMessage, BackupException> handler) {
        // a target that confirms every append before returning refuses nothing later
    }

    /**
     * Makes everything appended and recorded so far durable.
     *
     * @throws BackupException on failure
     */
    void commit() throws BackupException;

    /**
     * Opens the exact bytes of a message the folder holds.
     *
     * @param message an entry of {@link #messages()}
     * @return the bytes; the caller closes the stream
     * @throws BackupException on failure
     */
    InputStream openMessage(ArchivedMessage message) throws BackupException;

    /**
     * {@return the source's folder state recorded at the last commit; the default: none (a target
     * without incremental state)}
     */
    default Optional<FolderState> state() {
        return Optional.empty();
    }

    /**
     * Returns the extra byte-identical copies (same SHA-256 of the exact bytes) among the messages
     * the folder holds under a UIDVALIDITY: bound to a UID of it and not marked expunged (a UID
     * held by two entries counts its last one); a message held three times counts two. The engine
     * reports it as the duplicates of a folder in which nothing changed, without listing the
     * folder's messages. The default counts over {@link #messages()}; a target that recorded the
     * count with its last commit may answer from that record, as long as it equals the count over
     * {@link #messages()}.
     *
     * @param uidValidity the UIDVALIDITY of the folder on the source
     * @return the extra copies
     */
    default long duplicates(long uidValidity) {
        return Duplicates.among(messages(), uidValidity);
    }

    /**
     * Records the source's state of the folder; takes effect at the next commit. The default
     * records nothing.
     *
     * @param state the state
     * @throws BackupException on failure
     */
    default void state(FolderState state) throws BackupException {
        // a target without incremental state has nothing to record
    }

    /**
     * Records new flags for a message. The UID is taken under the UIDVALIDITY of the latest
     * {@link #state(FolderState)} (pending or committed), so a caller records the state of a folder
     * whose UIDVALIDITY changed before it addresses messages by UID. The default records nothing.
     *
     * @param uid the UID
     * @param flags the flags and keywords now on the source
     * @throws BackupException on failure
     */
    default void updateFlags(long uid, Set<String> flags) throws BackupException {
        // a target without incremental state has nothing to record
    }

    /**
     * Records new Gmail labels for a message ({@link MessageInfo#labels()}), the UID taken as in
     * {@link #updateFlags(long, Set)}. The default records nothing.
     *
     * @param uid the UID
     * @param labels the labels now on the source
     * @throws BackupException on failure
     */
    default void updateLabels(long uid, Set<String> labels) throws BackupException {
        // a target that keeps no labels has nothing to record
    }

    /**
     * Records that a held message is the source message with this UID (after the index was lost,
     * UIDVALIDITY changed, or the message was imported): the next run knows it by UID. The default
     * records nothing.
     *
     * @param message an entry of {@link #messages()}
     * @param uidValidity the folder's UIDVALIDITY
     * @param uid the message's UID
     * @param flags its flags and keywords
     * @throws BackupException on failure
     */
    default void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags)
            throws BackupException {
        // a target without incremental state has nothing to record
    }

    /**
     * Adopts as {@link #adopt(ArchivedMessage, long, long, Set)}, after the source's copy was
     * downloaded to match the entry: the folder may learn the exact bytes where its entry did not
     * know them (an index rebuilt from an mbox cannot tell whether the final line end of a message
     * was the server's or added by the mbox writer). The default ignores what was learned.
     *
     * @param message an entry of {@link #messages()}
     * @param uidValidity the folder's UIDVALIDITY
     * @param uid the message's UID
     * @param flags its flags and keywords
     * @param length the exact length of the source's copy: the entry's length, or one less when
     *     the entry holds the source's bytes plus a {@code \n} the mbox writer added
     * @param sha256 lowercase hex SHA-256 of the source's copy
     * @throws BackupException on failure
     */
    default void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags, long length,
            String sha256) throws BackupException {
        adopt(message, uidValidity, uid, flags);
    }

    /**
     * Adopts as {@link #adopt(ArchivedMessage, long, long, Set)} an entry of no known origin (a
     * rebuilt index, a repaired tail, an import) that holds the source's message in another
     * program's form: the engine downloaded the source's copy and found it equal to the stored one
     * only with every CR removed, the white space at both ends stripped and {@code From} quoting
     * ignored, and without a first {@code Message-Id:} line the original imapbackup script put
     * before a message that had none. The stored bytes stay as they are; the folder may record
     * that they are not the source's exact bytes, and the source's RFC822.SIZE, so a later match
     * by identity and size needs no download. The default adopts only.
     *
     * @param message an entry of {@link #messages()}
     * @param uidValidity the folder's UIDVALIDITY
     * @param uid the message's UID
     * @param flags its flags and keywords
     * @param size the source's RFC822.SIZE of the message
     * @throws BackupException on failure
     */
    default void adoptConverted(ArchivedMessage message, long uidValidity, long uid, Set<String> flags, long size)
            throws BackupException {
        adopt(message, uidValidity, uid, flags);
    }

    /**
     * Records that the source expunged a message; the folder keeps it. The UID is taken as in
     * {@link #updateFlags(long, Set)}. The default records nothing.
     *
     * @param uid the UID
     * @throws BackupException on failure
     */
    default void markExpunged(long uid) throws BackupException {
        // a target without incremental state has nothing to record
    }

    /**
     * Ends a pass that did not finish (cancelled, or the folder failed) for a target whose output
     * is whole or not at all, such as an exported mbox file: drops what was appended since the
     * last commit, releases the folder and returns {@code true}; {@link #close()} is then not
     * called. The default returns {@code false} and does nothing: the engine commits what was
     * appended and closes, as a backup keeps every message it got.
     *
     * @return whether the folder dropped the unfinished pass and is closed
     * @throws BackupException on failure
     */
    default boolean abort() throws BackupException {
        return false;
    }

    /**
     * Deletes messages the folder holds, and nothing else (a migration's {@code --delete2}: what
     * the source does not hold). The engine calls it only after {@link #commit()} returned, never
     * in a dry run. The default throws: the target cannot delete.
     *
     * @param messages entries of {@link #messages()} listed when the folder was opened
     * @return how many of them are gone; fewer when the target could only mark the others as
     *     deleted (an IMAP server without UIDPLUS: flagged {@code \Deleted}, never expunged with a
     *     bare EXPUNGE that could take other messages), which the engine reports
     * @throws BackupException when the target cannot delete them (the default, always)
     */
    default long delete(List<ArchivedMessage> messages) throws BackupException {
        throw new BackupException("this target cannot delete messages (" + getClass().getSimpleName()
                + "); run without deleting from the target", null);
    }

    /** Commits and releases what the folder holds open; idempotent. */
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
     * @param labels Gmail's labels ({@link MessageInfo#labels()}), empty when none
     */
    record NewMessage(long uidValidity, long uid, MessageIdentity identity, long size,
            Instant internalDate, Set<String> flags, String sender, Set<String> labels) {

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
         * @param labels Gmail's labels, empty when none
         */
        public NewMessage {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(internalDate, "internalDate");
            flags = Set.copyOf(flags);
            labels = Set.copyOf(labels);
        }

        /**
         * A message without labels.
         *
         * @param uidValidity the UIDVALIDITY, or 0 when not from a server
         * @param uid the UID, or 0 when not from a server
         * @param identity the identity
         * @param size RFC822.SIZE, or -1 to record the actual length
         * @param internalDate INTERNALDATE (the From_ line's date)
         * @param flags flags and keywords
         * @param sender the envelope sender for the From_ line ({@code MAILER-DAEMON} when null)
         */
        public NewMessage(long uidValidity, long uid, MessageIdentity identity, long size,
                Instant internalDate, Set<String> flags, String sender) {
            this(uidValidity, uid, identity, size, internalDate, flags, sender, Set.of());
        }
    }
}
