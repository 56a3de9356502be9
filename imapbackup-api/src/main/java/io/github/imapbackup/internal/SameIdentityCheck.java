package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.MergePlanner.Candidate;
import io.github.imapbackup.spi.MergePlanner.Decision;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.spi.TargetFolder;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells apart distinct messages of one identity that a target without SHA-256 (an IMAP folder)
 * cannot: when the source holds several messages of an identity whose bytes differ, and some were
 * matched to entries without SHA-256 by their size alone, those source messages are read and the
 * target's entries of that identity downloaded, and they are matched again by their
 * {@link NormalisedForm} (line ends and the white space at both ends do not count, as a server
 * may convert them). Identities held once on the source, or whose copies are all alike, are never
 * read.
 */
final class SameIdentityCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SameIdentityCheck.class);

    private SameIdentityCheck() { }

    /** Returns the decisions, those of ambiguous identities decided again by the messages' bytes. */
    static List<Decision> recheck(MergePlanner planner, List<ArchivedMessage> held, List<Decision> decisions,
            SourceFolder open, List<MessageInfo> all, TargetFolder target) throws BackupException {
        Map<MessageIdentity, List<Integer>> byIdentity = new HashMap<>();
        Set<MessageIdentity> sizeMatched = new HashSet<>();
        for (int i = 0; i < decisions.size(); i++) {
            Decision d = decisions.get(i);
            byIdentity.computeIfAbsent(d.candidate().identity(), k -> new ArrayList<>()).add(i);
            if (d.match() != null && d.match().sha256() == null) {
                sizeMatched.add(d.candidate().identity());
            }
        }
        List<Decision> out = new ArrayList<>(decisions);
        for (MessageIdentity id : sizeMatched) {
            List<Integer> group = byIdentity.get(id);
            if (group.size() > 1) {
                recheck(planner, held, decisions, out, group, open, all, target);
            }
        }
        return out;
    }

    private static void recheck(MergePlanner planner, List<ArchivedMessage> held, List<Decision> decisions,
            List<Decision> out, List<Integer> group, SourceFolder open, List<MessageInfo> all, TargetFolder target)
            throws BackupException {
        // the candidates of the group not matched to an entry with SHA-256 (those matched exactly stay)
        List<Integer> open2 = group.stream().filter(i -> decisions.get(i).match() == null
                || decisions.get(i).match().sha256() == null).toList();
        List<String> forms = new ArrayList<>();
        for (int i : open2) {
            Candidate c = decisions.get(i).candidate();
            String form = form(() -> open.openMessage(all.get((int) c.key()).uid()));
            if (form == null) {
                return; // unreadable: keep the size match
            }
            forms.add(form);
        }
        if (new HashSet<>(forms).size() < 2) {
            return; // every copy alike: a match by size is a match
        }
        MessageIdentity id = decisions.get(group.get(0)).candidate().identity();
        Map<ArchivedMessage, ArchivedMessage> standIns = new IdentityHashMap<>();
        for (ArchivedMessage e : held) {
            if (e.sha256() == null && e.identity().equals(id)) {
                String form = form(() -> target.openMessage(e));
                if (form == null) {
                    return;
                }
                standIns.put(new ArchivedMessage(e.uidValidity(), e.uid(), id, e.offset(), e.length(), form,
                        e.size(), e.internalDate(), e.flags(), e.expunged()), e);
            }
        }
        List<Candidate> again = new ArrayList<>();
        for (int k = 0; k < open2.size(); k++) {
            again.add(new Candidate(id, -1, forms.get(k), open2.get(k)));
        }
        for (Decision d : planner.plan(List.copyOf(standIns.keySet()), again).decisions()) {
            int i = (int) d.candidate().key();
            Candidate original = decisions.get(i).candidate();
            out.set(i, d.kind() == MergePlanner.Kind.PRESENT
                    ? new Decision(original, MergePlanner.Kind.PRESENT, standIns.get(d.match()))
                    : new Decision(original, MergePlanner.Kind.ADD_DISTINCT, null));
        }
        LOG.debug("{}: {} messages told apart by their bytes", id.value(), open2.size());
    }

    /** Something that opens a message's bytes. */
    private interface Opener {
        InputStream open() throws BackupException;
    }

    /** {@return the normalised form's SHA-256 of a message, or null when it cannot be read} */
    private static String form(Opener opener) throws BackupException {
        try (InputStream in = opener.open()) {
            return NormalisedForm.of(in);
        } catch (ConnectionException e) {
            throw e;
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectionException c) {
                throw c;
            }
            LOG.debug("a message cannot be read to tell it apart from others of its identity", e);
            return null;
        }
    }
}
