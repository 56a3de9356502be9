package io.github.imapbackup.mbox.format;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * One message of an mbox file, as {@link MboxReader#next()} returns it. The content is a one-shot
 * stream valid until the next call of {@link MboxReader#next()}.
 *
 * <p>The content is the message with the From_ quoting of the file's {@link Dialect} undone and
 * without the empty line that precedes the next From_ line. When imapbackup added a {@code \n}
 * because the message did not end with one, the content includes that {@code \n}: the file
 * itself does not say whether it was added, the folder index does. (In {@link Dialect#MBOXCL} and {@link Dialect#MBOXCL2} a valid {@code Content-Length:}
 * says where the body ends; the content then stops there, and the Content-Length field that
 * is the first header line is left out.)
 */
public final class MboxEntry {

    private final long number;
    private final long offset;
    private final byte[] separator;
    private final String sender;
    private final Instant date;
    private final int lineEndLength;
    private final InputStream content;

    MboxEntry(long number, long offset, byte[] separator, int lineEndLength, String sender,
            Instant date, InputStream content) {
        this.number = number;
        this.offset = offset;
        this.separator = separator;
        this.lineEndLength = lineEndLength;
        this.sender = sender;
        this.date = date;
        this.content = content;
    }

    /**
     * Returns the position of this message in the file, counting from 0.
     *
     * @return the position of this message in the file, counting from 0
     */
    public long number() {
        return number;
    }

    /**
     * Returns the byte offset of the From_ line in the (uncompressed) mbox stream.
     *
     * @return the byte offset of the From_ line in the (uncompressed) mbox stream
     */
    public long offset() {
        return offset;
    }

    /**
     * Returns the From_ line as it is in the file, without its line end, decoded as ISO-8859-1 (so
     * each byte is one character).
     *
     * @return the From_ line without its line end
     */
    public String separator() {
        return new String(separator, StandardCharsets.ISO_8859_1);
    }

    /**
     * Returns the length of the From_ line including its line end.
     *
     * @return the length of the From_ line including its line end
     */
    public int separatorLength() {
        return separator.length + lineEndLength;
    }

    /**
     * Returns the From_ line's sender field: an address, {@code -} or {@code MAILER-DAEMON}.
     *
     * @return the From_ line's sender field: an address, {@code -} or {@code MAILER-DAEMON}
     */
    public String sender() {
        return sender;
    }

    /**
     * Returns the From_ line's date, if it has one that names an existing date and time in a known
     * zone; empty for a From_ line without a date (a separator need not have one).
     *
     * @return the From_ line's date, if known
     */
    public Optional<Instant> date() {
        return Optional.ofNullable(date);
    }

    /**
     * Returns the message bytes, read from the file as they are consumed. Closing the stream does
     * not close the reader; bytes not read are skipped by {@link MboxReader#next()}.
     *
     * @return the message bytes, read from the file as they are consumed
     */
    public InputStream content() {
        return content;
    }

    /**
     * Returns the message bytes without the {@code \n} the writer added, when the folder index says
     * it did: the exact bytes of a message that imapbackup wrote, for comparing with the SHA-256
     * and length in the index.
     *
     * @param newlineAdded whether the writer added a {@code \n} to this message
     * @return {@link #content()} itself if {@code newlineAdded} is false, else a stream that
     *     leaves out its last byte if that is a {@code \n}; closing it does not close the reader
     */
    public InputStream content(boolean newlineAdded) {
        return newlineAdded ? new WithoutAddedNewline(content) : content;
    }

    @Override
    public String toString() {
        return "MboxEntry[" + number + " at " + offset + ": " + separator() + "]";
    }
}
