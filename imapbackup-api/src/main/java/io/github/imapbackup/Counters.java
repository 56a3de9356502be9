package io.github.imapbackup;

/**
 * The counters of a report, for one folder or for the whole run.
 *
 * @param messagesOnSource messages found on the source (server folder or input file)
 * @param messagesCopied messages written and committed (made durable); a message written but lost
 *     because saving the file failed is an error, not a copy (in a dry run: that would be written)
 * @param messagesSkipped messages not copied because the destination already holds them
 * @param duplicatesOnSource extra byte-identical copies the source holds in one folder (or input
 *     file): messages whose exact bytes (SHA-256) equal those of another message there, so a
 *     message held three times counts two; every copy is kept. Messages that merely share a
 *     Message-ID are distinct and not counted. Counted from the bytes once known: a backup counts
 *     the folder's messages in the backup, a dry run only those already stored
 * @param bytesCopied message bytes written and committed (or that would be written)
 * @param errors failures (folders or messages)
 * @param flagsUpdated messages whose flags changed on the source and were updated in the index
 * @param messagesExpunged messages newly found expunged on the source (kept in the backup)
 */
public record Counters(long messagesOnSource, long messagesCopied, long messagesSkipped,
        long duplicatesOnSource, long bytesCopied, long errors, long flagsUpdated,
        long messagesExpunged) {

    /** All zero. */
    public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * Validates.
     *
     * @param messagesOnSource messages found on the source (server folder or input file)
     * @param messagesCopied messages written and committed (made durable); a message written but lost
     *     because saving the file failed is an error, not a copy (in a dry run: that would be written)
     * @param messagesSkipped messages not copied because the destination already holds them
     * @param duplicatesOnSource extra byte-identical copies the source holds in one folder (or input
     *     file): messages whose exact bytes (SHA-256) equal those of another message there, so a
     *     message held three times counts two; every copy is kept. Messages that merely share a
     *     Message-ID are distinct and not counted. Counted from the bytes once known: a backup counts
     *     the folder's messages in the backup, a dry run only those already stored
     * @param bytesCopied message bytes written and committed (or that would be written)
     * @param errors failures (folders or messages)
     * @param flagsUpdated messages whose flags changed on the source and were updated in the index
     * @param messagesExpunged messages newly found expunged on the source (kept in the backup)
     */
    public Counters {
        if (messagesOnSource < 0 || messagesCopied < 0 || messagesSkipped < 0
                || duplicatesOnSource < 0 || bytesCopied < 0 || errors < 0 || flagsUpdated < 0
                || messagesExpunged < 0) {
            throw new IllegalArgumentException("negative counter");
        }
    }

    /**
     * Returns the sum of this and {@code other}.
     *
     * @param other the counters to add
     * @return the sum
     */
    public Counters plus(Counters other) {
        return new Counters(messagesOnSource + other.messagesOnSource,
                messagesCopied + other.messagesCopied, messagesSkipped + other.messagesSkipped,
                duplicatesOnSource + other.duplicatesOnSource, bytesCopied + other.bytesCopied,
                errors + other.errors, flagsUpdated + other.flagsUpdated,
                messagesExpunged + other.messagesExpunged);
    }
}
