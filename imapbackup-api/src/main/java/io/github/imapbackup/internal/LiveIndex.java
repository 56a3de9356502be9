package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.MessageIdentity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The archive's view of one UIDVALIDITY: the live messages by UID, and every UID bound to it. */
final class LiveIndex {

    /** What the engine needs of a live archived message. */
    static final class Live {
        final MessageIdentity identity;
        final long size;
        /** SHA-256 of the exact bytes, or null when the target cannot tell (not counted as a duplicate). */
        final String sha256;
        Set<String> flags;
        /** Gmail's labels as last recorded. */
        Set<String> labels = Set.of();

        Live(MessageIdentity identity, long size, Set<String> flags, String sha256) {
            this.identity = identity;
            this.size = size;
            this.flags = flags;
            this.sha256 = sha256;
        }
    }

    private final long uidValidity;
    private final Map<Long, Live> live = new HashMap<>();
    private final Set<Long> bound = new HashSet<>();
    private long maxUid;

    LiveIndex(List<ArchivedMessage> entries, long uidValidity) {
        this.uidValidity = uidValidity;
        for (ArchivedMessage e : entries) {
            if (isBound(e)) {
                bound.add(e.uid());
                maxUid = Math.max(maxUid, e.uid());
                if (!e.expunged()) {
                    Live l = new Live(e.identity(), e.size(), e.flags(), e.sha256());
                    l.labels = e.labels();
                    live.put(e.uid(), l);
                }
            }
        }
    }

    /** Returns whether an entry is bound to a UID of this UIDVALIDITY. */
    boolean isBound(ArchivedMessage e) {
        return e.uid() > 0 && e.uidValidity() == uidValidity;
    }

    boolean bound(long uid) {
        return bound.contains(uid);
    }

    long maxUid() {
        return maxUid;
    }

    Map<Long, Live> live() {
        return live;
    }

    /**
     * An archived entry now answers for {@code uid}; {@code sha256} is the SHA-256 of the server's
     * bytes (the entry's own unless they were downloaded to match a stored form that differs).
     */
    void adopt(ArchivedMessage e, long uid, long size, Set<String> flags, String sha256) {
        if (isBound(e)) {
            live.remove(e.uid());
        }
        add(uid, e.identity(), size, flags, sha256);
    }

    void add(long uid, MessageIdentity identity, long size, Set<String> flags, String sha256) {
        bound.add(uid);
        maxUid = Math.max(maxUid, uid);
        live.put(uid, new Live(identity, size, flags, sha256));
    }

    /**
     * Returns the extra byte-identical copies among the live messages (same SHA-256 of the exact
     * bytes): a message the folder holds three times counts two. Messages whose bytes are not
     * known yet (not copied) are not counted.
     */
    long duplicates() {
        Set<String> seen = new HashSet<>();
        long extra = 0;
        for (Live l : live.values()) {
            if (l.sha256 != null && !seen.add(l.sha256)) {
                extra++;
            }
        }
        return extra;
    }

    void remove(long uid) {
        live.remove(uid);
    }
}
