package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.internal.SafeListener;
import java.util.List;

/**
 * The listener of one engine run of an import (one file): passes the folder's events on to the
 * user's listener, and keeps the run's report instead of passing on the session events and
 * {@code folderFinished}, which the importer sends itself once its own report is complete.
 */
final class FolderEvents implements BackupListener {

    private final SafeListener user;
    private volatile BackupReport report;

    FolderEvents(SafeListener user) {
        this.user = user;
    }

    /**
     * Returns the report of a folder, or an empty one when the run stopped before it started.
     *
     * @param folder the folder
     * @param location where the folder is stored
     * @return the report
     */
    FolderReport report(FolderInfo folder, String location) {
        BackupReport r = report;
        List<FolderReport> folders = r == null ? List.of() : r.folders();
        return folders.stream().filter(f -> f.name().equals(folder.name())).findFirst()
                .orElseGet(() -> new FolderReport(folder.name(), location, Counters.empty(), List.of()));
    }

    @Override
    public void runFinished(RunInfo run, BackupReport finished) {
        this.report = finished;
    }

    @Override
    public void folderStarted(RunInfo run, FolderInfo folder, long messagesOnSource, long messagesToCopy,
            long bytesToCopy) {
        user.folderStarted(folder, messagesOnSource, messagesToCopy, bytesToCopy);
    }

    @Override
    public void folderFailed(RunInfo run, FolderInfo folder, BackupException failure) {
        user.folderFailed(folder, failure);
    }

    @Override
    public void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
        user.messageCopied(folder, uid, bytes);
    }

    @Override
    public void messageFailed(RunInfo run, FolderInfo folder, long uid, BackupException failure) {
        user.messageFailed(folder, uid, failure);
    }

    @Override
    public void bytesTransferred(RunInfo run, FolderInfo folder, long bytes) {
        user.bytesTransferred(folder, bytes);
    }
}
