package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.ReportError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A migration's {@code --delete2folders}: once every folder succeeded, deletes the target's
 * folders that no folder of the run maps to (the target's own mapping, {@code location}). Never
 * INBOX, never a folder with a child that stays; with a folder filter only folders whose target
 * name the filter selects; in a dry run only counted (see docs/ARCHITECTURE.md, "Deletions").
 */
final class FolderPruning {

    private static final Logger LOG = LoggerFactory.getLogger(FolderPruning.class);

    private FolderPruning() { }

    /**
     * Deletes (or, in a dry run, counts) the target's folders no run folder maps to, unless the
     * run was not asked to or a folder failed; adds a report per folder deleted or failed to
     * delete, and a run error when the target cannot list its folders.
     *
     * @param run the run
     * @param selected the run's folders
     * @param reports the folders' reports so far; the pruned folders' are added
     * @param errors the run's errors that concern no single folder
     */
    static void prune(RunContext run, List<FolderInfo> selected, List<FolderReport> reports,
            List<ReportError> errors) {
        if (!run.config.deletions().targetFolders()) {
            return;
        }
        if (reports.stream().anyMatch(FolderReport::failed)) {
            LOG.warn("no folder deleted from {}: some folders failed; fix them and run again",
                    run.config.target().describe());
            return;
        }
        List<FolderInfo> listed;
        try {
            listed = run.config.target().folders();
        } catch (BackupException e) {
            errors.add(ReportError.of(null, new BackupException("cannot list the folders of "
                    + run.config.target().describe() + " to delete those not on the source: " + e.getMessage(), e)));
            return;
        }
        Set<String> images = new HashSet<>();
        selected.forEach(f -> images.add(run.target.location(f)));
        for (FolderInfo f : doomed(listed, images, run.config.folderFilter())) {
            if (run.cancelled()) {
                return;
            }
            Counters deleted = Counters.builder().foldersDeletedFromTarget(1).build();
            if (run.dryRun) {
                reports.add(new FolderReport(f.name(), null, deleted, List.of()));
                continue;
            }
            try {
                run.config.target().deleteFolder(f);
                LOG.debug("deleted the folder \"{}\" of {}: no source folder maps to it", f.name(),
                        run.config.target().describe());
                reports.add(new FolderReport(f.name(), null, deleted, List.of()));
            } catch (BackupException e) {
                String why = "cannot delete this folder of the target, which no source folder maps to: "
                        + e.getMessage();
                LOG.warn("folder \"{}\": {}", f.name(), why);
                reports.add(FolderReport.failure(f.name(), why));
            }
        }
    }

    /**
     * {@return the listed folders to delete, children before their parents: not INBOX, not the
     * image of a run folder, selected by the filter's names, and without a child that stays}
     */
    static List<FolderInfo> doomed(List<FolderInfo> listed, Set<String> images, FolderFilter filter) {
        List<FolderInfo> candidates = new ArrayList<>();
        for (FolderInfo f : listed) {
            if (!f.name().equalsIgnoreCase("INBOX") && !images.contains(f.name())
                    && (filter.selectsAll() || filter.selects(f.name()) && (!filter.subscribedOnly() || f.subscribed()))) {
                candidates.add(f);
            }
        }
        candidates.sort(Comparator.comparingInt((FolderInfo f) -> f.name().length()).reversed());
        Set<String> gone = new HashSet<>();
        List<FolderInfo> doomed = new ArrayList<>();
        for (FolderInfo c : candidates) {
            String under = c.name() + c.delimiter();
            boolean childStays = !c.delimiter().isEmpty() && listed.stream()
                    .anyMatch(o -> o.name().startsWith(under) && !gone.contains(o.name()));
            if (!childStays) {
                gone.add(c.name());
                doomed.add(c);
            }
        }
        return doomed;
    }
}
