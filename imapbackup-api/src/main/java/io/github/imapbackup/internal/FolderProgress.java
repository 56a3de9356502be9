package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.spi.SourceWaits;
import io.github.imapbackup.spi.TargetFolder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The counters and failures of one folder, kept across reconnect attempts. A message counts as
 * copied only once the archive committed it: until then it is held as appended, and a failed
 * commit turns it into an error.
 */
final class FolderProgress {

    final String folder;
    long onSource;
    long copied;
    long skipped;
    long duplicates;
    long bytes;
    long flagsUpdated;
    long expunged;
    /** Messages listed, then expunged on the source before their bodies came (not failures). */
    long expungedBeforeCopy;
    long flagsDropped;
    long onlyOnTarget;
    long duplicatesOnTarget;
    long deletedFromTarget;
    long deletedFromSource;
    /** 1 when the state cache found the folder unchanged and it was not listed. */
    long fromCache;
    /** How often the connection to the source dropped during the folder and was opened again. */
    long reconnects;
    /** How long the source's connections waited during the folder: throttled by the server, paced by a rate cap. */
    SourceWaits waits = SourceWaits.NONE;
    /** The source folder's UIDVALIDITY when a merge pass last opened it (the UIDs copied are in it), or 0. */
    long sourceUidValidity;
    /** UIDs copied and committed by this run (in any attempt). */
    private final Set<Long> copiedUids = new HashSet<>();
    /** Flags the target dropped, by UID (only UIDs with some), until the message is done. */
    private final Map<Long, Integer> dropped = new HashMap<>();
    /**
     * The messages appended since the last commit, by the instance given to the target, to their
     * UIDs: a target reports a refusal before the commit returns, so no more are kept.
     */
    private final Map<TargetFolder.NewMessage, Long> inFlight = new IdentityHashMap<>();
    /** Messages the target refused after their append returned, not yet taken. */
    private final Queue<Refusal> refused = new ConcurrentLinkedQueue<>();

    /** A message the target refused after its append returned. */
    private record Refusal(TargetFolder.NewMessage message, BackupException why) { }
    /** Messages appended but not yet committed: UID to length, in append order. */
    private final Map<Long, Long> uncommitted = new LinkedHashMap<>();
    private final Map<Long, ReportError> messageErrors = new LinkedHashMap<>();
    private final List<ReportError> folderErrors = new ArrayList<>();

    FolderProgress(String folder) {
        this.folder = folder;
    }

    /**
     * {@return a failure of one message as a report names it: with folder and UID, each once} A
     * failure of the same folder without UID loses its own {@code folder "X": }, which the new one
     * says.
     */
    static FolderException failure(String folder, long uid, BackupException e) {
        return e instanceof FolderException fe && fe.uid().isPresent() ? fe
                : new FolderException(folder, uid, FolderException.reason(folder, e), e);
    }

    /**
     * A pass of a copy without incremental state begins (again, after a reconnection): the
     * counters each pass recomputes from the whole source and target start from zero.
     */
    void newPass() {
        skipped = 0;
        duplicates = 0;
        onlyOnTarget = 0;
        duplicatesOnTarget = 0;
    }

    void messageFailed(long uid, BackupException e) {
        messageErrors.put(uid, ReportError.of(folder, e));
    }

    /** A message was appended; it counts as copied once {@link #committed()} says so. */
    void messageAppended(long uid, long length) {
        uncommitted.put(uid, length);
        messageErrors.remove(uid);
    }

    /**
     * A message was appended as {@code message}, and the target stored {@code droppedFlags} fewer
     * flags than asked; a refusal of that instance reported later un-counts it.
     */
    void messageAppended(long uid, long length, TargetFolder.NewMessage message, int droppedFlags) {
        messageAppended(uid, length);
        inFlight.put(message, uid);
        if (droppedFlags > 0) {
            flagsDropped += droppedFlags;
            dropped.put(uid, droppedFlags);
        }
    }

    /** The target's rejection handler: records a refusal (from any thread) for {@link #takeRefused}. */
    void refusedLater(TargetFolder.NewMessage message, BackupException why) {
        refused.add(new Refusal(message, why));
    }

