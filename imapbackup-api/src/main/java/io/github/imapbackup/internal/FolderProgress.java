package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.ReportError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The counters and failures of one folder, kept across reconnect attempts. */
final class FolderProgress {

    final String folder;
    long onSource;
    long copied;
    long skipped;
    long duplicates;
    long bytes;
    long flagsUpdated;
    long expunged;
    /** UIDs copied by this run (in any attempt). */
    final Set<Long> copiedUids = new HashSet<>();
    private final Map<Long, ReportError> messageErrors = new LinkedHashMap<>();
    private final List<ReportError> folderErrors = new ArrayList<>();

    FolderProgress(String folder) {
        this.folder = folder;
    }

    void messageFailed(long uid, BackupException e) {
        messageErrors.put(uid, ReportError.of(folder, e));
    }

    void messageCopied(long uid, long length) {
        copied++;
        bytes += length;
        copiedUids.add(uid);
        messageErrors.remove(uid);
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
        return new FolderReport(folder, file, new Counters(onSource, copied, skipped, duplicates, bytes,
                errors.size(), flagsUpdated, expunged), errors);
    }
}
