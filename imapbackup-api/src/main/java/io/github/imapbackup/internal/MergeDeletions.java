package io.github.imapbackup.internal;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.MergePlanner.Decision;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.spi.TargetFolder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a copy without incremental state finds on the target and not on the source (counted on
 * every run), and the opt-in deletions of a migration once the folder's copy committed: from the
 * target what the source does not hold, from the source what was verified on the target (see
 * docs/ARCHITECTURE.md, "Deletions"). Nothing is deleted in a dry run (counted instead), after a
 * cancellation, or in a folder where anything failed.
 */
final class MergeDeletions {

    private static final Logger LOG = LoggerFactory.getLogger(MergeDeletions.class);

    private final RunContext run;
    private final FolderInfo folder;
    private final FolderProgress progress;
    /** The target's entries no source message matched, in the target's order. */
    private List<ArchivedMessage> surplus = List.of();
    /** UIDs of source messages the target held before the run (matched). */
    private final List<Long> present = new ArrayList<>();

    MergeDeletions(RunContext run, FolderInfo folder, FolderProgress progress) {
        this.run = run;
        this.folder = folder;
        this.progress = progress;
    }

    /**
     * Takes the final decisions: counts the target's entries no source message matched
     * ({@code onlyOnTarget} when the source lacks the identity, else {@code duplicatesOnTarget}),
     * and remembers them and the matched source UIDs for the deletions.
     *
     * @param held the target's entries the planner saw
     * @param decisions the final decisions, one per source message
     * @param uids the source UID of each decision's candidate, by the candidate's key
     */
    void planned(List<ArchivedMessage> held, List<Decision> decisions, long[] uids) {
        Map<ArchivedMessage, Integer> matched = new HashMap<>();
        Set<MessageIdentity> onSource = new HashSet<>();
        for (Decision d : decisions) {
            onSource.add(d.candidate().identity());
            if (d.kind() == MergePlanner.Kind.PRESENT && d.match() != null) {
                matched.merge(d.match(), 1, Integer::sum);
                present.add(uids[(int) d.candidate().key()]);
            }
        }
        List<ArchivedMessage> left = new ArrayList<>();
        for (ArchivedMessage e : held) {
            Integer n = matched.get(e);
            if (n != null) {
                if (n == 1) {
                    matched.remove(e);
                } else {
                    matched.put(e, n - 1);
                }
                continue;
            }
            left.add(e);
            if (onSource.contains(e.identity())) {
                progress.duplicatesOnTarget++;
            } else {
                progress.onlyOnTarget++;
            }
        }
        surplus = left;
    }

    /** A dry run: counts what the asked deletions would delete, deletes nothing. */
    void dryRun(int toCopy) {
        if (run.config.deletions().fromTarget()) {
            progress.deletedFromTarget += surplus.size();
        }
        if (run.config.deletions().fromSource()) {
            progress.deletedFromSource += present.size() + toCopy;
        }
    }

    /**
     * After the folder's copy committed: deletes from the target the surplus entries, then from
     * the source the messages verified on the target (matched, or appended and confirmed).
     *
     * @param source the source folder, still open
     * @param target the target folder, committed
     * @throws BackupException when a deletion fails: the folder fails
     */
    void committed(SourceFolder source, TargetFolder target) throws BackupException {
        EngineConfig.Deletions asked = run.config.deletions();
        if (!asked.fromTarget() && !asked.fromSource()) {
            return;
        }
        run.checkpoint();
        if (progress.anyFailure()) {
            throw new FolderException(folder.name(), "nothing deleted in this folder"
                    + " because some of its messages failed (listed in the report); fix them and run again", null);
        }
        String flagged = "";
        if (asked.fromTarget() && !surplus.isEmpty()) {
            long gone = target.delete(surplus);
            progress.deletedFromTarget += gone;
            LOG.debug("folder \"{}\": {} of {} messages not on the source deleted from the target", folder.name(),
                    gone, surplus.size());
            flagged = flaggedOnly("the target", surplus.size(), gone);
        }
        if (asked.fromSource()) {
            Set<Long> verified = new TreeSet<>(present);
            verified.addAll(progress.committedUids());
            if (!verified.isEmpty()) {
                long[] uids = verified.stream().mapToLong(Long::longValue).toArray();
                long gone = source.delete(uids);
                progress.deletedFromSource += gone;
                LOG.debug("folder \"{}\": {} of {} messages verified on the target deleted from the source",
                        folder.name(), gone, uids.length);
                flagged += flaggedOnly("the source", uids.length, gone);
            }
        }
        if (!flagged.isEmpty()) {
            throw new FolderException(folder.name(), flagged.strip() + " The server has no UIDPLUS, so"
                    + " expunging only them is impossible (a plain EXPUNGE would also take other messages flagged"
                    + " \\Deleted): expunge the folder with a mail program once you have checked it", null);
        }
    }

    /** {@return a sentence on the messages only flagged {@code \Deleted} (a server without UIDPLUS), or empty} */
    private static String flaggedOnly(String side, long asked, long gone) {
        return gone < asked ? (asked - gone) + " messages on " + side + " were flagged \\Deleted but not expunged. "
                : "";
    }
}
