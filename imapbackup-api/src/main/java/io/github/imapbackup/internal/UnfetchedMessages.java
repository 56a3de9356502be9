package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.SourceFolder;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messages of a pass ({@link FolderPass}, {@link MergePass}) whose bytes the source could not
 * deliver, held until the copy's end: the source is then asked once which of them are gone
 * ({@link SourceFolder#expungedOf}). A message expunged on the server after the folder was listed
 * (another client deleted it during the run) is counted as such, not as a failure; one still there,
 * or every one when the source cannot tell or the asking fails, fails as it came. A fail-fast run
 * records each at once, and stops, as for any failure.
 */
final class UnfetchedMessages {

    private static final Logger LOG = LoggerFactory.getLogger(UnfetchedMessages.class);

    private final RunContext run;
    private final FolderInfo folder;
    private final FolderProgress progress;
    /** By UID, ascending. */
    private final Map<Long, BackupException> held = new TreeMap<>();

    UnfetchedMessages(RunContext run, FolderInfo folder, FolderProgress progress) {
        this.run = run;
        this.folder = folder;
        this.progress = progress;
    }

    /**
     * A message the source could not deliver: a lost connection or a cancellation stops the pass
     * (thrown); anything else is held (fail-fast: recorded).
     */
    void add(long uid, BackupException failure) throws BackupException {
        if (failure instanceof ConnectionException c) {
            throw c;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new CancelledException();
        }
        if (run.config.failFast()) {
            FolderLedger.messageFailed(run, folder, progress, uid, failure);
        } else {
            held.put(uid, failure);
        }
    }

    /** The message was copied after all (fetched again): nothing to record. */
    void copied(long uid) {
        held.remove(uid);
    }

    /**
     * Asks the source which held messages are gone and records them all. A lost connection records
     * every one as a failure and is thrown.
     */
    void settle(SourceFolder open) throws BackupException {
        if (held.isEmpty()) {
            return;
        }
        long[] uids = held.keySet().stream().mapToLong(Long::longValue).toArray();
        Set<Long> gone = new TreeSet<>();
        boolean answered = false;
        try {
            Optional<long[]> answer = open.expungedOf(uids);
            answer.ifPresent(g -> Arrays.stream(g).forEach(gone::add));
            answered = answer.isPresent();
        } catch (ConnectionException e) {
            recordAll();
            throw e;
        } catch (BackupException e) {
            LOG.debug("folder \"{}\": cannot ask which of {} messages not fetched are gone", folder.name(),
                    uids.length, e);
        }
        gone.retainAll(held.keySet());
        if (!gone.isEmpty()) {
            LOG.info("folder \"{}\": {} expunged on the server after the folder was listed, before {} bodies"
                    + " came (UIDs {}); not copied", folder.name(), gone.size() == 1 ? "1 message was"
                    : gone.size() + " messages were", gone.size() == 1 ? "its" : "their",
                    gone);
        }
        for (Map.Entry<Long, BackupException> u : held.entrySet()) {
            if (gone.contains(u.getKey())) {
                progress.expungedBeforeCopy++;
            } else {
                FolderLedger.messageFailed(run, folder, progress, u.getKey(),
                        answered ? stillThere(u.getKey(), u.getValue()) : u.getValue());
            }
        }
        held.clear();
    }

    /** {@return the failure of a message the source still holds, saying so (a guess of "expunged?" is then wrong)} */
    private FolderException stillThere(long uid, BackupException e) {
        String reason = FolderException.reason(folder.name(), e);
        String prefix = "UID " + uid + ": ";
        return new FolderException(folder.name(), uid, (reason.startsWith(prefix) ? reason.substring(prefix.length())
                : reason) + " [still on the server when asked again; the next run tries it again]", e);
    }

    /** Records every held message as the failure it came with, without asking (the pass stops). */
    void recordAll() {
        held.forEach((uid, failure) -> FolderLedger.messageFailed(run, folder, progress, uid, failure));
        held.clear();
    }
}
