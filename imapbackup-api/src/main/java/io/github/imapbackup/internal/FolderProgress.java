package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.ReportError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    /** UIDs copied and committed by this run (in any attempt). */
    private final Set<Long> copiedUids = new HashSet<>();
    /** Messages appended but not yet committed: UID to length, in append order. */
    private final Map<Long, Long> uncommitted = new LinkedHashMap<>();
    private final Map<Long, ReportError> messageErrors = new LinkedHashMap<>();
    private final List<ReportError> folderErrors = new ArrayList<>();

    FolderProgress(String folder) {
        this.folder = folder;
    }

    void messageFailed(long uid, BackupException e) {
        messageErrors.put(uid, ReportError.of(folder, e));
    }

    /** A message was appended; it counts as copied once {@link #committed()} says so. */
    void messageAppended(long uid, long length) {
        uncommitted.put(uid, length);
        messageErrors.remove(uid);
    }

    /** The archive committed everything appended so far. */
    void committed() {
        uncommitted.forEach((uid, length) -> {
            copied++;
            bytes += length;
            copiedUids.add(uid);
        });
        uncommitted.clear();
    }

    boolean hasUncommitted() {
        return !uncommitted.isEmpty();
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
                    + " but not kept, because saving the file failed (" + cause.getMessage()
                    + "); the next run copies it again", cause);
            messageErrors.put(uid, ReportError.of(folder, e));
            lost.add(e);
        }
        uncommitted.clear();
        return lost;
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
                .errors(errors.size()).flagsUpdated(flagsUpdated).messagesExpunged(expunged).build(), errors);
    }
}
