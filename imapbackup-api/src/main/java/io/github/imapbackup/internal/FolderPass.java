package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MessageSink;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.spi.TargetFolder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at backing up a folder over one connection (the incremental algorithm). A
 * {@link ConnectionException} leaves the archive consistent; the caller reconnects and starts a new
 * pass, which resumes after the last appended UID.
 */
final class FolderPass {

    private static final Logger LOG = LoggerFactory.getLogger(FolderPass.class);

    static final int COMMIT_MESSAGES = 500;
    static final long COMMIT_BYTES = 64L << 20;
    /** Bigger messages are never fetched ahead into memory (the source streams them in chunks). */
    static final long BATCH_MAX_MESSAGE = 1L << 20;

    private final RunContext run;
    private final FolderInfo folder;
    private final String name;
    private final TargetFolder archive;
    private final FolderProgress progress;
    /** The UID the copy stopped at when cancelled. */
    private long firstNotCopied;
    private int messagesSinceCommit;
    private long bytesSinceCommit;
    /** Messages the source could not deliver, recorded at the copy's end. */
    private final UnfetchedMessages unfetched;

    /**
     * Creates a pass.
     *
     * @param archive the target folder, read-only in a dry run
     */
    FolderPass(RunContext run, FolderInfo folder, TargetFolder archive, FolderProgress progress) {
        this.run = run;
        this.folder = folder;
        this.name = folder.name();
        this.archive = archive;
        this.progress = progress;
        this.unfetched = new UnfetchedMessages(run, folder, progress);
    }

    void run(SourceConnection connection) throws BackupException {
        FolderStatus status = connection.status(folder);
        Optional<FolderState> state = archive.state();
        progress.onSource = status.messages();
        if (state.isPresent() && unchanged(state.get(), status) && status.highestModSeq() > 0) {
            LOG.debug("folder \"{}\": unchanged since the last run (CONDSTORE), nothing to fetch", name);
            // without listing the archive's messages: a target may answer from its last commit
            progress.skipped = Math.max(0, status.messages() - progress.copiedSoFar());
            progress.duplicates = archive.duplicates(status.uidValidity());
            run.listener.folderStarted(folder, status.messages(), 0, 0);
            return;
        }
        List<ArchivedMessage> entries = archive.messages();
        run.folderNeedsWork();
        try (SourceFolder open = connection.open(folder, run.config.extractor())) {
            backup(open, state, entries);
        }
    }

    private static boolean unchanged(FolderState s, FolderStatus now) {
        return s.uidValidity() == now.uidValidity() && s.uidNext() == now.uidNext()
                && s.messages() == now.messages() && s.highestModSeq() == now.highestModSeq();
    }

    /** Plans, records what the plan found, follows flag changes and expunges, then copies. */
    private void backup(SourceFolder open, Optional<FolderState> state, List<ArchivedMessage> entries)
            throws BackupException {
        FolderStatus st = open.status();
        progress.onSource = st.messages();
        Optional<FolderState> same = state.filter(s -> s.uidValidity() == st.uidValidity());
        LiveIndex live = new LiveIndex(entries, st.uidValidity());
        long copiedBefore = progress.copiedSoFar();
        Reconciler.Result plan = plan(open, st, state, entries, live);
        progress.skipped = Math.max(0, st.messages() - plan.toCopy().size() - copiedBefore);
        record(st, live, plan);
        long modSeq = same.map(FolderState::highestModSeq).orElse(0L);
        updateFlags(open, live, st.highestModSeq() > 0 ? modSeq : 0);
        updateLabels(open, live, st.highestModSeq() > 0 ? modSeq : 0);
        List<MessageInfo> toCopy = markExpunged(open, live, plan.toCopy(), st.messages(), modSeq);
        progress.duplicates = live.duplicates();
        transfer(open, st, toCopy, live);
    }