    /**
     * Un-counts the messages the target refused after their appends returned: each becomes an
     * error naming its UID.
     *
     * @return the errors, in the order the target reported them
     */
    List<FolderException> takeRefused() {
        List<FolderException> out = new ArrayList<>();
        for (Refusal r = refused.poll(); r != null; r = refused.poll()) {
            Long uid = inFlight.remove(r.message());
            if (uid == null) {
                FolderException e = new FolderException(folder, "the target refused a message (" + r.message()
                        .identity().value() + ") after its commit: " + FolderException.reason(folder, r.why())
                        + "; it may be counted as copied: run again to copy it if it is missing", r.why());
                folderErrors.add(ReportError.of(folder, e));
                out.add(e);
                continue;
            }
            uncommitted.remove(uid);
            flagsDropped -= dropped.getOrDefault(uid, 0);
            dropped.remove(uid);
            FolderException e = failure(folder, uid, r.why());
            messageErrors.put(uid, ReportError.of(folder, e));
            out.add(e);
        }
        return out;
    }

    /** The archive committed everything appended so far. */
    void committed() {
        uncommitted.forEach((uid, length) -> {
            copied++;
            bytes += length;
            copiedUids.add(uid);
        });
        uncommitted.clear();
        inFlight.clear();
        dropped.clear();
    }

    boolean hasUncommitted() {
        return !uncommitted.isEmpty();
    }

    /** {@return the UIDs copied and committed by this run (in any attempt), confirmed by the target} */
    Set<Long> committedUids() {
        return Set.copyOf(copiedUids);
    }

    /** {@return whether anything in this folder failed so far (a message or the folder)} */
    boolean anyFailure() {
        return !messageErrors.isEmpty() || !folderErrors.isEmpty() || !refused.isEmpty();
    }

    /** Returns how many messages this run copied, committed or not yet (in any attempt). */
    long copiedSoFar() {
        return copiedUids.size() + uncommitted.size();
    }

    /**
     * The commit failed: every message appended since the last commit is lost from the archive
     * and becomes an error naming its UID and the file.
     *
     * @return the errors, one per lost message, in append order
     */
    List<FolderException> uncommittedLost(String file, BackupException cause) {
        List<FolderException> lost = new ArrayList<>();
        for (Long uid : uncommitted.keySet()) {
            FolderException e = new FolderException(folder, uid, "written to " + file
                    + " but not kept, because saving the file failed (" + FolderException.reason(folder, cause)
                    + "); the next run copies it again", cause);
            messageErrors.put(uid, ReportError.of(folder, e));
            lost.add(e);
        }
        uncommittedDropped();
        return lost;
    }

    /**
     * Forgets the messages appended since the last commit, without an error: a cancelled run whose
     * connection the cancel closed does not know whether the target kept them; they are not
     * counted as copied, and the next run's identity match copies what is missing.
     */
    void uncommittedDropped() {
        for (Long uid : uncommitted.keySet()) {
            flagsDropped -= dropped.getOrDefault(uid, 0);
        }
        dropped.clear();
        uncommitted.clear();
        inFlight.clear();
    }

    /** Returns the lowest UID that failed (and was not copied later), or 0. */
    long lowestFailedUid() {
        return messageErrors.keySet().stream().mapToLong(Long::longValue).min().orElse(0);
    }

    void folderFailed(BackupException e) {
        folderErrors.add(ReportError.of(folder, e));
    }

    FolderReport report(String file) {
        List<ReportError> errors = new ArrayList<>(folderErrors);
        errors.addAll(messageErrors.values());
        return new FolderReport(folder, file, Counters.builder().messagesOnSource(onSource)
                .messagesCopied(copied).messagesSkipped(skipped).duplicatesOnSource(duplicates).bytesCopied(bytes)
                .errors(errors.size()).flagsUpdated(flagsUpdated).messagesExpunged(expunged)
                .expungedBeforeCopy(expungedBeforeCopy)
                .flagsDropped(flagsDropped).onlyOnTarget(onlyOnTarget).duplicatesOnTarget(duplicatesOnTarget)
                .deletedFromTarget(deletedFromTarget).deletedFromSource(deletedFromSource).foldersFromCache(fromCache)
                .reconnectsToSource(reconnects).throttleWaits(waits.throttleWaits())
                .throttled(waits.throttled()).paced(waits.paced()).build(), errors);
    }
}
