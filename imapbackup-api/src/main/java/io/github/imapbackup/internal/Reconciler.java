package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.TargetFolder;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.SourceFolder;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
     * @param stored how the entry holds the server's bytes, when they were downloaded to match
     */
    record Adoption(ArchivedMessage entry, MessageInfo message, String sha256, Stored stored) {

        Adoption(ArchivedMessage entry, MessageInfo message) {
            this(entry, message, null, Stored.EXACT);
        }
    }

    /** How an entry holds the server's bytes. */
    enum Stored {
        /** As they are. */
        EXACT,
        /** Plus a {@code \n} the mbox writer added. */
        NEWLINE_ADDED,
        /** In another program's form, equal in {@link NormalisedForm} only: not the server's bytes. */
        CONVERTED
    }

    /**
     * The SHA-256 of a downloaded message, of its bytes plus {@code \n} when they do not end with one,
     * and of its {@link NormalisedForm} when an entry of no known origin has its identity.
     *
     * @param exact of the bytes; empty when the message could not be downloaded
     * @param withNewline of the bytes plus {@code \n}, or null
     * @param normalised of the normalised form, or null
     */
    private record Hashes(String exact, String withNewline, String normalised) { }

    private final MergePlanner planner;
    private final MessageIdExtractor extractor;
    private final String folder;
    private final boolean dryRun;

    Reconciler(MergePlanner planner, MessageIdExtractor extractor, String folder, boolean dryRun) {
        this.planner = planner;
        this.extractor = extractor;
        this.folder = folder;
        this.dryRun = dryRun;
    }

    Result reconcile(List<MessageInfo> fetched, List<ArchivedMessage> pool, SourceFolder open,
            TargetFolder archive) throws BackupException {
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
        // the original script's copies of messages without a Message-ID carry its own: read their real one
        boolean allPresent = decisions.stream().allMatch(d -> d.kind() == MergePlanner.Kind.PRESENT);
        Map<ArchivedMessage, ArchivedMessage> standIns = dryRun || allPresent ? Map.of()
                : scriptStandIns(pool.stream().filter(e -> !taken.containsKey(e)
                        && NormalisedForm.scriptIdentity(e.identity())).toList(), archive);
        Set<MessageIdentity> unknownOrigin = new HashSet<>();
        pool.stream().filter(e -> !taken.containsKey(e) && e.uid() == 0).forEach(e -> unknownOrigin.add(e.identity()));
        standIns.keySet().forEach(s -> unknownOrigin.add(s.identity()));
        for (MergePlanner.Decision d : decisions) {
            MessageInfo m = fetched.get((int) d.candidate().key());
            if (d.kind() == MergePlanner.Kind.PRESENT) {
                adoptions.add(new Adoption(d.match(), m));
            } else if (!dryRun && (d.kind() == MergePlanner.Kind.ADD_DISTINCT
                    && leftIdentities.contains(m.identity()) || unknownOrigin.contains(m.identity()))) {
                ambiguous.add(m);
            } else {
                toCopy.add(m);
            }
        }
        if (!ambiguous.isEmpty()) {
            matchByBytes(ambiguous, new Pool(pool, taken, standIns, unknownOrigin), adoptions, toCopy, open, archive);
        }
        LOG.debug("folder \"{}\": {} messages matched in the archive, {} to copy", folder,
                adoptions.size(), toCopy.size());
        return new Result(Collections.unmodifiableList(adoptions), Collections.unmodifiableList(toCopy));
    }

    /**
     * Matches by their bytes the candidates whose identity the pool holds but whose size matched
     * no entry (downloading each once): exact, with an added newline, or in normalised form.
     */
    private void matchByBytes(List<MessageInfo> ambiguous, Pool p, List<Adoption> adoptions,
            List<MessageInfo> toCopy, SourceFolder open, TargetFolder archive) throws BackupException {
        int before = adoptions.size();
        List<ArchivedMessage> left = p.entries().stream().filter(e -> !p.taken().containsKey(e)).toList();
        List<Hashes> hashes = new ArrayList<>();
        for (MessageInfo m : ambiguous) {
            hashes.add(sha256(open, m, p.unknownOrigin().contains(m.identity())));
        }
        Hashed hashed = new Hashed(ambiguous, hashes, p.taken(), adoptions);
        List<Integer> unmatched = hashed.match(left, null,
                IntStream.range(0, ambiguous.size()).boxed().toList(), Hashes::exact, Stored.EXACT);
        // an entry of no known origin (a rebuilt index, an import) holds a message that did not
        // end with a line end with the newline the mbox writer added: match those bytes too
        List<ArchivedMessage> unknown = p.entries().stream()
                .filter(e -> !p.taken().containsKey(e) && e.uid() == 0).toList();
        unmatched = hashed.match(unknown, null, unmatched, Hashes::withNewline, Stored.NEWLINE_ADDED);
        // or another program's copy (the original script's): match the normalised forms
        Set<MessageIdentity> normalisable = unmatched.stream().filter(i -> hashes.get(i).normalised() != null)
                .map(i -> ambiguous.get(i).identity()).collect(Collectors.toSet());
        if (!normalisable.isEmpty()) {
            Map<ArchivedMessage, ArchivedMessage> normalised = normalisedStandIns(p.entries(), p.taken(),
                    p.standIns(), normalisable, archive);
            unmatched = hashed.match(normalised.keySet(), normalised, unmatched, Hashes::normalised,
                    Stored.CONVERTED);
        }
        unmatched.forEach(i -> toCopy.add(ambiguous.get(i)));
        toCopy.sort(Comparator.comparingLong(MessageInfo::uid));
        LOG.debug("folder \"{}\": {} of {} messages with a size mismatch matched by their bytes", folder,
                adoptions.size() - before, ambiguous.size());
    }

    /**
     * The target entries a reconciliation matches against.
     *
     * @param entries the entries that answer for no live UID
     * @param taken the entries already matched
     * @param standIns the original script's entries, each with its real identity
     * @param unknownOrigin identities held by entries of no known origin
     */
    private record Pool(List<ArchivedMessage> entries, Map<ArchivedMessage, Boolean> taken,
            Map<ArchivedMessage, ArchivedMessage> standIns, Set<MessageIdentity> unknownOrigin) { }

    /** Downloaded candidates, their hashes, and what is matched so far. */
    private final class Hashed {
        private final List<MessageInfo> candidates;
        private final List<Hashes> hashes;
        private final Map<ArchivedMessage, Boolean> taken;
        private final List<Adoption> adoptions;

        Hashed(List<MessageInfo> candidates, List<Hashes> hashes, Map<ArchivedMessage, Boolean> taken,
                List<Adoption> adoptions) {
            this.candidates = candidates;
            this.hashes = hashes;
            this.taken = taken;
            this.adoptions = adoptions;
        }

        /**
         * Matches candidates (indexes) by one of their hashes against entries (stand-ins for the
         * entries of {@code standIns} when it is given); returns the indexes left unmatched.
         */
        List<Integer> match(Collection<ArchivedMessage> entries, Map<ArchivedMessage, ArchivedMessage> standIns,
                List<Integer> indexes, Function<Hashes, String> hash, Stored stored) {
            List<Integer> tried = indexes.stream().filter(i -> hash.apply(hashes.get(i)) != null).toList();
            List<Integer> rest = new ArrayList<>(indexes.stream().filter(i -> hash.apply(hashes.get(i)) == null)
                    .toList());
            if (tried.isEmpty() || entries.isEmpty()) {
                rest.addAll(tried);
                rest.sort(null);
                return rest;
            }
            for (MergePlanner.Decision d : planner.plan(entries, candidates(tried.stream().map(candidates::get)
                    .toList(), tried.stream().map(i -> hash.apply(hashes.get(i))).toList())).decisions()) {
                int i = tried.get((int) d.candidate().key());
                if (d.kind() == MergePlanner.Kind.PRESENT) {
                    ArchivedMessage entry = standIns == null ? d.match() : standIns.get(d.match());
                    adoptions.add(new Adoption(entry, candidates.get(i), hashes.get(i).exact(), stored));
                    taken.put(entry, Boolean.TRUE);
                } else {
                    rest.add(i);
                }
            }
            return rest;
        }
    }

    /**
     * For entries with the original script's synthetic Message-ID: stand-ins (by the identity of the
     * message without that line; the SHA-256 of its normalised form) mapped to the entries.
     */
    private Map<ArchivedMessage, ArchivedMessage> scriptStandIns(List<ArchivedMessage> entries, TargetFolder archive)
            throws BackupException {
        Map<ArchivedMessage, ArchivedMessage> out = new IdentityHashMap<>();
        for (ArchivedMessage e : entries) {
            NormalisedForm.Stored s = normalised(archive, e);
            if (s != null) {
                out.put(standIn(e, s.identity(), s.sha256()), e);
            }
        }
        return out;
    }

    /**
     * Stand-ins for the untaken entries of no known origin whose identity is among {@code identities}:
     * the entry with the SHA-256 of its normalised form (read from the archive), mapped to the entry.
     */
    private Map<ArchivedMessage, ArchivedMessage> normalisedStandIns(List<ArchivedMessage> pool,
            Map<ArchivedMessage, Boolean> taken, Map<ArchivedMessage, ArchivedMessage> scriptStandIns,
            Set<MessageIdentity> identities, TargetFolder archive) throws BackupException {
        Map<ArchivedMessage, ArchivedMessage> out = new IdentityHashMap<>();
        for (Map.Entry<ArchivedMessage, ArchivedMessage> s : scriptStandIns.entrySet()) {
            if (!taken.containsKey(s.getValue()) && identities.contains(s.getKey().identity())) {
                out.put(s.getKey(), s.getValue());
            }
        }
        for (ArchivedMessage e : pool) {
            if (!taken.containsKey(e) && e.uid() == 0 && identities.contains(e.identity())) {
                NormalisedForm.Stored s = normalised(archive, e);
                if (s != null) {
                    out.put(standIn(e, e.identity(), s.sha256()), e);
                }
            }
        }
        return out;
    }

    private static ArchivedMessage standIn(ArchivedMessage e, MessageIdentity identity, String sha256) {
        return new ArchivedMessage(e.uidValidity(), e.uid(), identity, e.offset(), e.length(), sha256, e.size(),
                e.internalDate(), e.flags(), e.expunged());
    }

    /** Reads a stored message in normalised form; null (with a log line) when it cannot be read. */
    private NormalisedForm.Stored normalised(TargetFolder archive, ArchivedMessage e) throws BackupException {
        try (InputStream in = archive.openMessage(e)) {
            return NormalisedForm.ofStored(in, extractor);
        } catch (IOException x) {
            LOG.debug("folder \"{}\": the stored message at offset {} cannot be read to match it", folder,
                    e.offset(), x);
            return null;
        }
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
    private Hashes sha256(SourceFolder open, MessageInfo m, boolean normalise) throws BackupException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        int last = -1;
        NormalisedForm normalised = normalise ? new NormalisedForm() : null;
        try (InputStream in = open.openMessage(m.uid())) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (n > 0) {
                    digest.update(buf, 0, n);
                    last = buf[n - 1];
                    if (normalised != null) {
                        normalised.update(buf, 0, n);
                    }
                }
            }
        } catch (ConnectionException e) {
            throw e;
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectionException c) {
                throw c;
            }
            LOG.debug("folder \"{}\": UID {} cannot be hashed; it will be copied", folder, m.uid(), e);
            return new Hashes("", null, null);
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
        return new Hashes(java.util.HexFormat.of().formatHex(digest.digest()), withNewline,
                normalised == null ? null : normalised.hex());
    }
}
