package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageRejectedException;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.MergePlanner.Candidate;
import io.github.imapbackup.spi.MergePlanner.Decision;
import io.github.imapbackup.spi.MessageSink;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.spi.TargetFolder;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of a copy without incremental state (an import, a restore): every source message is
 * matched by identity against the target with copies counted ({@link MergePlanner}), the rest is
 * appended without a UID, and no folder state, flag change or expunge is recorded. The target
 * folder is opened only once the source was read, so a source that cannot be read leaves nothing
 * behind. A message the target refuses ({@link MessageRejectedException}, at once or reported
 * later by a pipelining target), or whose bytes the source cannot give (they no longer match what
 * it listed), is a failed message and the others go on; flags the target did not store are
 * counted as dropped; {@code \Recent} is never asked for.
 */
final class MergePass {

    private static final Logger LOG = LoggerFactory.getLogger(MergePass.class);
    /** A session flag: no target can set it, so it is never asked for. */
    static final String RECENT = "\\recent";

    private final RunContext run;
    private final FolderInfo folder;
    private final String name;
    private final FolderProgress progress;
    /** The target folder, opened once the source was read; null before. */
    private TargetFolder target;
    private int messagesSinceCommit;
    private long bytesSinceCommit;
    /** Messages the source could not deliver, recorded at the copy's end. */
    private final UnfetchedMessages unfetched;

    MergePass(RunContext run, FolderInfo folder, FolderProgress progress) {
        this.run = run;
        this.folder = folder;
        this.name = folder.name();
        this.progress = progress;
        this.unfetched = new UnfetchedMessages(run, folder, progress);
    }

    /** {@return the target folder this pass opened (the caller closes it), or null} */
    TargetFolder target() {
        return target;
    }

    void run(SourceConnection connection) throws BackupException {
        run.folderNeedsWork();
        try (SourceFolder open = connection.open(folder, run.config.extractor())) {
            sameUids(open.status().uidValidity());
            List<MessageInfo> all = open.messages(1);
            progress.newPass();
            progress.onSource = all.size();
            List<Candidate> candidates = candidates(open, all);
            List<ArchivedMessage> held;
            try {
                target = run.target.open(folder, run.config.extractor());
                target.onRejected(progress::refusedLater);
                held = target.messages();
            } catch (ConnectionException e) {
                throw targetLost(e);
            }
            List<MessageInfo> toCopy = new ArrayList<>();
            long bytes = 0;
            List<Decision> decisions = SameIdentityCheck.recheck(run.config.planner(), held,
                    CrlfSizes.rematch(run.config.planner(), held, run.config.planner().plan(held, candidates).decisions(),
                            open, all), open, all, target);
            MergeDeletions deletions = new MergeDeletions(run, folder, progress);
            deletions.planned(held, decisions, all.stream().mapToLong(MessageInfo::uid).toArray());
            Set<Long> copiedEarlier = progress.committedUids(); // by a pass before a reconnection: not skipped
            for (Decision d : decisions) {
                if (d.kind() == MergePlanner.Kind.PRESENT) {
                    if (!copiedEarlier.contains(all.get((int) d.candidate().key()).uid())) {
                        progress.skipped++;
                    }
                } else {
                    toCopy.add(all.get((int) d.candidate().key()));
                    bytes += d.candidate().length();
                }
            }
            run.listener.folderStarted(folder, all.size(), toCopy.size(), bytes);
            if (run.dryRun) {
                progress.copied += toCopy.size();
                progress.bytes += bytes;
                deletions.dryRun(toCopy.size());
                return;
            }
            try {
                open.fetchMessages(toCopy, new Appender(toCopy));
                unfetched.settle(open);
            } finally {
                unfetched.recordAll(); // stopped before the end: failures as they came
            }
            commit();
            deletions.committed(open, target);
        }
    }

    /**
     * Refuses to go on after a reconnection when the source's UIDVALIDITY changed since an earlier
     * pass copied messages: their UIDs may now name other messages, so neither the counters nor
     * {@code --delete1} could rely on them. The rerun matches by identity alone.
     */
    private void sameUids(long uidValidity) throws FolderException {
        long before = progress.sourceUidValidity;
        if (before != 0 && before != uidValidity && progress.copiedSoFar() > 0) {
            throw new FolderException(name, "the source's UIDVALIDITY changed from " + before + " to " + uidValidity
                    + " while reconnecting, after " + progress.copiedSoFar() + " messages were copied; nothing"
                    + " more is done in this folder: run again to copy the rest", null);
        }
        progress.sourceUidValidity = uidValidity;
    }

