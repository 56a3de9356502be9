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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second look at the candidates the planner would add although the target holds entries of
 * their identity that it cannot tell the SHA-256 of (an IMAP folder) and that no candidate took: a
 * server that stored a message with bare line feeds (an imported mbox) counts its RFC822.SIZE with
 * CRLF line ends, so the source's length does not match it. Only those candidates are read from
 * the source, and matched again by that size; a distinct message of the same identity keeps its
 * other size and is still added.
 */
final class CrlfSizes {

    private static final Logger LOG = LoggerFactory.getLogger(CrlfSizes.class);

    private CrlfSizes() { }

    /**
     * Returns the decisions, with the candidates found again under their CRLF size made PRESENT.
     *
     * @param all the source messages, indexed by the candidates' keys
     */
    static List<Decision> rematch(MergePlanner planner, List<ArchivedMessage> held, List<Decision> decisions,
            SourceFolder open, List<MessageInfo> all) throws BackupException {
        Map<ArchivedMessage, Boolean> taken = new IdentityHashMap<>();
        decisions.stream().filter(d -> d.match() != null).forEach(d -> taken.put(d.match(), Boolean.TRUE));
        List<ArchivedMessage> left = held.stream().filter(e -> e.sha256() == null && !taken.containsKey(e)).toList();
        Set<MessageIdentity> identities = new HashSet<>();
        left.forEach(e -> identities.add(e.identity()));
        List<Candidate> again = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            Candidate c = decisions.get(i).candidate();
            if (decisions.get(i).kind() != MergePlanner.Kind.PRESENT && identities.contains(c.identity())) {
                long size = crlfSize(open, all.get((int) c.key()));
                if (size >= 0 && size != c.length()) {
                    again.add(new Candidate(c.identity(), size, null, i));
                }
            }
        }
        if (again.isEmpty()) {
            return decisions;
        }
        List<Decision> out = new ArrayList<>(decisions);
        for (Decision d : planner.plan(left, again).decisions()) {
            if (d.kind() == MergePlanner.Kind.PRESENT) {
                int i = (int) d.candidate().key();
                out.set(i, new Decision(decisions.get(i).candidate(), MergePlanner.Kind.PRESENT, d.match()));
            }
        }
        LOG.debug("{} of {} messages found again by their size with CRLF line ends", out.stream()
                .filter(d -> d.kind() == MergePlanner.Kind.PRESENT).count()
                - decisions.stream().filter(d -> d.kind() == MergePlanner.Kind.PRESENT).count(), again.size());
        return out;
    }

    /** {@return the message's length with every bare line feed counted as CRLF, or -1 when it cannot be read} */
    private static long crlfSize(SourceFolder open, MessageInfo m) throws BackupException {
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
            return -1;
        }
        return size;
    }
}
