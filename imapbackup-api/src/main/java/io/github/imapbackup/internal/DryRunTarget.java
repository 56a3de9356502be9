package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageTarget;
import io.github.imapbackup.spi.TargetFolder;
import java.util.List;

/**
 * The target of a dry run: every folder is opened read-only ({@link MessageTarget#inspect}) and
 * records nothing, so the engine plans against what the target holds and changes nothing.
 */
final class DryRunTarget implements MessageTarget {

    private final MessageTarget delegate;

    DryRunTarget(MessageTarget delegate) {
        this.delegate = delegate;
    }

    @Override
    public TargetFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        return ReadOnlyFolder.of(delegate.inspect(folder, extractor));
    }

    @Override
    public TargetFolder inspect(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        return open(folder, extractor);
    }

    /** Checks the folders' names (reading only): a dry run refuses what the run would refuse. */
    @Override
    public void prepare(List<FolderInfo> folders, String sourcePrefix) throws BackupException {
        delegate.prepare(folders, sourcePrefix);
    }

    /** Lists the target's folders (reading only): a dry run counts the folders it would delete. */
    @Override
    public List<FolderInfo> folders() throws BackupException {
        return delegate.folders();
    }

    @Override
    public String location(FolderInfo folder) {
        return delegate.location(folder);
    }

    @Override
    public String describe() {
        return delegate.describe() + " (dry run)";
    }
}
