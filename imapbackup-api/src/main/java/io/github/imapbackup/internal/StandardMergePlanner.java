package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MergePlanner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The standard merge planner: counts copies per identity. A candidate with a SHA-256 matches an
 * entry with the same SHA-256, or else an entry whose SHA-256 the target does not know (an IMAP
 * folder) and whose RFC822.SIZE equals the candidate's length; never an entry with another
 * SHA-256. A candidate without SHA-256 but with a length matches an entry whose RFC822.SIZE
 * equals it, then one whose exact length equals it; one with neither matches any entry of its
 * identity. The passes run in that order over all candidates, so a weaker match never takes an
 * entry a stronger one needs. Each entry answers for at most one candidate; ties go to the
 * earliest entry in archive order. Linear in the input size.
 */
public final class StandardMergePlanner implements MergePlanner {

    /** The shared instance. */
    public static final StandardMergePlanner INSTANCE = new StandardMergePlanner();

    private StandardMergePlanner() { }

    /**
     * An identity with a checksum, a length or nothing. Its {@code equals} and {@code hashCode} are
     * written out: a record's generated ones set up {@code java.lang.runtime.ObjectMethods} at their
     * first call in a JVM (30-40 ms cold), which was a migration's first planned folder
     * (docs/benchmarks-imap.md, "Records' first equals and hashCode").
     */
    private record Key(MessageIdentity identity, Object value) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && identity.equals(other.identity) && Objects.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return 31 * identity.hashCode() + Objects.hashCode(value);
        }
    }

    @Override
    public MergePlan plan(Collection<ArchivedMessage> archive, List<Candidate> candidates) {
        List<ArchivedMessage> entries = List.copyOf(archive);
        boolean[] taken = new boolean[entries.size()];
        ArchivedMessage[] matched = new ArchivedMessage[candidates.size()];

        // pass 1: by SHA-256
        match(entries, taken, candidates, matched,
                m -> m.sha256() == null ? null : new Key(m.identity(), m.sha256().toLowerCase(Locale.ROOT)),
                c -> c.sha256() == null ? null : new Key(c.identity(), c.sha256().toLowerCase(Locale.ROOT)));
        // pass 1b: a candidate with SHA-256 against an entry whose SHA-256 the target cannot tell
        match(entries, taken, candidates, matched,
                m -> m.sha256() == null ? new Key(m.identity(), m.size()) : null,
                c -> c.sha256() != null && c.length() >= 0 ? new Key(c.identity(), c.length()) : null);
        // pass 2: length against the recorded RFC822.SIZE
        match(entries, taken, candidates, matched, m -> new Key(m.identity(), m.size()),
                c -> c.sha256() == null && c.length() >= 0 ? new Key(c.identity(), c.length()) : null);
        // pass 3: length against the exact stored length
        match(entries, taken, candidates, matched, m -> new Key(m.identity(), m.length()),
                c -> c.sha256() == null && c.length() >= 0 ? new Key(c.identity(), c.length()) : null);
        // pass 4: nothing known but the identity
        match(entries, taken, candidates, matched, m -> new Key(m.identity(), null),
                c -> c.sha256() == null && c.length() < 0 ? new Key(c.identity(), null) : null);

        Map<MessageIdentity, Boolean> known = new HashMap<>();
        entries.forEach(m -> known.put(m.identity(), Boolean.TRUE));
        List<Decision> decisions = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            if (matched[i] != null) {
                decisions.add(new Decision(c, Kind.PRESENT, matched[i]));
            } else {
                decisions.add(new Decision(c, known.containsKey(c.identity()) ? Kind.ADD_DISTINCT
                        : Kind.ADD, null));
            }
        }
        return new MergePlan(decisions);
    }

    private static void match(List<ArchivedMessage> entries, boolean[] taken,
            List<Candidate> candidates, ArchivedMessage[] matched,
            Function<ArchivedMessage, Key> entryKey,
            Function<Candidate, Key> candidateKey) {
        Map<Key, ArrayDeque<Integer>> buckets = null;
        for (int i = 0; i < candidates.size(); i++) {
            if (matched[i] != null) {
                continue;
            }
            Key key = candidateKey.apply(candidates.get(i));
            if (key == null) {
                continue;
            }
            if (buckets == null) {
                buckets = new HashMap<>();
                for (int e = 0; e < entries.size(); e++) {
                    Key k = taken[e] ? null : entryKey.apply(entries.get(e));
                    if (k != null) {
                        buckets.computeIfAbsent(k, x -> new ArrayDeque<>()).add(e);
                    }
                }
            }
            ArrayDeque<Integer> bucket = buckets.get(key);
            while (bucket != null && !bucket.isEmpty()) {
                int e = bucket.poll();
                if (!taken[e]) {
                    taken[e] = true;
                    matched[i] = entries.get(e);
                    break;
                }
            }
        }
    }
}
