package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.spi.TargetFolder;
import java.io.InputStream;
import java.util.List;

/** A folder the target does not hold yet, as a dry run sees it: empty and read-only. */
public final class EmptyTargetFolder implements TargetFolder {

    /** The one instance; it holds no state. */
    public static final TargetFolder INSTANCE = new EmptyTargetFolder();

    private EmptyTargetFolder() { }

    @Override
    public List<ArchivedMessage> messages() {
        return List.of();
    }

    @Override
    public ArchivedMessage append(NewMessage message, InputStream content) {
        throw new IllegalStateException("opened read-only");
    }

    @Override
    public void commit() {
        // nothing to make durable
    }

    @Override
    public InputStream openMessage(ArchivedMessage message) {
        throw new IllegalArgumentException("not a message of this folder");
    }

    @Override
    public void close() {
        // nothing open
    }
}
