package io.github.imapbackup.spi;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import java.io.Closeable;
import java.util.List;

/** One open, authenticated connection to a source. Not thread-safe; {@link #close()} is idempotent. */
public interface SourceConnection extends Closeable {

    /**
     * Lists every folder (LIST "" "*"), with the subscribed state.
     *
     * @return the folders in server order
     * @throws BackupException on failure
     */
    List<FolderInfo> folders() throws BackupException;

    /**
     * Asks the status of a folder without selecting it (STATUS MESSAGES UIDNEXT UIDVALIDITY, and
     * HIGHESTMODSEQ when the server has CONDSTORE).
     *
     * @param folder the folder
     * @return its status
     * @throws BackupException on failure
     */
    FolderStatus status(FolderInfo folder) throws BackupException;

    /**
     * Opens a folder read-only (EXAMINE). The folder stays open until the returned object is closed.
     *
     * @param folder the folder
     * @return the open folder
     * @throws BackupException on failure
     */
    SourceFolder open(FolderInfo folder) throws BackupException;

    /**
     * Returns whether the server announced a capability, e.g. {@code CONDSTORE}.
     *
     * @param capability the capability name, case-insensitive
     * @return whether the server has it
     */
    boolean hasCapability(String capability);

    @Override
    void close();
}
