package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Forwards events to the user's listener; a listener that throws is logged and the work goes on. */
final class SafeListener implements BackupListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final BackupListener delegate;

    SafeListener(BackupListener delegate) {
        this.delegate = delegate;
    }

    private void guard(String event, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("listener {} failed in {}; going on", delegate.getClass().getName(), event, e);
        }
    }

    @Override
    public void sessionStarted(String command, boolean dryRun) {
        guard("sessionStarted", () -> delegate.sessionStarted(command, dryRun));
    }

    @Override
    public void sessionFinished(BackupReport report) {
        guard("sessionFinished", () -> delegate.sessionFinished(report));
    }

    @Override
    public void folderStarted(String folder, long messagesOnSource, long messagesToCopy, long bytesToCopy) {
        guard("folderStarted", () -> delegate.folderStarted(folder, messagesOnSource, messagesToCopy, bytesToCopy));
    }

    @Override
    public void folderFinished(FolderReport report) {
        guard("folderFinished", () -> delegate.folderFinished(report));
    }

    @Override
    public void folderFailed(String folder, BackupException failure) {
        guard("folderFailed", () -> delegate.folderFailed(folder, failure));
    }

    @Override
    public void messageCopied(String folder, long uid, long bytes) {
        guard("messageCopied", () -> delegate.messageCopied(folder, uid, bytes));
    }

    @Override
    public void messageFailed(String folder, long uid, BackupException failure) {
        guard("messageFailed", () -> delegate.messageFailed(folder, uid, failure));
    }

    @Override
    public void bytesTransferred(String folder, long bytes) {
        guard("bytesTransferred", () -> delegate.bytesTransferred(folder, bytes));
    }
}
