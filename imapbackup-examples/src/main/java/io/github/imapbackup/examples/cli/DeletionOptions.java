package io.github.imapbackup.examples.cli;

import io.github.imapbackup.MigrateSession;
import picocli.CommandLine.Option;

/**
 * {@code migrate}'s opt-in deletions, imapsync's spellings, mapped onto {@link MigrateSession.Builder}:
 * the library decides what is safe to delete (never in a dry run, never in a failed folder) and
 * refuses {@code --delete2} with a filtered source.
 */
final class DeletionOptions {

    @Option(names = "--delete2", order = 91,
            description = "Delete from each host2 folder the messages its host1 folder does not hold (copies counted),"
                    + " once the folder's copy succeeded. Refused with --search/--maxage/--minage/--maxsize/--minsize.")
    boolean delete2;

    @Option(names = "--delete1", order = 92,
            description = "Delete from host1 the messages verified on host2 (flag \\Deleted, then UID EXPUNGE of exactly"
                    + " those; without UIDPLUS they are only flagged).")
    boolean delete1;

    @Option(names = "--delete2folders", order = 93,
            description = "Once every folder succeeded, delete host2's folders that no migrated host1 folder maps to"
                    + " (never INBOX, never a parent of folders that stay).")
    boolean delete2folders;

    /**
     * Puts the deletions asked for on a migration.
     *
     * @param b the migration's builder
     * @return the builder
     */
    MigrateSession.Builder apply(MigrateSession.Builder b) {
        return b.deleteFromTarget(delete2).deleteFromSource(delete1).deleteTargetFolders(delete2folders);
    }
}
