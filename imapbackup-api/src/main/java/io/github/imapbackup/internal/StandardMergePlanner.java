package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MergePlanner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/** The standard merge planner: counts copies per identity and matches on SHA-256, else on length. */
public final class StandardMergePlanner implements MergePlanner {

    /** The shared instance. */
    public static final StandardMergePlanner INSTANCE = new StandardMergePlanner();

    private StandardMergePlanner() { }

    @Override
    public MergePlan plan(Collection<ArchivedMessage> archive, List<Candidate> candidates) {
        Map<MessageIdentity, LinkedList<ArchivedMessage>> unmatched = new HashMap<>();
        for (ArchivedMessage m : archive) {
            unmatched.computeIfAbsent(m.identity(), k -> new LinkedList<>()).add(m);
        }
        List<Decision> decisions = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            LinkedList<ArchivedMessage> same = unmatched.get(c.identity());
            if (same == null) {
                decisions.add(new Decision(c, Kind.ADD, null));
                continue;
            }
            ArchivedMessage match = takeMatch(same, c);
            decisions.add(match != null ? new Decision(c, Kind.PRESENT, match)
                    : new Decision(c, Kind.ADD_DISTINCT, null));
        }
        return new MergePlan(decisions);
    }

    private static ArchivedMessage takeMatch(LinkedList<ArchivedMessage> same, Candidate c) {
        for (Iterator<ArchivedMessage> it = same.iterator(); it.hasNext(); ) {
            ArchivedMessage m = it.next();
            if (equal(m, c)) {
                it.remove();
                return m;
            }
        }
        return null;
    }

    private static boolean equal(ArchivedMessage m, Candidate c) {
        if (c.sha256() != null) {
            return c.sha256().equalsIgnoreCase(m.sha256());
        }
        if (c.length() >= 0) {
            return c.length() == m.length() || c.length() == m.size();
        }
        return true;
    }
}
