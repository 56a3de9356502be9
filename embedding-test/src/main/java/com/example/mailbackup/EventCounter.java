package com.example.mailbackup;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.RunInfo;
import java.util.concurrent.atomic.AtomicLong;

/** A listener that counts the events of a run; thread-safe, as folders run in parallel. */
public class EventCounter implements BackupListener {

    private final AtomicLong sessionsStarted = new AtomicLong();
    private final AtomicLong sessionsFinished = new AtomicLong();
    private final AtomicLong foldersStarted = new AtomicLong();
    private final AtomicLong foldersFinished = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong messagesCopied = new AtomicLong();
    private final AtomicLong bytesCopied = new AtomicLong();

    /** Creates a counter at zero. */
    public EventCounter() { }

    @Override
    public void runStarted(RunInfo run) {
        sessionsStarted.incrementAndGet();
    }

    @Override
    public void runFinished(RunInfo run, BackupReport report) {
        sessionsFinished.incrementAndGet();
    }

    @Override
    public void folderStarted(RunInfo run, FolderInfo folder, long messagesOnSource, long messagesToCopy,
            long bytesToCopy) {
        foldersStarted.incrementAndGet();
    }

    @Override
    public void folderFinished(RunInfo run, FolderInfo folder, FolderReport report) {
        foldersFinished.incrementAndGet();
    }

    @Override
    public void folderFailed(RunInfo run, FolderInfo folder, BackupException failure) {
        failures.incrementAndGet();
    }

    @Override
    public void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
        messagesCopied.incrementAndGet();
        bytesCopied.addAndGet(bytes);
    }

    @Override
    public void messageFailed(RunInfo run, FolderInfo folder, long uid, BackupException failure) {
        failures.incrementAndGet();
    }

    /** {@return runStarted events} */
    public long sessionsStarted() {
        return sessionsStarted.get();
    }

    /** {@return runFinished events} */
    public long sessionsFinished() {
        return sessionsFinished.get();
    }

    /** {@return folderStarted events} */
    public long foldersStarted() {
        return foldersStarted.get();
    }

    /** {@return folderFinished events} */
    public long foldersFinished() {
        return foldersFinished.get();
    }

    /** {@return folderFailed and messageFailed events} */
    public long failures() {
        return failures.get();
    }

    /** {@return messageCopied events} */
    public long messagesCopied() {
        return messagesCopied.get();
    }

    /** {@return the bytes of the messageCopied events} */
    public long bytesCopied() {
        return bytesCopied.get();
    }
}
