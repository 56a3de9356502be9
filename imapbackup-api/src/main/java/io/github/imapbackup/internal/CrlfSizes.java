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
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second look at the candidates the planner would add although the target holds entries of
 * their identity that it cannot tell the SHA-256 of (an IMAP folder) and that no candidate took: a
 * server that stored a message with bare line feeds (an imported mbox) counts its RFC822.SIZE with
 * CRLF line ends, and one that ends every message with a line end (Dovecot's mbox storage) counts
 * a CRLF more for a message without one, so the source's length does not match it. Only those
 * candidates are read from the source, and matched again by the CRLF size, then by that plus the
 * added line end; a distinct message of the same identity keeps its other size and is still added.
 */
final class CrlfSizes {

    private static final Logger LOG = LoggerFactory.getLogger(CrlfSizes.class);

    /** A message's length with every bare line feed counted as CRLF, and whether it ends with a line end. */
    private record Form(long crlfSize, boolean lineEnd) { }

    private CrlfSizes() { }

    /**
     * Returns the decisions, with the candidates found again under their CRLF size made PRESENT.
     *
     * @param all the source messages, indexed by the candidates' keys
     */
    static List<Decision> rematch(MergePlanner planner, List<ArchivedMessage> held, List<Decision> decisions,
            SourceFolder open, List<MessageInfo> all) throws BackupException {
        Set<MessageIdentity> identities = new HashSet<>();
        left(held, decisions).forEach(e -> identities.add(e.identity()));
        Map<Integer, Form> forms = new TreeMap<>();
        for (int i = 0; i < decisions.size(); i++) {
            Candidate c = decisions.get(i).candidate();
            if (decisions.get(i).kind() != MergePlanner.Kind.PRESENT && identities.contains(c.identity())) {
                Form f = form(open, all.get((int) c.key()));
                if (f != null) {
                    forms.put(i, f);
                }
            }
        }
        if (forms.isEmpty()) {
            return decisions;
        }
        List<Decision> out = pass(planner, held, decisions, forms, false);
        out = pass(planner, held, out, forms, true);
        LOG.debug("{} of {} messages found again by their size with CRLF line ends", out.stream()
                .filter(d -> d.kind() == MergePlanner.Kind.PRESENT).count()
                - decisions.stream().filter(d -> d.kind() == MergePlanner.Kind.PRESENT).count(), forms.size());
        return out;
    }

    /** The entries without SHA-256 that no decision took. */
    private static List<ArchivedMessage> left(List<ArchivedMessage> held, List<Decision> decisions) {
        Map<ArchivedMessage, Boolean> taken = new IdentityHashMap<>();
        decisions.stream().filter(d -> d.match() != null).forEach(d -> taken.put(d.match(), Boolean.TRUE));
        return held.stream().filter(e -> e.sha256() == null && !taken.containsKey(e)).toList();
    }

    /** Plans the candidates still to add again under their CRLF size (plus a CRLF when {@code lineEndAdded}). */
    private static List<Decision> pass(MergePlanner planner, List<ArchivedMessage> held, List<Decision> decisions,
            Map<Integer, Form> forms, boolean lineEndAdded) {
        List<Candidate> again = new ArrayList<>();
        forms.forEach((i, f) -> {
            Candidate c = decisions.get(i).candidate();
            long size = !lineEndAdded ? f.crlfSize() : f.lineEnd() ? -1 : f.crlfSize() + 2;
            if (decisions.get(i).kind() != MergePlanner.Kind.PRESENT && size >= 0 && size != c.length()) {
                again.add(new Candidate(c.identity(), size, null, i));
            }
        });
        if (again.isEmpty()) {
            return decisions;
        }
        List<Decision> out = new ArrayList<>(decisions);
        for (Decision d : planner.plan(left(held, decisions), again).decisions()) {
            if (d.kind() == MergePlanner.Kind.PRESENT) {
                int i = (int) d.candidate().key();
                out.set(i, new Decision(decisions.get(i).candidate(), MergePlanner.Kind.PRESENT, d.match()));
            }
        }
        return out;
    }

    /** {@return the message's CRLF size and final line end, or null when it cannot be read} */
    private static Form form(SourceFolder open, MessageInfo m) throws BackupException {
        long size = 0;
        int previous = -1;
        try (InputStream in = open.openMessage(m.uid())) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n' && previous != '\r') {
                        size++;
                    }
                    previous = buf[i];
                }
                size += n;
            }
        } catch (ConnectionException e) {
            throw e;
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectionException c) {
                throw c;
            }
            LOG.debug("UID {} cannot be read to count its line ends; it will be copied", m.uid(), e);
            return null;
        }
        return new Form(size, previous == '\n');
    }
}
