package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.MessageInfo;
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
        Set<String> flags;

        Live(MessageIdentity identity, long size, Set<String> flags) {
            this.identity = identity;
            this.size = size;
            this.flags = flags;
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
                    live.put(e.uid(), new Live(e.identity(), e.size(), e.flags()));
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

    /** An archived entry now answers for {@code uid}. */
    void adopt(ArchivedMessage e, long uid, long size, Set<String> flags) {
        if (isBound(e)) {
            live.remove(e.uid());
        }
        add(uid, e.identity(), size, flags);
    }

    void add(long uid, MessageIdentity identity, long size, Set<String> flags) {
        bound.add(uid);
        maxUid = Math.max(maxUid, uid);
        live.put(uid, new Live(identity, size, flags));
    }

    /**
     * Returns how many messages of the folder (the live ones and {@code toCopy}) share identity
     * and size with another one.
     */
    long duplicates(List<MessageInfo> toCopy) {
        record Key(MessageIdentity identity, long size) { }
        Set<Key> seen = new HashSet<>();
        long dup = 0;
        for (Live l : live.values()) {
            if (!seen.add(new Key(l.identity, l.size))) {
                dup++;
            }
        }
        for (MessageInfo m : toCopy) {
            if (!live.containsKey(m.uid()) && !seen.add(new Key(m.identity(), m.size()))) {
                dup++;
            }
        }
        return dup;
    }

    void remove(long uid) {
        live.remove(uid);
    }
}
