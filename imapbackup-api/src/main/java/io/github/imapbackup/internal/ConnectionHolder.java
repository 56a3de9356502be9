package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceWaits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connection of one worker; replaced when it drops. */
final class ConnectionHolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHolder.class);

    private final MessageSource source;
    private SourceConnection connection;
    /** The waits of the current connection already taken by a folder. */
    private SourceWaits taken = SourceWaits.NONE;
    /** The waits of dropped connections not yet taken. */
    private SourceWaits pending = SourceWaits.NONE;

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

    /**
     * {@return the waits of this worker's connections (their logins included) since the last call}
     * A folder takes them when it ends, so each wait is reported once, by the folder it held up.
     */
    SourceWaits takeWaits() {
        SourceWaits out = pending;
        pending = SourceWaits.NONE;
        if (connection != null) {
            SourceWaits now = connection.waits();
            out = out.plus(now.minus(taken));
            taken = now;
        }
        return out;
    }

    /** Drops the current connection; the next {@link #get()} opens a new one. */
    void drop() {
        SourceConnection c = connection;
        connection = null;
        if (c != null) {
            pending = pending.plus(c.waits().minus(taken));
            taken = SourceWaits.NONE;
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
