package io.github.imapbackup.imap;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.MessageInfo;
import jakarta.mail.Flags;
import jakarta.mail.internet.InternetAddress;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.ENVELOPE;
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

        Partial(long uid) {
            this.uid = uid;
        }

        MessageInfo toInfo() {
            return new MessageInfo(uid, size, internalDate, flags, identity, modSeq, sender);
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

    /** Returns the envelope's first From address (else Sender) as an addr-spec, or null. */
    static String sender(ENVELOPE envelope) {
        String from = first(envelope.from);
        return from != null ? from : first(envelope.sender);
    }

    private static String first(InternetAddress[] addresses) {
        if (addresses == null) {
            return null;
        }
        for (InternetAddress a : addresses) {
            String s = a == null ? null : a.getAddress();
            if (s != null && !s.isBlank() && s.indexOf('@') > 0 && !s.endsWith("@")) {
                return s.strip();
            }
        }
        return null;
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
}
