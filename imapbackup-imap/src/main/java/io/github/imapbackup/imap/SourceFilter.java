package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.spi.MessageInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.eclipse.angus.mail.iap.BadCommandException;

/**
 * Which messages of a folder the source lists (see docs/ARCHITECTURE.md, "Source filters"), all
 * conditions combined with AND: the user's SEARCH expression, INTERNALDATE age in days and
 * RFC822.SIZE in bytes. Size and age are sent to the server as well (only to list fewer messages;
 * the age widened by a day on each side, since SEARCH dates have day granularity in the server's
 * time zone) and then checked exactly on each listed message.
 *
 * @param search an IMAP SEARCH expression, or null
 * @param maxAgeDays only messages not older than this many days, or -1
 * @param minAgeDays only messages older than this many days, or -1
 * @param maxSize only messages of at most this many bytes, or -1
 * @param minSize only messages of at least this many bytes, or -1
 */
record SourceFilter(String search, int maxAgeDays, int minAgeDays, long maxSize, long minSize) {

    /** Every message. */
    static final SourceFilter NONE = new SourceFilter(null, -1, -1, -1, -1);

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** {@return whether some messages may be left out} */
    boolean active() {
        return search != null || maxAgeDays >= 0 || minAgeDays >= 0 || maxSize >= 0 || minSize >= 0;
    }

    /** {@return the UID SEARCH criteria for the messages from {@code fromUid} on, at {@code now}} */
    String criteria(long fromUid, Instant now) {
        StringBuilder c = new StringBuilder("UID ").append(fromUid).append(":*");
        if (maxAgeDays >= 0) {
            c.append(" SINCE ").append(DATE.format(now.minus(Duration.ofDays(maxAgeDays + 1L))));
        }
        if (minAgeDays >= 0) {
            c.append(" BEFORE ").append(DATE.format(now.minus(Duration.ofDays(minAgeDays - 2L))));
        }
        if (maxSize >= 0) {
            c.append(" NOT LARGER ").append(maxSize);
        }
        if (minSize >= 0) {
            c.append(" NOT SMALLER ").append(minSize);
        }
        if (search != null) {
            // last, so that an operator left dangling at its end (NOT, OR) is refused by the server
            // instead of applying to the conditions above; search keys in a row are ANDed
            c.append(' ').append(search);
        }
        return c.toString();
    }

    /** {@return whether a listed message passes the exact age and size conditions at {@code now}} */
    boolean keeps(MessageInfo m, Instant now) {
        if (maxAgeDays >= 0 && m.internalDate().isBefore(now.minus(Duration.ofDays(maxAgeDays)))) {
            return false;
        }
        if (minAgeDays >= 0 && m.internalDate().isAfter(now.minus(Duration.ofDays(minAgeDays)))) {
            return false;
        }
        return (maxSize < 0 || m.size() <= maxSize) && (minSize < 0 || m.size() >= minSize);
    }

    /**
     * Runs the search, mapping a server's BAD to a {@link SearchRejectedException} naming the
     * folder and the expression.
     */
    long[] search(FolderQueries queries, String folder, long fromUid, Instant now) throws BackupException {
        try {
            return queries.search(criteria(fromUid, now), fromUid);
        } catch (BackupException e) {
            BadCommandException bad = Errors.find(e, BadCommandException.class);
            if (bad != null && search != null) {
                throw new SearchRejectedException(folder, search, Errors.text(bad));
            }
            throw e;
        }
    }
}
