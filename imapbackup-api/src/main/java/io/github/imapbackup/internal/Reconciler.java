package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.MessageInfo;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.SourceFolder;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches server messages against archive entries that answer for no live UID: by identity and
 * RFC822.SIZE first; a message whose identity the archive holds but whose size matches no entry
 * (a server that misreports RFC822.SIZE, or a distinct message with the same Message-ID) is
 * downloaded once and matched by SHA-256, so neither a duplicate is stored nor a distinct message
 * taken for one. A dry run downloads nothing and counts such messages as copies.
 */
final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /**
     * The outcome.
     *
     * @param adoptions archive entries found for server messages
     * @param toCopy the messages to copy, in UID order
     */
    record Result(List<Adoption> adoptions, List<MessageInfo> toCopy) { }

    /**
     * An archive entry that answers for a server message.
     *
     * @param entry the archive entry
     * @param message the server message
     * @param sha256 the SHA-256 of the server's bytes when they were downloaded to match, else null
     * @param newlineAdded whether the entry holds those bytes plus a {@code \n} the writer added
     */
    record Adoption(ArchivedMessage entry, MessageInfo message, String sha256, boolean newlineAdded) {

        Adoption(ArchivedMessage entry, MessageInfo message) {
            this(entry, message, null, false);
        }
    }

    /**
     * The SHA-256 of a downloaded message, and of its bytes plus {@code \n} when they do not end with one.
     *
     * @param exact of the bytes; empty when the message could not be downloaded
     * @param withNewline of the bytes plus {@code \n}, or null
     */
    private record Hashes(String exact, String withNewline) { }

    private final MergePlanner planner;
    private final String folder;
    private final boolean dryRun;

    Reconciler(MergePlanner planner, String folder, boolean dryRun) {
        this.planner = planner;
        this.folder = folder;
        this.dryRun = dryRun;
    }

    Result reconcile(List<MessageInfo> fetched, List<ArchivedMessage> pool, SourceFolder open)
            throws BackupException {
        if (fetched.isEmpty() || pool.isEmpty()) {
            return new Result(List.of(), fetched);
        }
        List<Adoption> adoptions = new ArrayList<>();
        List<MessageInfo> toCopy = new ArrayList<>();
        List<MessageInfo> ambiguous = new ArrayList<>();
        Map<ArchivedMessage, Boolean> taken = new IdentityHashMap<>();
        List<MergePlanner.Decision> decisions = planner.plan(pool, candidates(fetched, null)).decisions();
        for (MergePlanner.Decision d : decisions) {
            if (d.kind() == MergePlanner.Kind.PRESENT) {
                taken.put(d.match(), Boolean.TRUE);
            }
        }
        Set<MessageIdentity> leftIdentities = new HashSet<>();
        pool.stream().filter(e -> !taken.containsKey(e)).forEach(e -> leftIdentities.add(e.identity()));
        for (MergePlanner.Decision d : decisions) {
            MessageInfo m = fetched.get((int) d.candidate().key());
            if (d.kind() == MergePlanner.Kind.PRESENT) {
                adoptions.add(new Adoption(d.match(), m));
            } else if (!dryRun && d.kind() == MergePlanner.Kind.ADD_DISTINCT
                    && leftIdentities.contains(m.identity())) {
                ambiguous.add(m);
            } else {
                toCopy.add(m);
            }
        }
        if (!ambiguous.isEmpty()) {
            int before = adoptions.size();
            List<ArchivedMessage> left = pool.stream().filter(e -> !taken.containsKey(e)).toList();
            List<Hashes> hashes = new ArrayList<>();
            for (MessageInfo m : ambiguous) {
                hashes.add(sha256(open, m));
            }
            List<MessageInfo> unmatched = new ArrayList<>();
            List<Hashes> unmatchedHashes = new ArrayList<>();
            List<String> withNewline = new ArrayList<>();
            for (MergePlanner.Decision d : planner.plan(left, candidates(ambiguous,
                    hashes.stream().map(Hashes::exact).toList())).decisions()) {
                MessageInfo m = ambiguous.get((int) d.candidate().key());
                if (d.kind() == MergePlanner.Kind.PRESENT) {
                    adoptions.add(new Adoption(d.match(), m, hashes.get((int) d.candidate().key()).exact(), false));
                    taken.put(d.match(), Boolean.TRUE);
                } else if (hashes.get((int) d.candidate().key()).withNewline() != null) {
                    unmatched.add(m);
                    unmatchedHashes.add(hashes.get((int) d.candidate().key()));
                    withNewline.add(hashes.get((int) d.candidate().key()).withNewline());
                } else {
                    toCopy.add(m);
                }
            }
            // an entry of no known origin (a rebuilt index, an import) holds a message that did not
            // end with a line end with the newline the mbox writer added: match those bytes too
            List<ArchivedMessage> unknownOrigin = pool.stream()
                    .filter(e -> !taken.containsKey(e) && e.uid() == 0).toList();
            for (MergePlanner.Decision d : planner.plan(unknownOrigin, candidates(unmatched, withNewline)).decisions()) {
                MessageInfo m = unmatched.get((int) d.candidate().key());
                if (d.kind() == MergePlanner.Kind.PRESENT) {
                    adoptions.add(new Adoption(d.match(), m,
                            unmatchedHashes.get((int) d.candidate().key()).exact(), true));
                } else {
                    toCopy.add(m);
                }
            }
            toCopy.sort(Comparator.comparingLong(MessageInfo::uid));
            LOG.debug("folder \"{}\": {} of {} messages with a size mismatch matched by SHA-256", folder,
                    adoptions.size() - before, ambiguous.size());
        }
        LOG.debug("folder \"{}\": {} messages matched in the archive, {} to copy", folder,
                adoptions.size(), toCopy.size());
        return new Result(Collections.unmodifiableList(adoptions), Collections.unmodifiableList(toCopy));
    }

    private static List<MergePlanner.Candidate> candidates(List<MessageInfo> messages, List<String> hashes) {
        List<MergePlanner.Candidate> candidates = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            MessageInfo m = messages.get(i);
            candidates.add(new MergePlanner.Candidate(m.identity(), m.size(),
                    hashes == null ? null : hashes.get(i), i));
        }
        return candidates;
    }

    /** Downloads a message to hash it; a message that cannot be fetched gets no hash (copied later). */
    private Hashes sha256(SourceFolder open, MessageInfo m) throws BackupException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        int last = -1;
        try (InputStream in = open.openMessage(m.uid())) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (n > 0) {
                    digest.update(buf, 0, n);
                    last = buf[n - 1];
                }
            }
        } catch (ConnectionException e) {
            throw e;
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectionException c) {
                throw c;
            }
            LOG.debug("folder \"{}\": UID {} cannot be hashed; it will be copied", folder, m.uid(), e);
            return new Hashes("", null);
        }
        String withNewline = null;
        if (last != '\n') {
            try {
                MessageDigest plus = (MessageDigest) digest.clone();
                plus.update((byte) '\n');
                withNewline = java.util.HexFormat.of().formatHex(plus.digest());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 digests of this Java runtime cannot be cloned", e);
            }
        }
        return new Hashes(java.util.HexFormat.of().formatHex(digest.digest()), withNewline);
    }
}