    /** The planner's candidates (keyed by list position); counts the copies the source holds twice. */
    private List<Candidate> candidates(SourceFolder open, List<MessageInfo> all) {
        Set<String> seen = new HashSet<>();
        List<Candidate> candidates = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            MessageInfo m = all.get(i);
            String sha256 = open.sha256(m.uid()).orElse(null);
            if (sha256 != null && !seen.add(m.identity().value() + " " + sha256)) {
                progress.duplicates++;
            }
            candidates.add(new Candidate(m.identity(), m.size(), sha256, i));
        }
        return candidates;
    }

    private void commit() throws BackupException {
        try {
            FolderLedger.commit(run, folder, target, progress);
        } catch (ConnectionException e) {
            throw targetLost(e);
        }
        messagesSinceCommit = 0;
        bytesSinceCommit = 0;
    }

    /**
     * {@return the failure of the folder when the target's connection dropped} It is not retried:
     * the appends the target had not answered are reported lost when the folder closes, so the
     * next run, not a new pass, copies the rest (docs/ARCHITECTURE.md, "Reconnecting").
     */
    private BackupException targetLost(ConnectionException e) {
        if (e instanceof AuthenticationException) {
            return e;
        }
        return new FolderException(name, "the connection to the target was lost: " + FolderException.reason(name, e)
                + "; run again to copy the rest", e);
    }

    /** {@return the flags to ask the target for: the source's, without {@code \Recent}} */
    static Set<String> requested(Set<String> flags) {
        if (flags.stream().noneMatch(f -> f.toLowerCase(Locale.ROOT).equals(RECENT))) {
            return flags;
        }
        Set<String> out = new HashSet<>(flags);
        out.removeIf(f -> f.toLowerCase(Locale.ROOT).equals(RECENT));
        return out;
    }

    /** {@return how many of the requested flags the target did not store (flags compare without case)} */
    static int dropped(Set<String> requested, Set<String> stored) {
        Set<String> kept = new HashSet<>();
        stored.forEach(f -> kept.add(f.toLowerCase(Locale.ROOT)));
        int n = 0;
        for (String f : requested) {
            if (!kept.contains(f.toLowerCase(Locale.ROOT))) {
                n++;
            }
        }
        return n;
    }

    /** Appends one message; a message the target refuses is recorded as failed and the copy goes on. */
    private void append(long uid, MessageInfo m, InputStream content) throws BackupException {
        TargetFolder.NewMessage message = new TargetFolder.NewMessage(0, 0, m.identity(), -1, m.internalDate(),
                requested(m.flags()), m.sender());
        ProgressStream in = new ProgressStream(content, run.listener, folder, run::cancelled);
        ArchivedMessage stored;
        try {
            stored = target.append(message, in);
        } catch (MessageRejectedException e) {
            FolderLedger.refused(run, folder, progress);
            FolderLedger.messageFailed(run, folder, progress, uid, e);
            return;
        } catch (BackupException e) {
            if (in.stoppedByCancel()) {
                throw new CancelledException(); // the target dropped the partial message
            }
            if (in.connectionFailure() != null) {
                throw in.connectionFailure();
            }
            if (in.sourceFailure() != null) {
                // the source's bytes failed, not the target (which kept nothing of the message): it fails
                // alone, unless the source then says it is gone
                unfetched.add(uid, in.sourceFailure() instanceof BackupException b
                        ? b : new BackupException(in.sourceFailure().getMessage(), in.sourceFailure()));
                return;
            }
            throw e instanceof ConnectionException c ? targetLost(c) : e;
        } finally {
            try {
                in.close();
            } catch (IOException e) {
                LOG.debug("folder \"{}\": closing the stream of message {} failed", name, uid, e);
            }
        }
        int dropped = dropped(message.flags(), stored.flags());
        if (dropped > 0) {
            LOG.debug("folder \"{}\": message {}: the target did not store {} of the flags {}", name, uid, dropped,
                    message.flags());
        }
        progress.messageAppended(uid, stored.length(), message, dropped);
        run.listener.messageCopied(folder, uid, stored.length());
        FolderLedger.refused(run, folder, progress);
        messagesSinceCommit++;
        bytesSinceCommit += stored.length();
        if (messagesSinceCommit >= FolderPass.COMMIT_MESSAGES || bytesSinceCommit >= FolderPass.COMMIT_BYTES) {
            commit();
        }
    }

    /** Appends each message as the source streams it; commits at the backup's cadence. */
    private final class Appender implements MessageSink {

        private final Map<Long, MessageInfo> pending = new HashMap<>();

        Appender(List<MessageInfo> toCopy) {
            toCopy.forEach(m -> pending.put(m.uid(), m));
        }

        @Override
        public void message(long uid, InputStream content) throws BackupException {
            MessageInfo m = pending.remove(uid);
            if (m == null) {
                return;
            }
            run.checkpoint();
            append(uid, m, content);
        }

        @Override
        public void failed(long uid, BackupException failure) throws BackupException {
            if (pending.remove(uid) != null) {
                unfetched.add(uid, failure); // recorded at the copy's end, once the source says whether it is gone
            }
        }
    }
}