    /** Decides what to copy, and which target entries are source messages (the reconciler). */
    private Reconciler.Result plan(SourceFolder open, FolderStatus st, Optional<FolderState> state,
            List<ArchivedMessage> entries, LiveIndex live) throws BackupException {
        Reconciler reconciler = new Reconciler(run.config.planner(), run.config.extractor(), name, run.dryRun);
        long uv = st.uidValidity();
        if (state.isPresent() && state.get().uidValidity() == uv) {
            if (unchanged(state.get(), st) && st.highestModSeq() == 0) {
                LOG.debug("folder \"{}\": unchanged status without CONDSTORE, checking flags only", name);
                return new Reconciler.Result(List.of(), List.of());
            }
            return planNew(open, st, state.get(), entries, live, reconciler);
        }
        LOG.debug("folder \"{}\": UIDVALIDITY {} (was {}), matching every message by identity",
                name, uv, state.map(s -> Long.toString(s.uidValidity())).orElse("unknown"));
        List<MessageInfo> all = open.messages(1);
        Set<Long> current = new HashSet<>();
        all.forEach(m -> current.add(m.uid()));
        List<ArchivedMessage> pool = entries.stream()
                .filter(e -> !(live.isBound(e) && current.contains(e.uid()))).toList();
        return reconciler.reconcile(unbound(all, live), pool, open, archive);
    }

    /** Plans the messages new since the last run of the same UIDVALIDITY. */
    private Reconciler.Result planNew(SourceFolder open, FolderStatus st, FolderState last,
            List<ArchivedMessage> entries, LiveIndex live, Reconciler reconciler) throws BackupException {
        long from = Math.max(1, Math.min(live.maxUid() + 1, last.uidNext() > 0 ? last.uidNext() : Long.MAX_VALUE));
        LOG.debug("folder \"{}\": same UIDVALIDITY {}, fetching UIDs from {}", name, st.uidValidity(), from);
        List<MessageInfo> fetched = unbound(open.messages(from), live);
        // expunges first, so a message expunged and added again since the last run (moved out
        // and back) is matched with its archived copy below instead of being stored twice
        fetched = markExpunged(open, live, fetched, st.messages(), last.highestModSeq());
        // new UIDs may still be messages the archive holds without binding (imports, expunged)
        return reconciler.reconcile(fetched, entries.stream()
                .filter(e -> !live.isBound(e) || e.expunged() || !live.live().containsKey(e.uid()))
                .toList(), open, archive);
    }

    /** Records a safe state and the entries the plan found to be source messages. */
    private void record(FolderStatus st, LiveIndex live, Reconciler.Result plan) throws BackupException {
        long uv = st.uidValidity();
        List<MessageInfo> toCopy = plan.toCopy();
        // a safe state first: a commit during the copy records nothing the copy has not done
        archive.state(new FolderState(name, folder.delimiter(), uv,
                toCopy.isEmpty() ? uidNext(st, live) : Math.min(uidNext(st, live), toCopy.get(0).uid()),
                0, st.messages()));
        for (Reconciler.Adoption a : plan.adoptions()) {
            adopt(a, uv);
            // duplicates are counted by the server's bytes, also for an entry that holds another form of them
            live.adopt(a.entry(), a.message().uid(), a.message().size(), a.message().flags(),
                    a.sha256() != null ? a.sha256() : a.entry().sha256());
        }
    }

    private void adopt(Reconciler.Adoption a, long uv) throws BackupException {
        if (a.stored() == Reconciler.Stored.CONVERTED) {
            archive.adoptConverted(a.entry(), uv, a.message().uid(), a.message().flags(), a.message().size());
        } else if (a.sha256() != null) {
            archive.adopt(a.entry(), uv, a.message().uid(), a.message().flags(),
                    a.entry().length() - (a.stored() == Reconciler.Stored.NEWLINE_ADDED ? 1 : 0), a.sha256());
        } else {
            archive.adopt(a.entry(), uv, a.message().uid(), a.message().flags());
        }
    }

