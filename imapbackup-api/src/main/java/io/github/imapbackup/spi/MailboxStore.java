package io.github.imapbackup.spi;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.internal.ReadOnlyFolder;
import java.util.List;
import java.util.Optional;

/**
 * A backup directory of one mbox file (and one index) per folder: the {@link MessageTarget} of a
 * backup and an import, whose folders ({@link FolderArchive}) keep the incremental state.
 * Thread-safe: different folders may be opened from different threads; one folder at a time.
 *
 * <pre>{@code
 * for (FolderInfo folder : store.folders()) {
 *     log.info("{} in {}", folder.name(), store.location(folder));
 * }
 * }</pre>
 */
public interface MailboxStore extends MessageTarget {

    /**
     * Opens the archive of a folder for writing, creating it when absent, and repairs a torn tail
     * left by a crash (see {@code docs/FORMAT-index.md}).
     *
     * @param folder the folder
     * @param extractor derives the identities of messages whose index entries are rebuilt
     * @return the open archive; the caller closes it
     * @throws BackupException on failure
     */
    @Override
    FolderArchive open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException;

    /**
     * Opens the archive of a folder for writing with the standard extractor, as
     * {@link #open(FolderInfo, MessageIdExtractor)}: for tools working on the store alone. A
     * backup or import passes its session's extractor instead.
     *
     * @param folder the folder
     * @return the open archive; the caller closes it
     * @throws BackupException on failure
     */
    default FolderArchive open(FolderInfo folder) throws BackupException {
        return open(folder, MessageIdExtractor.standard());
    }

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
     * Opens the archive read-only ({@link #openReadOnly(FolderInfo)}); a folder without an archive
     * is an empty folder.
     *
     * @param folder the folder
     * @param extractor not needed: nothing is rebuilt
     * @return the archive as it is now
     * @throws BackupException on failure
     */
    @Override
    default TargetFolder inspect(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        Optional<FolderArchive> archive = openReadOnly(folder);
        return archive.isPresent() ? archive.get() : ReadOnlyFolder.EMPTY;
    }

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
    @Override
    String location(FolderInfo folder);
}
