package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The in-memory model of a folder index: header, messages (with updates applied), state, last commit. */
final class FolderIndex {

    final IndexRecord.Header header;
    private final List<IndexEntry> entries = new ArrayList<>();
    private final Map<UidKey, IndexEntry> byUid = new HashMap<>();
    private IndexRecord.State state;
    private IndexRecord.Commit commit;
    private List<ArchivedMessage> view;
    /** The records up to the last one applied, header included: as many as the file holds. */
    private long records = 1;

    /**
     * A message's server identity: the key of {@link #byUid}. Its {@code equals} and {@code hashCode}
     * are written out: a record's generated ones are linked on their first call, and the first such
     * link in a JVM costs 30-40 ms (it sets up {@code java.lang.runtime.ObjectMethods}); this key's
     * first {@code hashCode} came in the first folder of every backup, on the connection's thread
     * (docs/benchmarks-imap.md, "Records' first equals and hashCode").
     */
    private record UidKey(long uidValidity, long uid) {
        @Override
        public boolean equals(Object o) {
            return o instanceof UidKey k && k.uidValidity == uidValidity && k.uid == uid;
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(uidValidity) + Long.hashCode(uid);
        }
    }

    FolderIndex(IndexRecord.Header header) {
        this.header = header;
    }

    /**
     * Applies one record.
     *
     * @throws IllegalArgumentException if the record does not fit (unknown offset, overlapping message)
     */
    void apply(IndexRecord r) {
        if (r instanceof IndexRecord.Message m) {
            add(m.entry());
        } else if (r instanceof IndexRecord.Flags f) {
            entry(f.offset()).flags = f.flags();
        } else if (r instanceof IndexRecord.Labels l) {
            entry(l.offset()).labels = l.labels();
        } else if (r instanceof IndexRecord.Expunged x) {
            IndexEntry e = entry(x.offset());
            e.expunged = true;
            e.expungedAt = x.time();
        } else if (r instanceof IndexRecord.Adopt a) {
            IndexEntry e = entry(a.offset());
            if (e.uid > 0) {
                byUid.remove(new UidKey(e.uidValidity, e.uid), e);
            }
            e.uidValidity = a.uidValidity();
            e.uid = a.uid();
            e.flags = a.flags();
            e.expunged = false;
            e.expungedAt = null;
            index(e);
        } else if (r instanceof IndexRecord.Exact x) {
            learn(x);
        } else if (r instanceof IndexRecord.State s) {
            state = s;
        } else if (r instanceof IndexRecord.Commit c) {
            commit = c;
        } else {
            throw new IllegalArgumentException("unexpected record " + r);
        }
        view = null;
        records++;
    }

    private void learn(IndexRecord.Exact x) {
        IndexEntry e = entry(x.offset());
        if (x.newline() == IndexEntry.NEWLINE_CONVERTED
                ? e.newline == IndexEntry.NEWLINE_CONVERTED || x.length() != e.length || !x.sha256().equals(e.sha256)
                : e.newline != IndexEntry.NEWLINE_UNKNOWN || x.length() + x.newline() != e.length) {
            throw new IllegalArgumentException("the message at " + x.offset() + " cannot have " + x.length()
                    + " bytes with nl " + x.newline());
        }
        IndexEntry learned = new IndexEntry(e.uidValidity, e.uid, e.identity, e.offset, e.end, x.length(),
                x.sha256(), x.size(), e.internalDate, x.newline(), e.memberStart, e.memberUncompressedStart,
                e.flags, e.expunged, e.archivedAt);
        learned.expungedAt = e.expungedAt;
        learned.labels = e.labels;
        entries.set(position(x.offset()), learned);
        if (e.uid > 0) {
            byUid.remove(new UidKey(e.uidValidity, e.uid), e);
        }
        index(learned);
    }

    private void add(IndexEntry e) {
        long end = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).end;
        if (e.offset < end || e.end <= e.offset) {
            throw new IllegalArgumentException("message at " + e.offset + " overlaps the previous one");
        }
        entries.add(e);
        index(e);
    }

    private void index(IndexEntry e) {
        if (e.uid > 0) {
            byUid.put(new UidKey(e.uidValidity, e.uid), e);
        }
    }

    /** Finds a message by the offset of its From_ line (messages are in offset order: binary search). */
    IndexEntry entry(long offset) {
        return entries.get(position(offset));
    }

    /**
     * Finds the entry of a message listed by the archive of {@code folder}.
     *
     * @throws IllegalArgumentException if the archive holds no such message
     */
    IndexEntry entry(ArchivedMessage message, String folder) {
        IndexEntry e;
        try {
            e = entry(message.offset());
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("not a message of folder \"" + folder + "\": offset "
                    + message.offset(), x);
        }
        if (!e.sha256.equals(message.sha256())) {
            throw new IllegalArgumentException("not a message of folder \"" + folder + "\": offset "
                    + message.offset() + " holds another message");
        }
        return e;
    }

    private int position(long offset) {
        int lo = 0;
        int hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long o = entries.get(mid).offset;
            if (o < offset) {
                lo = mid + 1;
            } else if (o > offset) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        throw new IllegalArgumentException("no message at offset " + offset);
    }

    /**
     * Finds a message by UID under {@code uidValidity}; when that is 0 (unknown), the last message
     * with that UID under any UIDVALIDITY (a scan, rare). Null when none.
     */
    IndexEntry byUid(long uidValidity, long uid) {
        if (uidValidity > 0) {
            return byUid.get(new UidKey(uidValidity, uid));
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).uid == uid) {
                return entries.get(i);
            }
        }
        return null;
    }

    List<IndexEntry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** Returns the messages as records, cached until the next change. */
    List<ArchivedMessage> messages() {
        if (view == null) {
            List<ArchivedMessage> out = new ArrayList<>(entries.size());
            for (IndexEntry e : entries) {
                out.add(e.toArchived());
            }
            view = Collections.unmodifiableList(out);
        }
        return view;
    }

    /** Returns how many records the index file holds for this model (header and commits included). */
    long records() {
        return records;
    }

    /** Records that the file was rewritten as the current state, in {@code records} records. */
    void rewritten(long records) {
        this.records = records;
    }

    IndexRecord.State state() {
        return state;
    }

    IndexRecord.Commit commit() {
        return commit;
    }

    /** Returns the end of the last message in the uncompressed mbox, 0 when empty. */
    long messagesEnd() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).end;
    }
}
