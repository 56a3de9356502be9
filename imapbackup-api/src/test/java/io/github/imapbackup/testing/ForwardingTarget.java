package io.github.imapbackup.testing;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageTarget;
import io.github.imapbackup.spi.TargetFolder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link MessageTarget} that hands every call to another one: a test overrides the calls it
 * watches or breaks (a target that drops its connection at the N-th append, one that tells
 * STATUS figures) and keeps the rest.
 *
 * <pre>{@code
 * MessageTarget counting = new ForwardingTarget(new DirectoryTarget(dir)) {
 *     @Override
 *     public TargetFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
 *         opened.incrementAndGet();
 *         return super.open(folder, extractor);
 *     }
 * };
 * }</pre>
 */
public class ForwardingTarget implements MessageTarget {

    private final MessageTarget delegate;

    /**
     * Creates a target that forwards to this one.
     *
     * @param delegate the target that does the work
     */
    public ForwardingTarget(MessageTarget delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** {@return the target that does the work} */
    public MessageTarget delegate() {
        return delegate;
    }

    @Override
    public TargetFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        return delegate.open(folder, extractor);
    }

    @Override
    public TargetFolder inspect(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        return delegate.inspect(folder, extractor);
    }

    @Override
    public void checkAccess() throws BackupException {
        delegate.checkAccess();
    }

    @Override
    public void prepare(List<FolderInfo> folders, String sourcePrefix) throws BackupException {
        delegate.prepare(folders, sourcePrefix);
    }

    @Override
    public List<FolderInfo> folders() throws BackupException {
        return delegate.folders();
    }

    @Override
    public void deleteFolder(FolderInfo folder) throws BackupException {
        delegate.deleteFolder(folder);
    }

    @Override
    public String location(FolderInfo folder) {
        return delegate.location(folder);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public Optional<String> stateKey() {
        return delegate.stateKey();
    }

    @Override
    public Map<String, FolderStatus> status(List<FolderInfo> folders) throws BackupException {
        return delegate.status(folders);
    }

    @Override
    public void cancelWaits() {
        delegate.cancelWaits();
    }
}
