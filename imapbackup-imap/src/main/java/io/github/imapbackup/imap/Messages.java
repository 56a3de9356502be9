package io.github.imapbackup.imap;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageInfo;
import jakarta.mail.Flags;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;

/** Conversions from IMAP FETCH items to model values, and UID set syntax. */
final class Messages {

    private Messages() { }

    /** {@return the {@code BODY[]} item (the whole message, or a part of it) of a FETCH response, or null} */
    static BODY wholeBody(FetchResponse r) {
        for (int i = 0; i < r.getItemCount(); i++) {
            if (r.getItem(i) instanceof BODY b && b.getSection() != null && b.getSection().isEmpty()) {
                return b;
            }
        }
        return null;
    }

    /** Metadata of one message collected from one or more FETCH responses. */
    static final class Partial {
        final long uid;
        long size;
        Instant internalDate;
        Set<String> flags = Set.of();
        long modSeq;
        String sender;
        String messageId;
        MessageIdentity identity;
        Set<String> labels = Set.of();

        Partial(long uid) {
            this.uid = uid;
        }

        MessageInfo toInfo() {
            return new MessageInfo(uid, size, internalDate, flags, identity, modSeq, sender, labels);
        }
    }

    /**
     * Returns the flags as the server spells the system flags ({@code \Seen}, ...) plus the
     * keywords. {@code \Recent} is left out: it belongs to the session, not to the message.
     */
    static Set<String> flags(Flags f) {
        Set<String> result = new LinkedHashSet<>();
        for (Flags.Flag flag : f.getSystemFlags()) {
            if (flag == Flags.Flag.ANSWERED) {
                result.add("\\Answered");
            } else if (flag == Flags.Flag.DELETED) {
                result.add("\\Deleted");
            } else if (flag == Flags.Flag.DRAFT) {
                result.add("\\Draft");
            } else if (flag == Flags.Flag.FLAGGED) {
                result.add("\\Flagged");
            } else if (flag == Flags.Flag.SEEN) {
                result.add("\\Seen");
            }
        }
        result.addAll(List.of(f.getUserFlags()));
        return result;
    }

    /**
     * Returns the first usable address of the header's first {@code From} field, else of its
     * {@code Sender} field, as an addr-spec, or null. The fields are read as Jakarta Mail's
     * {@code InternetHeaders} reads them (folded lines, UTF-8 allowed; see {@link SenderFields}),
     * without its per-call {@code ServiceLoader} look-up.
     *
     * @param header header lines, e.g. the answer to {@code BODY.PEEK[HEADER.FIELDS (FROM SENDER)]}
     * @param off where they start in {@code header}
     * @param len how many bytes they take
     */
    static String sender(byte[] header, int off, int len) {
        SenderFields fields = SenderFields.read(header, off, len);
        String a = address(fields.from);
        return a != null ? a : address(fields.sender);
    }

    /** Returns the first usable addr-spec of an address list field's value (unfolded), or null. */
    private static String address(String unfolded) {
        if (unfolded == null) {
            return null;
        }
        InternetAddress[] addresses;
        try {
            addresses = InternetAddress.parseHeader(unfolded, false);
        } catch (AddressException e) {
            return fallback(unfolded);
        }
        String found = usable(addresses);
        return found != null ? found : fallback(unfolded);
    }

    /** The first {@code <local@domain>}, else the first bare {@code local@domain}, for a value the parser refused. */
    private static String fallback(String value) {
        Matcher m = ANGLE.matcher(value);
        if (m.find()) {
            return m.group(1);
        }
        m = BARE.matcher(value);
        return m.find() ? m.group(1) : null;
    }

    private static final Pattern ANGLE = Pattern.compile("<([^<>\\s@\",;()]+@[^<>\\s@\",;()]+)>");
    private static final Pattern BARE = Pattern.compile("([^<>\\s@\",;:()]+@[^<>\\s@\",;:()]+)");

    private static String usable(InternetAddress[] addresses) {
        if (addresses == null) {
            return null;
        }
        for (InternetAddress a : addresses) {
            String s = a == null ? null : a.getAddress();
            if (s != null && s.indexOf('@') > 0 && !s.endsWith("@") && fitsFromLine(s)) {
                return s;
            }
        }
        return null;
    }

    /** An addr-spec that fits a From_ line: no white space, no angle brackets, no list separators. */
    private static boolean fitsFromLine(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (" \t\n\u000B\f\r<>,;".indexOf(s.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Returns a UID set (e.g. {@code 1:4,7,9:10}) for sorted, distinct UIDs. */
    static String uidSet(long[] uids) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < uids.length) {
            int j = i;
            while (j + 1 < uids.length && uids[j + 1] == uids[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(uids[i]);
            if (j > i) {
                sb.append(':').append(uids[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }

    /** {@return whether two BODY items hold the same bytes from the same origin} */
    static boolean sameBytes(org.eclipse.angus.mail.imap.protocol.BODY a, org.eclipse.angus.mail.imap.protocol.BODY b) {
        org.eclipse.angus.mail.iap.ByteArray x = a.getByteArray();
        org.eclipse.angus.mail.iap.ByteArray y = b.getByteArray();
        if (x == null || y == null) {
            return x == y;
        }
        return a.getOrigin() == b.getOrigin() && java.util.Arrays.equals(x.getBytes(), x.getStart(),
                x.getStart() + x.getCount(), y.getBytes(), y.getStart(), y.getStart() + y.getCount());
    }
}
