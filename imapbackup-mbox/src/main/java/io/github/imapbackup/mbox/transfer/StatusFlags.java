package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.mbox.internal.GmailLabels;
import io.github.imapbackup.mbox.internal.HeaderFields;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The flags other mail programs keep in an mbox message's header, as IMAP flags and keywords:
 * {@code Status:} ({@code R} read; mutt, Dovecot, Python's mailbox), {@code X-Status:}
 * ({@code A} answered, {@code F} flagged, {@code T} draft, {@code D} deleted), {@code X-Keywords:}
 * (Dovecot, mutt), {@code X-Mozilla-Status:} (Thunderbird bits: 0x0001 read, 0x0002 replied,
 * 0x0004 marked, 0x0008 deleted, 0x1000 forwarded), {@code X-Mozilla-Keys:} (Thunderbird tags) and
 * {@code X-Gmail-Labels:} (Google Takeout: {@code \Seen} unless labelled {@code Unread}, {@code Starred}
 * {@code \Flagged}, {@code Drafts} {@code \Draft}; see {@link GmailLabels#flags}).
 * The first field of each name counts; only the header section is read.
 */
final class StatusFlags {

    private static final Set<String> FIELDS =
            Set.of("status", "x-status", "x-keywords", "x-mozilla-status", "x-mozilla-keys", GmailLabels.FIELD);

    private StatusFlags() { }

    /**
     * Reads at most {@code limit} bytes of the header section and resets the stream.
     *
     * @param in a stream supporting mark, at the start of the message
     * @param limit the most bytes to look at
     * @return the flags ({@code \Seen}, ...) and keywords, in a stable order; empty when none
     * @throws IOException if reading fails
     */
    static Set<String> sniff(InputStream in, int limit) throws IOException {
        return flags(HeaderFields.sniff(in, limit, FIELDS));
    }

    /** Returns the flags of a header section (or a longer text; parsing stops at the blank line). */
    static Set<String> parse(String text) {
        return flags(HeaderFields.parse(text, FIELDS));
    }

    private static Set<String> flags(Map<String, String> fields) {
        String status = fields.get("status");
        String xStatus = fields.get("x-status");
        String mozilla = fields.get("x-mozilla-status");
        Set<String> flags = new LinkedHashSet<>();
        if (status != null && status.indexOf('R') >= 0) {
            flags.add("\\Seen");
        }
        if (xStatus != null) {
            letter(xStatus, 'A', "\\Answered", flags);
            letter(xStatus, 'F', "\\Flagged", flags);
            letter(xStatus, 'T', "\\Draft", flags);
            letter(xStatus, 'D', "\\Deleted", flags);
        }
        if (mozilla != null) {
            mozilla(mozilla, flags);
        }
        String labels = fields.get(GmailLabels.FIELD);
        if (labels != null) {
            flags.addAll(GmailLabels.flags(GmailLabels.parse(labels)));
        }
        keywords(fields.get("x-keywords"), flags);
        keywords(fields.get("x-mozilla-keys"), flags);
        return flags;
    }

    private static void letter(String value, char c, String flag, Set<String> flags) {
        if (value.indexOf(c) >= 0) {
            flags.add(flag);
        }
    }

    private static void mozilla(String value, Set<String> flags) {
        int bits;
        try {
            bits = Integer.parseInt(value.strip(), 16);
        } catch (NumberFormatException e) {
            return; // not Thunderbird's four hex digits: ignored
        }
        if ((bits & 0x0001) != 0) {
            flags.add("\\Seen");
        }
        if ((bits & 0x0002) != 0) {
            flags.add("\\Answered");
        }
        if ((bits & 0x0004) != 0) {
            flags.add("\\Flagged");
        }
        if ((bits & 0x0008) != 0) {
            flags.add("\\Deleted");
        }
        if ((bits & 0x1000) != 0) {
            flags.add("$Forwarded");
        }
    }

    /** Adds the keywords of a comma or space separated list; what is no IMAP atom is skipped. */
    private static void keywords(String value, Set<String> flags) {
        if (value == null) {
            return;
        }
        for (String k : value.split("[,\\s]+")) {
            if (!k.isEmpty() && isAtom(k)) {
                flags.add(k);
            }
        }
    }

    /** An IMAP keyword: printable ASCII without the atom-specials {@code ( ) { % * " \ ]}. */
    private static boolean isAtom(String k) {
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
