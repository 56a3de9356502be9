package io.github.imapbackup.spi;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderInfo;
import java.io.Closeable;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A folder opened read-only. Never changes anything on the server (bodies are fetched with
 * {@code BODY.PEEK}), except through {@link #delete(long[])}, which only a migration asked to
 * delete from its source calls. Not thread-safe; {@link #close()} is idempotent.
 */
public interface SourceFolder extends Closeable {

    /** {@return the folder} */
    FolderInfo folder();

    /** {@return the status seen when the folder was opened} */
    FolderStatus status();

    /**
     * Fetches the metadata (UID, RFC822.SIZE, INTERNALDATE, FLAGS, MODSEQ, identity) of every
     * message with a UID of at least {@code fromUid}, in batches, in UID order.
     *
     * @param fromUid the lowest UID wanted (1 for all)
     * @return the messages, in ascending UID order
     * @throws BackupException on failure
     */
    List<MessageInfo> messages(long fromUid) throws BackupException;

    /**
     * Returns the UIDs of all messages now in the folder, in ascending order.
     *
     * @return the UIDs
     * @throws BackupException on failure
     */
    long[] uids() throws BackupException;

    /**
     * Returns the UIDs, among {@code 1..upToUid}, of the messages expunged since {@code modSeq},
     * when the source can tell without listing every message (IMAP QRESYNC:
     * {@code UID FETCH 1:upToUid (UID) (CHANGEDSINCE modSeq VANISHED)}); empty when it cannot.
     * The answer may name UIDs that never existed; the caller checks it against the message count
     * and lists {@link #uids()} when they disagree. The default returns empty.
     *
     * @param modSeq the HIGHESTMODSEQ of the last run, more than 0
     * @param upToUid the highest UID the caller knows of
     * @return the expunged UIDs, ascending, or empty when the source cannot tell
     * @throws BackupException on failure
     */
    default Optional<long[]> expungedSince(long modSeq, long upToUid) throws BackupException {
        return Optional.empty();
    }

    /**
     * Returns the flags of messages whose flags changed since {@code modSeq} (CHANGEDSINCE when the
     * server has CONDSTORE and {@code modSeq > 0}), otherwise of every message (one batched FETCH).
     *
     * @param modSeq the HIGHESTMODSEQ of the last run, or 0
     * @return UID to flags and keywords
     * @throws BackupException on failure
     */
    Map<Long, Set<String>> flags(long modSeq) throws BackupException;

    /**
     * Returns the Gmail labels ({@link MessageInfo#labels()}) of messages whose labels may have
     * changed since {@code modSeq} (as {@link #flags(long)}), when this source records labels;
     * empty (the default) when it does not.
     *
     * @param modSeq the HIGHESTMODSEQ of the last run, or 0
     * @return UID to labels
     * @throws BackupException on failure
     */
    default Map<Long, Set<String>> labels(long modSeq) throws BackupException {
        return Map.of();
    }

    /**
     * Returns the SHA-256 of a message's exact bytes when the source already knows it without
     * fetching them (a file source computes it while listing), so that two distinct messages
     * sharing a Message-ID are told apart without a download. An IMAP server does not know it.
     *
     * @param uid the UID, as {@link #messages(long)} listed it
     * @return the lowercase hex SHA-256, or empty (the default)
     */
    default Optional<String> sha256(long uid) {
        return Optional.empty();
    }

    /**
     * Opens the exact bytes of one message (BODY.PEEK[]), streamed in chunks; never buffers the
     * whole message. The caller closes the stream before opening the next one.
     *
     * @param uid the UID
     * @return the message bytes
     * @throws BackupException if the message cannot be fetched (e.g. it was expunged meanwhile)
     */
    InputStream openMessage(long uid) throws BackupException;

    /**
     * Streams the bodies of several messages to {@code sink}, one message at a time, in the order
     * given (normally ascending UID). A source may fetch them with one command (IMAP: one
     * {@code UID FETCH a,b,c (BODY.PEEK[])} for the small ones); it holds at most one message of
     * moderate size in memory at a time and keeps the chunked {@link #openMessage(long)} for big
     * ones. Each message of {@code messages} is given either to {@link MessageSink#message} or,
     * when it cannot be fetched, to {@link MessageSink#failed} with its UID; a
     * {@link ConnectionException} ends the call, and the messages not yet given to the sink are
     * not done. The default calls {@link #openMessage(long)} for each message.
     *
     * @param messages the messages, as returned by {@link #messages(long)}
     * @param sink receives each message
     * @throws ConnectionException when the connection is lost
     * @throws BackupException when the sink throws, or on another failure of the whole fetch
     */
    default void fetchMessages(List<MessageInfo> messages, MessageSink sink) throws BackupException {
        for (MessageInfo m : messages) {
            InputStream in;
            try {
                in = openMessage(m.uid());
            } catch (ConnectionException e) {
                throw e;
            } catch (BackupException e) {
                sink.failed(m.uid(), e);
                continue;
            }
            try {
                sink.message(m.uid(), in);
            } finally {
                try {
                    in.close();
                } catch (java.io.IOException e) {
                    // the message was taken; a failed close changes nothing
                }
            }
        }
    }

    /**
     * Returns which of these messages the source no longer holds, asked anew: messages listed by
     * {@link #messages(long)} and expunged since, typically by another client during the run (an
     * IMAP source lets the server report expunges, then searches for the UIDs). The engine asks
     * once per folder about the messages that could not be fetched: one that is gone is counted in
     * {@link io.github.imapbackup.Counters#expungedBeforeCopy()} instead of failing; one still
     * there stays a failure. The default cannot tell (empty), and every such message stays a failure.
     *
     * @param uids UIDs as {@link #messages(long)} listed them, ascending
     * @return those of {@code uids} that are gone, ascending; empty when the source cannot tell
     * @throws BackupException when asking fails (the messages then stay failures)
     */
    default Optional<long[]> expungedOf(long[] uids) throws BackupException {
        return Optional.empty();
    }

    /**
     * Deletes messages from the source folder, and nothing else (a migration's {@code --delete1}:
     * what was verified on the target). The only call that writes to the source: an IMAP source
     * selects the folder read-write for it alone, checks that its UIDVALIDITY is the one
     * {@link #status()} saw (else deletes nothing and throws), flags the messages
     * {@code \Deleted} and expunges exactly them (UIDPLUS {@code UID EXPUNGE}). The default
     * throws: the source cannot delete.
     *
     * @param uids UIDs as {@link #messages(long)} listed them
     * @return how many of them are gone; fewer when the source could only flag the others
     *     {@code \Deleted} (no UIDPLUS), which the engine reports
     * @throws BackupException when they cannot be deleted (the default, always)
     */
    default long delete(long[] uids) throws BackupException {
        throw new BackupException("this source cannot delete messages (" + getClass().getSimpleName()
                + "); run without deleting from the source", null);
    }

    @Override
    void close();
}
