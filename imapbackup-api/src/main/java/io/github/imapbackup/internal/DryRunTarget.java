package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderState;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageTarget;
import io.github.imapbackup.spi.TargetFolder;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

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
        return new ReadOnlyFolder(delegate.inspect(folder, extractor));
    }

    @Override
    public TargetFolder inspect(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        return open(folder, extractor);
    }

    @Override
    public String location(FolderInfo folder) {
        return delegate.location(folder);
    }

    @Override
    public String describe() {
        return delegate.describe() + " (dry run)";
    }

    /** A folder as it is: reads go to the target, records are dropped, appends refused. */
    private static final class ReadOnlyFolder implements TargetFolder {

        private final TargetFolder delegate;

        ReadOnlyFolder(TargetFolder delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<ArchivedMessage> messages() {
            return delegate.messages();
        }

        @Override
        public Optional<FolderState> state() {
            return delegate.state();
        }

        @Override
        public InputStream openMessage(ArchivedMessage message) throws BackupException {
            return delegate.openMessage(message);
        }

        @Override
        public ArchivedMessage append(NewMessage message, InputStream content) {
            throw new IllegalStateException("a dry run appends nothing");
        }

        @Override
        public void commit() {
            // a dry run records nothing
        }

        @Override
        public void close() throws BackupException {
            delegate.close();
        }
    }
}
