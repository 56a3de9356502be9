package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.MergePlanner.Candidate;
import io.github.imapbackup.spi.MergePlanner.Decision;
import io.github.imapbackup.spi.MessageSink;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.spi.TargetFolder;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass of a copy without incremental state (an import): every source message is matched by
 * identity against the target with copies counted ({@link MergePlanner}), the rest is appended
 * without a UID, and no folder state, flag change or expunge is recorded. The target folder is
 * opened only once the source was read, so a source that cannot be read leaves nothing behind.
 */
final class ImportPass {

    private final RunContext run;
    private final FolderInfo folder;
    private final String name;
    private final FolderProgress progress;
    /** The target folder, opened once the source was read; null before. */
    private TargetFolder target;
    private int messagesSinceCommit;
    private long bytesSinceCommit;

    ImportPass(RunContext run, FolderInfo folder, FolderProgress progress) {
        this.run = run;
        this.folder = folder;
        this.name = folder.name();
        this.progress = progress;
    }

    /** {@return the target folder this pass opened (the caller closes it), or null} */
    TargetFolder target() {
        return target;
    }

    void run(SourceConnection connection) throws BackupException {
        run.folderNeedsWork();
        try (SourceFolder open = connection.open(folder, run.config.extractor())) {
            List<MessageInfo> all = open.messages(1);
            progress.onSource = all.size();
            List<Candidate> candidates = candidates(open, all);
            target = run.target.open(folder, run.config.extractor());
            List<MessageInfo> toCopy = new ArrayList<>();
            long bytes = 0;
            for (Decision d : run.config.planner().plan(target.messages(), candidates).decisions()) {
                if (d.kind() == MergePlanner.Kind.PRESENT) {
                    progress.skipped++;
                } else {
                    toCopy.add(all.get((int) d.candidate().key()));
                    bytes += d.candidate().length();
                }
            }
            run.listener.folderStarted(folder, all.size(), toCopy.size(), bytes);
            if (run.dryRun) {
                progress.copied += toCopy.size();
                progress.bytes += bytes;
                return;
            }
            open.fetchMessages(toCopy, new Appender(toCopy));
            commit();
        }
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
        FolderPass.commit(run, folder, target, progress);
        messagesSinceCommit = 0;
        bytesSinceCommit = 0;
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
            ArchivedMessage stored = FolderPass.append(run, folder, target, progress, uid,
                    new TargetFolder.NewMessage(0, 0, m.identity(), -1, m.internalDate(), m.flags(), m.sender()),
                    content);
            if (stored == null) {
                return; // that message failed (recorded); the rest goes on
            }
            progress.messageAppended(uid, stored.length());
            run.listener.messageCopied(folder, 0, stored.length());
            messagesSinceCommit++;
            bytesSinceCommit += stored.length();
            if (messagesSinceCommit >= FolderPass.COMMIT_MESSAGES || bytesSinceCommit >= FolderPass.COMMIT_BYTES) {
                commit();
            }
        }

        @Override
        public void failed(long uid, BackupException failure) throws BackupException {
            if (pending.remove(uid) != null) {
                FolderPass.fetchFailed(run, folder, progress, uid, failure);
            }
        }
    }
}