    /** Copies what the plan adds and records the final state; a dry run counts it instead. */
    private void transfer(SourceFolder open, FolderStatus st, List<MessageInfo> toCopy, LiveIndex live)
            throws BackupException {
        long bytesToCopy = toCopy.stream().mapToLong(MessageInfo::size).sum();
        run.listener.folderStarted(folder, st.messages(), toCopy.size(), bytesToCopy);
        if (run.dryRun) {
            // the one place a dry run differs: its read-only target records nothing, and nothing is copied
            progress.copied += toCopy.size();
            progress.bytes += bytesToCopy;
            return;
        }
        try {
            copy(open, st.uidValidity(), toCopy, live);
            unfetched.settle(open);
        } catch (CancelledException e) {
            // commit what was copied; an interrupt flag would break file channels, so hold it back
            boolean interrupted = Thread.interrupted();
            try {
                unfetched.recordAll();
                finish(st, live, firstNotCopied);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        } catch (BackupException | RuntimeException e) {
            unfetched.recordAll(); // the connection is lost: not asked, failures as they came
            throw e;
        }
        finish(st, live, 0);
    }

    private static List<MessageInfo> unbound(List<MessageInfo> fetched, LiveIndex live) {
        return fetched.stream().filter(m -> !live.bound(m.uid())).toList();
    }

    private void updateFlags(SourceFolder open, LiveIndex live, long modSeq) throws BackupException {
        if (live.live().isEmpty()) {
            return;
        }
        Map<Long, Set<String>> flags = open.flags(modSeq);
        List<Long> uids = new ArrayList<>(flags.keySet());
        uids.sort(null);
        for (Long uid : uids) {
            LiveIndex.Live l = live.live().get(uid);
            Set<String> now = Set.copyOf(flags.get(uid));
            if (l != null && !l.flags.equals(now)) {
                archive.updateFlags(uid, now);
                l.flags = now;
                progress.flagsUpdated++;
            }
        }
    }

    /**
     * Records the Gmail labels that changed, like flags (only a source that records labels lists
     * any). While no archived message has labels (a folder backed up before labels were asked for)
     * every message's labels are asked for, not only those changed since the last run.
     */
    private void updateLabels(SourceFolder open, LiveIndex live, long modSeq) throws BackupException {
        if (live.live().isEmpty()) {
            return;
        }
        boolean someRecorded = live.live().values().stream().anyMatch(l -> !l.labels.isEmpty());
        Map<Long, Set<String>> labels = open.labels(someRecorded ? modSeq : 0);
        for (Long uid : labels.keySet().stream().sorted().toList()) {
            LiveIndex.Live l = live.live().get(uid);
            Set<String> now = Set.copyOf(labels.get(uid));
            if (l != null && !l.labels.equals(now)) {
                archive.updateLabels(uid, now);
                l.labels = now;
            }
        }
    }

    /**
     * Marks archived messages the server no longer holds; returns {@code toCopy} without them.
     * Nothing is asked when the counts agree. Otherwise the source is asked for what was expunged
     * since {@code modSeq} (QRESYNC), and that answer is used when it makes the counts agree;
     * else every UID is listed.
     *
     * @param modSeq the HIGHESTMODSEQ of the last run with the same UIDVALIDITY, or 0
     */
    private List<MessageInfo> markExpunged(SourceFolder open, LiveIndex live, List<MessageInfo> toCopy,
            long messages, long modSeq) throws BackupException {
        if (live.live().size() + toCopy.size() == messages) {
            return toCopy;
        }
        List<Long> gone = modSeq > 0 && !live.live().isEmpty() ? vanished(open, live, toCopy, messages, modSeq) : null;
        List<MessageInfo> remaining = toCopy; // with a usable VANISHED answer the counts agree: all are there
        if (gone == null) {
            long[] uids = open.uids();
            Set<Long> present = new HashSet<>(uids.length * 2);
            Arrays.stream(uids).forEach(present::add);
            gone = live.live().keySet().stream().filter(u -> !present.contains(u)).sorted().toList();
            remaining = toCopy.stream().filter(m -> present.contains(m.uid())).toList();
        }
        for (Long uid : gone) {
            archive.markExpunged(uid);
            live.remove(uid);
            progress.expunged++;
        }
        LOG.debug("folder \"{}\": {} archived messages expunged on the server", name, gone.size());
        return remaining;
    }

    /**
     * The archived UIDs the source says were expunged since {@code modSeq}, or null when it cannot
     * tell or its answer does not make the counts agree.
     */
    private List<Long> vanished(SourceFolder open, LiveIndex live, List<MessageInfo> toCopy, long messages,
            long modSeq) throws BackupException {
        Optional<long[]> answer = open.expungedSince(modSeq, live.maxUid());
        if (answer.isEmpty()) {
            return null;
        }
        Set<Long> expunged = new HashSet<>();
        for (long uid : answer.get()) {
            if (live.live().containsKey(uid)) {
                expunged.add(uid);
            }
        }
        if (live.live().size() - expunged.size() + toCopy.size() != messages) {
            LOG.debug("folder \"{}\": {} expunged since modseq {} leaves the counts apart ({} + {} against {});"
                    + " listing every UID", name, expunged.size(), modSeq, live.live().size() - expunged.size(),
                    toCopy.size(), messages);
            return null;
        }
        return expunged.stream().sorted().toList();
    }

    private void copy(SourceFolder open, long uv, List<MessageInfo> toCopy, LiveIndex live)
            throws BackupException {
        messagesSinceCommit = 0;
        bytesSinceCommit = 0;
        if (FetchAhead.worthIt(run, toCopy, BATCH_MAX_MESSAGE)) {
            copyWithHelp(open, uv, toCopy, live);
            return;
        }
        // one call: the source cuts the list into commands and sends the next before an answer ends
        copyBatch(open, uv, toCopy, live);
    }

    /**
     * Copies a big folder's messages in order, with connections that have no folder left fetching
     * chunks ahead (docs/ARCHITECTURE.md, "One big folder on several connections").
     */
    private void copyWithHelp(SourceFolder open, long uv, List<MessageInfo> toCopy, LiveIndex live)
            throws BackupException {
        FetchAhead ahead = new FetchAhead(run, folder, uv, toCopy, BATCH_MAX_MESSAGE, new FetchAhead.Writer() {
            @Override
            public void reached(MessageInfo first) {
                firstNotCopied = first.uid();
            }

            @Override
            public void fetchAndAppend(List<MessageInfo> messages) throws BackupException {
                copyBatch(open, uv, messages, live);
            }

            @Override
            public void append(MessageInfo m, byte[] bytes) throws BackupException {
                firstNotCopied = m.uid();
                run.checkpoint();
                copied(m, FolderPass.this.append(uv, m, new ByteArrayInputStream(bytes)), live);
            }

            @Override
            public SourceFolder source() {
                return open;
            }
        });
        try {
            ahead.run();
        } finally {
            progress.waits = progress.waits.plus(ahead.waits());
        }
    }

    /** Copies small messages fetched together; each is done once its append returned. */
    private void copyBatch(SourceFolder open, long uv, List<MessageInfo> batch, LiveIndex live)
            throws BackupException {
        if (batch.isEmpty()) {
            return;
        }
        firstNotCopied = batch.get(0).uid();
        run.checkpoint();
        // in UID order: the first key is the lowest UID not yet done
        Map<Long, MessageInfo> pending = new LinkedHashMap<>();
        batch.forEach(m -> pending.put(m.uid(), m));
        open.fetchMessages(List.copyOf(batch), new BatchSink(uv, pending, live));
        // a source that skipped a message without saying so: fetch it alone
        for (MessageInfo m : List.copyOf(pending.values())) {
            firstNotCopied = m.uid();
            run.checkpoint();
            pending.remove(m.uid());
            copied(m, copyOne(open, uv, m), live);
        }
    }

    /**
     * Records an appended message and commits at the cadence. When {@code a} is null the append
     * failed (recorded): a commit then tells whether the archive still holds what was appended
     * before, or lost it with the failure (a compressed member cannot be continued).
     */
    private void copied(MessageInfo m, ArchivedMessage a, LiveIndex live) throws BackupException {
        if (a == null) {
            commit();
            return;
        }
        unfetched.copied(m.uid());
        live.add(m.uid(), m.identity(), m.size(), m.flags(), a.sha256());
        live.live().get(m.uid()).labels = m.labels();
        progress.messageAppended(m.uid(), a.length());
        run.listener.messageCopied(folder, m.uid(), a.length());
        messagesSinceCommit++;
        bytesSinceCommit += a.length();
        if (messagesSinceCommit >= COMMIT_MESSAGES || bytesSinceCommit >= COMMIT_BYTES) {
            commit();
        }
    }

    /**
     * Commits; only then do the appended messages count as copied. When the commit fails they are
     * lost: each becomes an error, and a {@code messageFailed} event corrects its earlier
     * {@code messageCopied}.
     */
    private void commit() throws BackupException {
        FolderLedger.commit(run, folder, archive, progress);
        messagesSinceCommit = 0;
        bytesSinceCommit = 0;
    }

    /** Copies one message alone; returns null when it failed (recorded) and the copy goes on. */
    private ArchivedMessage copyOne(SourceFolder open, long uv, MessageInfo m) throws BackupException {
        InputStream raw;
        try {
            raw = open.openMessage(m.uid());
        } catch (BackupException e) {
            unfetched.add(m.uid(), e); // throws a lost connection, and a cancellation (the failure is the interrupt)
            return null;
        }
        return append(uv, m, raw);
    }

    /** Appends one message; returns null when it failed (recorded) and the copy goes on. */
    private ArchivedMessage append(long uv, MessageInfo m, InputStream raw) throws BackupException {
        ProgressStream in = new ProgressStream(raw, run.listener, folder, run::cancelled);
        try {
            return archive.append(new TargetFolder.NewMessage(uv, m.uid(), m.identity(), m.size(),
                    m.internalDate(), m.flags(), m.sender(), m.labels()), in);
        } catch (ConnectionException e) {
            throw e;
        } catch (BackupException e) {
            if (in.stoppedByCancel()) {
                throw new CancelledException(); // the archive dropped the partial message
            }
            if (in.connectionFailure() != null) {
                throw in.connectionFailure();
            }
            if (Thread.currentThread().isInterrupted()) {
                // the failure is the interruption: a cancellation, not a broken message
                throw new CancelledException();
            }
            if (in.sourceFailure() != null) {
                unfetched.add(m.uid(), e); // the source's bytes stopped: perhaps expunged meanwhile
            } else {
                messageFailed(m.uid(), e);
            }
            return null;
        } finally {
            try {
                in.close();
            } catch (IOException e) {
                LOG.debug("folder \"{}\": closing the stream of UID {} failed", name, m.uid(), e);
            }
        }
    }

    private void messageFailed(long uid, BackupException e) {
        FolderLedger.messageFailed(run, folder, progress, uid, e);
    }


    private static long uidNext(FolderStatus st, LiveIndex live) {
        return st.uidNext() > 0 ? st.uidNext() : live.maxUid() + 1;
    }

    /** Records the server's state, held back to the first UID that is missing, and commits. */
    private void finish(FolderStatus st, LiveIndex live, long stoppedAt) throws BackupException {
        long uidNext = uidNext(st, live);
        long failed = progress.lowestFailedUid();
        if (failed > 0) {
            uidNext = Math.min(uidNext, failed);
        }
        if (stoppedAt > 0) {
            uidNext = Math.min(uidNext, stoppedAt);
        }
        archive.state(new FolderState(name, folder.delimiter(), st.uidValidity(), uidNext,
                st.highestModSeq(), st.messages()));
        commit();
        progress.duplicates = live.duplicates(); // now with the bytes of what was copied
    }

    /** Appends the messages of one batch as the source streams them; each is done once appended. */
    private final class BatchSink implements MessageSink {

        private final long uv;
        /** In UID order: the first key is the lowest UID not yet done. */
        private final Map<Long, MessageInfo> pending;
        private final LiveIndex live;

        BatchSink(long uv, Map<Long, MessageInfo> pending, LiveIndex live) {
            this.uv = uv;
            this.pending = pending;
            this.live = live;
        }

        @Override
        public void message(long uid, InputStream content) throws BackupException {
            MessageInfo m = pending.get(uid);
            if (m == null) {
                LOG.debug("folder \"{}\": the source sent UID {} again or unasked; ignored", name, uid);
                return;
            }
            firstNotCopied = Math.min(uid, pending.keySet().iterator().next());
            run.checkpoint();
            pending.remove(uid);
            copied(m, append(uv, m, content), live);
        }

        @Override
        public void failed(long uid, BackupException failure) throws BackupException {
            if (pending.remove(uid) != null) {
                unfetched.add(uid, failure); // recorded at the copy's end, once the source says whether it is gone
            }
        }
    }
}
