package io.github.imapbackup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The report of one run: what was found, copied, skipped and what failed. The command line program
 * writes it as the JSON report of {@code docs/FORMAT.md}.
 *
 * @param command the command or operation, e.g. {@code backup}
 * @param startedAt when the run started
 * @param finishedAt when it finished
 * @param dryRun whether nothing was written (the counters say what would have been done)
 * @param outcome how the run ended: {@link Outcome#COMPLETED} (failures of folders or messages may
 *     still be listed, see {@link #hasFailures()}), {@link Outcome#CANCELLED} or {@link Outcome#FAILED}
 * @param folders one entry per folder, in processing order
 * @param errors failures that concern no single folder (e.g. a connection failure)
 */
public record BackupReport(String command, Instant startedAt, Instant finishedAt, boolean dryRun,
        Outcome outcome, List<FolderReport> folders, List<ReportError> errors) {

    /**
     * Validates and copies.
     *
     * @param command the command or operation, e.g. {@code backup}
     * @param startedAt when the run started
     * @param finishedAt when it finished
     * @param dryRun whether nothing was written (the counters say what would have been done)
     * @param outcome how the run ended
     * @param folders one entry per folder, in processing order
     * @param errors failures that concern no single folder (e.g. a connection failure)
     */
    public BackupReport {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(outcome, "outcome");
        folders = List.copyOf(folders);
        errors = List.copyOf(errors);
    }

    /** {@return the sum of the folder counters, plus the errors that concern no single folder} */
    public Counters totals() {
        Counters sum = Counters.empty();
        for (FolderReport f : folders) {
            sum = sum.plus(f.counters());
        }
        return sum.plus(Counters.builder().errors(errors.size()).build());
    }

    /** {@return every failure: those of no single folder first, then each folder's} */
    public List<ReportError> allErrors() {
        List<ReportError> all = new ArrayList<>(errors);
        folders.forEach(f -> all.addAll(f.errors()));
        return List.copyOf(all);
    }

    /**
     * {@return whether anything failed: a folder, a message, or something that concerns no single
     * folder (listed in {@link #allErrors()})}
     */
    public boolean hasFailures() {
        return totals().errors() > 0 || !allErrors().isEmpty();
    }
}
