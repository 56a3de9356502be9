package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection of one worker; replaced when it drops. */
final class ConnectionHolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHolder.class);

    private final MessageSource source;
    private SourceConnection connection;

    ConnectionHolder(MessageSource source, SourceConnection connection) {
        this.source = source;
        this.connection = connection;
    }

    SourceConnection get() throws BackupException {
        if (connection == null) {
            connection = source.connect();
        }
        return connection;
    }

    /** Drops the current connection; the next {@link #get()} opens a new one. */
    void drop() {
        SourceConnection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a dropped connection to {} failed", source.describe(), e);
            }
        }
    }

    @Override
    public void close() {
        drop();
    }
}
