package io.github.imapbackup.spi;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import java.util.List;
import java.util.Optional;

/**
 * Where messages go: a backup directory of one mbox file (and one index) per folder. Thread-safe:
 * different folders may be opened from different threads; one folder at a time.
 */
public interface MailboxStore {

    /**
     * Opens the archive of a folder for writing, creating it when absent, and repairs a torn tail
     * left by a crash (see {@code docs/FORMAT.md}).
     *
     * @param folder the folder
     * @return the open archive; the caller closes it
     * @throws BackupException on failure
     */
    FolderArchive open(FolderInfo folder) throws BackupException;

    /**
     * Opens the archive of a folder read-only, without creating or repairing anything (for the
     * engine's dry run). Only its reading methods ({@link FolderArchive#state()},
     * {@link FolderArchive#messages()}, {@link FolderArchive#openMessage}) may be used; the others
     * throw {@link IllegalStateException}, and {@link FolderArchive#commit()} does nothing. Readers
     * of a backup directory use its store's read-only view instead (for the mbox store,
     * {@code MboxStore.read()}), which lists exactly the folders it can read.
     *
     * @param folder the folder
     * @return the archive, or empty when none exists
     * @throws BackupException on failure
     */
    Optional<FolderArchive> openReadOnly(FolderInfo folder) throws BackupException;

    /**
     * Lists the folders the store holds, as recorded in their indexes (for a backup run; what a
     * reader can read is listed by the store's read-only view).
     *
     * @return the folders
     * @throws BackupException on failure
     */
    List<FolderInfo> folders() throws BackupException;

    /**
     * Returns where the archive of a folder lives, relative to the store (e.g.
     * {@code Archive/2019/Q3.mbox.gz}), for reports.
     *
     * @param folder the folder
     * @return the relative file name
     */
    String location(FolderInfo folder);
}
