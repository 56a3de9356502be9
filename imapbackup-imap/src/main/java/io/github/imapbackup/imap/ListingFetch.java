package io.github.imapbackup.imap;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

/**
 * One untagged FETCH response to a folder's metadata listing ({@code UID RFC822.SIZE INTERNALDATE
 * FLAGS BODY.PEEK[HEADER.FIELDS (...)]}, and {@code MODSEQ}), read without Angus's
 * {@code FetchResponse} (docs/benchmarks-imap.md, "The listing's own reader"). In a cold JVM the
 * listings are a third of the client's work while the link fills, and Angus's reading of them
 * parses every {@code INTERNALDATE} with one shared {@code MailDateFormat} under a lock the
 * connections queue for, makes an object per item, and matches every item name against its
 * built-in ones first.
 *
 * <p>It reads with Angus's own primitives ({@code readLong}, {@code readString},
 * {@code readByteArray}, and {@code FLAGS} for the flags, so that flags mean what they always
 * did), and only the items above. Anything else, a form of a date it does not know included, makes
 * {@link #read} answer null, and the response is then read by Angus as before: its failures, and
 * what the connection notes of them, stay exactly Angus's.
 */
final class ListingFetch extends IMAPResponse {

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    long uid = -1;
    /** RFC822.SIZE, or -1 (a field of its own: {@code size} is the response's length, Angus's). */
    long rfc822Size = -1;
    Instant internalDate;
    Set<String> flags;
    long modSeq = -1;
    /** Whether a {@code BODY[...]} item came; its bytes are {@link #header}, null for {@code NIL}. */
    boolean hasHeader;
    /** The header fields' bytes: a view on this response's buffer. */
    ByteArray header;

    private ListingFetch(IMAPResponse r) {
        super(r);
    }

    /**
     * Reads an untagged FETCH response ({@code keyEquals("FETCH")}) from where Angus's reading of
     * its number and key left it; {@code r} itself is not moved.
     *
     * @param r the response
     * @return the response read, or null when it holds anything but the listing's items, or no UID
     */
    static ListingFetch read(IMAPResponse r) {
        ListingFetch f = new ListingFetch(r);
        try {
            return f.parse() ? f : null;
        } catch (ParsingException | RuntimeException e) {
            return null; // Angus reads it, and says what is wrong with it
        }
    }

    private boolean parse() throws ParsingException {
        if (!isNextNonSpace('(')) {
            return false;
        }
        do {
            skipSpaces();
            if (index >= size) {
                return false;
            }
            if (name("UID ")) {
                long u = readLong();
                if (u < 0 || uid >= 0 && u != uid) {
                    return false;
                }
                uid = u;
            } else if (name("RFC822.SIZE ")) {
                rfc822Size = readLong();
                if (rfc822Size < 0) {
                    return false;
                }
            } else if (name("INTERNALDATE ")) {
                String s = readString();
                internalDate = s == null ? null : date(s);
                if (internalDate == null) {
                    return false;
                }
            } else if (name("FLAGS ")) {
                flags = Messages.flags(new FLAGS(this));
            } else if (name("MODSEQ ")) {
                if (!isNextNonSpace('(')) {
                    return false;
                }
                modSeq = readLong();
                if (modSeq < 0 || !isNextNonSpace(')')) {
                    return false;
                }
            } else if (name("BODY[")) {
                while (index < size && buffer[index] != ']' && buffer[index] != '\r' && buffer[index] != '\n') {
                    index++;
                }
                if (index >= size || buffer[index] != ']' || index + 1 >= size || buffer[index + 1] != ' ') {
                    return false; // no section end, or a partial fetch's <origin>
                }
                index++;
                header = readByteArray();
                hasHeader = true;
            } else {
                return false;
            }
        } while (!isNextNonSpace(')'));
        return uid >= 0;
    }

    /** Consumes {@code name} (ASCII, upper case) when the response goes on with it, in any case. */
    private boolean name(String name) {
        int n = name.length();
        if (index + n > size) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int b = buffer[index + i];
            if (b >= 'a' && b <= 'z') {
                b -= 'a' - 'A';
            }
            if (b != name.charAt(i)) {
                return false;
            }
        }
        index += n;
        return true;
    }

    /**
     * Reads an IMAP date-time ({@code "17-Jul-1996 02:44:25 -0700"}, RFC 3501; the day may be one
     * digit after a space) as the instant it names.
     *
     * @param s the date-time
     * @return the instant, or null for any other form, a day the month does not have, a second 60,
     *     or a year before 1900 (left to Angus's parser, which is lenient and uses the Julian calendar
     *     before 1582)
     */
    static Instant date(String s) {
        if (s.length() != 26 || s.charAt(2) != '-' || s.charAt(6) != '-' || s.charAt(11) != ' ' || s.charAt(14) != ':'
                || s.charAt(17) != ':' || s.charAt(20) != ' ') {
            return null;
        }
        int day = s.charAt(0) == ' ' ? digits(s, 1, 2) : digits(s, 0, 2);
        int month = month(s);
        int year = digits(s, 7, 11);
        int hour = digits(s, 12, 14);
        int minute = digits(s, 15, 17);
        int second = digits(s, 18, 20);
        char sign = s.charAt(21);
        int zoneHours = digits(s, 22, 24);
        int zoneMinutes = digits(s, 24, 26);
        if (day < 1 || month < 1 || year < 1900 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59 || sign != '+' && sign != '-' || zoneHours < 0 || zoneHours > 23 || zoneMinutes < 0
                || zoneMinutes > 59) {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null; // 31-Feb and the like
        }
        int zone = (sign == '-' ? -1 : 1) * (zoneHours * 3600 + zoneMinutes * 60);
        return Instant.ofEpochSecond(epochDay * 86400 + hour * 3600 + minute * 60 + second - zone);
    }

    /** {@return the decimal number of {@code s} from {@code from} to {@code to}, or -1 if not all digits} */
    private static int digits(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + c - '0';
        }
        return n;
    }

    /** {@return the month of an IMAP date-time, named at its fourth to sixth characters (1 to 12), or -1} */
    private static int month(String dateTime) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].regionMatches(0, dateTime, 3, 3)) {
                return i + 1;
            }
        }
        return -1;
    }
}
