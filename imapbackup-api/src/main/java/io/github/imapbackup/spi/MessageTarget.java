package io.github.imapbackup.spi;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where messages go, folder by folder: a backup directory ({@link MailboxStore}), and later an IMAP
 * account (restore, migrate) or an export directory. The engine opens one folder at a time per
 * thread, hands it the session's {@link MessageIdExtractor} (so the target derives identities, for
 * example when it rebuilds a lost index, exactly as the source does), plans against what the
 * folder already holds and appends the rest. Implementations are immutable and thread-safe:
 * different folders may be opened from different threads.
 *
 * <pre>{@code
 * try (TargetFolder folder = target.open(info, MessageIdExtractor.standard())) {
 *     Set<String> held = new HashSet<>();
 *     folder.messages().forEach(m -> held.add(m.identity().value()));
 *     log.info("{} holds {} distinct messages", target.location(info), held.size());
 *     folder.commit();
 * }
 * }</pre>
 */
public interface MessageTarget {

    /**
     * Opens a folder for writing, creating it when absent (and repairing what a crash left, where
     * the target keeps files).
     *
     * @param folder the folder
     * @param extractor the session's extractor, for every identity the target derives itself
     * @return the open folder; the caller closes it
     * @throws BackupException on failure
     */
    TargetFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException;

    /**
     * Opens a folder for a dry run: read-only, creating, repairing and recording nothing. A folder
     * the target does not hold yet is given as an empty folder. The writing methods of the
     * returned folder may throw {@link IllegalStateException}; the engine does not call them.
     *
     * @param folder the folder
     * @param extractor the session's extractor, for every identity the target derives itself
     * @return the folder as it is now; the caller closes it
     * @throws BackupException on failure
     */
    TargetFolder inspect(FolderInfo folder, MessageIdExtractor extractor) throws BackupException;

    /**
     * Checks, before a run copies anything, that the target can be reached and logged in to (an
     * IMAP account): a wrong password or an unreachable server then fails the run once, as a source
     * that cannot be reached does, instead of failing every folder. Changes nothing. The default
     * checks nothing (a directory on this machine is checked when its folders are opened).
     *
     * @throws BackupException on failure; for an account an
     *     {@link io.github.imapbackup.AuthenticationException} or a
     *     {@link io.github.imapbackup.ConnectionException}
     */
    default void checkAccess() throws BackupException {
        // nothing to reach
    }

    /**
     * Prepares a run, before any folder is opened: the target sees every folder the run will copy,
     * in the run's order, and what the source says of its names, so it can check the whole mapping
     * at once. A target that maps names (an IMAP account) refuses two source folders that would go
     * into one of its folders with a {@link io.github.imapbackup.FolderCollisionException} naming
     * them all, so that nothing is created or copied; a migration's target also strips the source's
     * personal namespace prefix ({@code INBOX.} on Courier or Cyrus) unless told otherwise. Changes
     * nothing (a dry run calls it too). The default does nothing.
     *
     * <pre>{@code
     * try (SourceConnection c = source.connect()) {
     *     target.prepare(c.folders(), c.personalPrefix());
     * }
     * }</pre>
     *
     * @param folders the run's folders, as the source lists them
     * @param sourcePrefix the prefix of the source's personal namespace
     *     ({@link SourceConnection#personalPrefix()}), e.g. {@code INBOX.}; empty when it has none
     * @throws io.github.imapbackup.FolderCollisionException if two folders would go into one
     * @throws BackupException if the target cannot be asked (a {@link io.github.imapbackup.ConnectionException}
     *     when it cannot be reached)
     */
    default void prepare(List<FolderInfo> folders, String sourcePrefix) throws BackupException {
        // nothing to check
    }

    /**
     * Lists the folders the target holds, with their names as {@link #location(FolderInfo)}
     * gives the names of a run's folders there (a migration's {@code --delete2folders} deletes
     * those no folder of the run maps to). The default throws: the target cannot list them.
     *
     * @return the folders, in the target's order
     * @throws BackupException on failure, or when the target cannot list its folders (the default)
     */
    default List<FolderInfo> folders() throws BackupException {
        throw new BackupException("this target cannot list its folders (" + getClass().getSimpleName()
                + "); run without deleting folders from the target", null);
    }

    /**
     * Deletes one folder of {@link #folders()} with what it holds (never called for INBOX nor in
     * a dry run). The default throws: the target cannot delete folders.
     *
     * @param folder an entry of {@link #folders()}
     * @throws BackupException on failure, or when the target cannot delete folders (the default)
     */
    default void deleteFolder(FolderInfo folder) throws BackupException {
        throw new BackupException("this target cannot delete folders (" + getClass().getSimpleName()
                + "); run without deleting folders from the target", null);
    }

    /**
     * Returns where a folder lives, for reports: a file relative to a backup directory (e.g.
     * {@code Archive/2019/Q3.mbox.gz}), or the folder's name on a server.
     *
     * @param folder the folder
     * @return the location
     */
    String location(FolderInfo folder);

    /**
     * {@return a description for logs and reports, e.g. the backup directory or
     * {@code imaps://user@host:993}; never a secret}
     */
    String describe();

    /**
     * {@return what identifies this target in a migration's state cache: the account (host, port,
     * user; never a secret) and the settings that map folder names onto it} Empty (the default)
     * when the target offers no cache. See docs/ARCHITECTURE.md, "State cache".
     */
    default Optional<String> stateKey() {
        return Optional.empty();
    }

    /**
     * Asks the status of the folders where the target holds them (on a server: one {@code STATUS}
     * each, with HIGHESTMODSEQ when offered), without opening them and changing nothing. A
     * migration's state cache compares these figures with those recorded when nothing was left to
     * copy. The default knows no folder.
     *
     * @param folders the run's folders (as the source lists them)
     * @return each folder's status on the target, by the source folder's name; a folder the target
     *     does not hold (or cannot tell about) is left out
     * @throws BackupException when the target cannot be asked at all
     */
    default Map<String, FolderStatus> status(List<FolderInfo> folders) throws BackupException {
        return Map.of();
    }

    /**
     * Ends at once what this target's connections are blocked in now (an IMAP target's reads and
     * writes on a silent server, its backoff after a throttling answer), so that a cancelled run
     * stops within a moment instead of at the read timeout; later connections are not affected.
     * The engine calls it when a run is cancelled ({@link io.github.imapbackup.EngineSession#cancel()}),
     * after it asked the run to stop; what was cut is copied again by the next run. The default
     * does nothing.
     */
    default void cancelWaits() {
    }
}
