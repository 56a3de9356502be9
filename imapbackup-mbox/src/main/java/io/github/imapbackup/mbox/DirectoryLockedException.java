package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A backup directory is in use: another run (in this or another process, on this host or, over a
 * shared file system, another) holds its {@link BackupLock}. The message names the holder: its
 * process id, host, start time and command, as far as it recorded them. Nothing was written.
 */
public final class DirectoryLockedException extends BackupException {

    private static final long serialVersionUID = 1L;

    /** The holder as the lock file describes it. */
    private final String holder;

    /**
     * Creates the exception.
     *
     * @param directory the backup directory
     * @param lockFile the lock file
     * @param holder the holder, as {@code pid 1234 on host h since 2026-12-04T23:00:00Z (backup)}
     */
    DirectoryLockedException(Path directory, Path lockFile, String holder) {
        super("the backup directory " + directory + " is in use by " + holder
                + "; wait until that run ends, or give another directory (the lock is " + lockFile + ")",
                null, null, -1, lockFile, -1);
        this.holder = Objects.requireNonNull(holder, "holder");
    }

    /**
     * Returns the run that holds the directory, in words: process id, host, start time and command
     * as far as the lock file records them.
     *
     * @return the holder
     */
    public String holder() {
        return holder;
    }
}
