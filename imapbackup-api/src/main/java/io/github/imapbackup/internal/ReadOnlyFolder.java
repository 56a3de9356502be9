package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.spi.TargetFolder;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A target folder as a dry run sees it: reads go to the folder, records are dropped, appends are
 * refused. {@link #EMPTY} is a folder the target does not hold yet.
 */
public final class ReadOnlyFolder implements TargetFolder {

    /** A folder the target does not hold yet. */
    public static final TargetFolder EMPTY = new ReadOnlyFolder(null);

    /** The folder read, or null for an empty one. */
    private final TargetFolder delegate;

    /**
     * Wraps a folder.
     *
     * @param delegate the folder, opened read-only
     * @return the read-only folder
     */
    public static TargetFolder of(TargetFolder delegate) {
        return new ReadOnlyFolder(Objects.requireNonNull(delegate, "delegate"));
    }

    private ReadOnlyFolder(TargetFolder delegate) {
        this.delegate = delegate;
    }

    @Override
    public List<ArchivedMessage> messages() {
        return delegate == null ? List.of() : delegate.messages();
    }

    @Override
    public Optional<FolderState> state() {
        return delegate == null ? Optional.empty() : delegate.state();
    }

    @Override
    public long duplicates(long uidValidity) {
        return delegate == null ? 0 : delegate.duplicates(uidValidity);
    }

    @Override
    public InputStream openMessage(ArchivedMessage message) throws BackupException {
        if (delegate == null) {
            throw new IllegalArgumentException("not a message of this folder");
        }
        return delegate.openMessage(message);
    }

    @Override
    public ArchivedMessage append(NewMessage message, InputStream content) {
        throw new IllegalStateException("opened read-only: appends nothing");
    }

    @Override
    public void commit() {
        // read-only: records nothing
    }

    @Override
    public void close() throws BackupException {
        if (delegate != null) {
            delegate.close();
        }
    }
}
