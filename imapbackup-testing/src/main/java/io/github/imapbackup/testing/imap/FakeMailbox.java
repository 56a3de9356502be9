package io.github.imapbackup.testing.imap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One folder of {@link FakeImapServer}: messages in UID order with flags and MODSEQ. */
final class FakeMailbox {

    /** One message. */
    static final class Msg {
        long uid;
        final byte[] bytes;
        final Set<String> flags;
        final Instant internalDate;
        long modSeq;
        /** Gmail's labels as on the wire ({@code \\Inbox}, or a name in modified UTF-7). */
        final Set<String> labels = new LinkedHashSet<>();
        /** Gmail's message id ({@code X-GM-MSGID}). */
        long gmailId;

        Msg(long uid, byte[] bytes, Collection<String> flags, Instant internalDate, long modSeq) {
            this.uid = uid;
            this.bytes = bytes;
            this.flags = new LinkedHashSet<>(flags);
            this.internalDate = internalDate;
            this.modSeq = modSeq;
        }
    }

    long uidValidity;
    long uidNext = 1;
    long highestModSeq = 1;
    final List<Msg> messages = new ArrayList<>();

    FakeMailbox(long uidValidity) {
        this.uidValidity = uidValidity;
    }

    long append(byte[] bytes, Collection<String> flags, Instant internalDate) {
        Msg m = new Msg(uidNext++, bytes.clone(), flags, internalDate, ++highestModSeq);
        messages.add(m);
        return m.uid;
    }

    Msg get(long uid) {
        for (Msg m : messages) {
            if (m.uid == uid) {
                return m;
            }
        }
        throw new IllegalArgumentException("no such UID: " + uid);
    }

    void flags(long uid, Collection<String> flags) {
        Msg m = get(uid);
        m.flags.clear();
        m.flags.addAll(flags);
        m.modSeq = ++highestModSeq;
    }

    void expunge(long uid) {
        messages.remove(get(uid));
        highestModSeq++;
    }

    long renumber() {
        uidValidity++;
        uidNext = 1;
        for (Msg m : messages) {
            m.uid = uidNext++;
        }
        highestModSeq++;
        return uidValidity;
    }

    long unseen() {
        return messages.stream().filter(m -> !m.flags.contains("\\Seen")).count();
    }
}
