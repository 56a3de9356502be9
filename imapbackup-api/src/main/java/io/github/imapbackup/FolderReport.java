package io.github.imapbackup;

import java.util.List;
import java.util.Objects;

/**
 * What a run did to one folder.
 *
 * @param name the folder name (server name, or the archive's folder name)
 * @param file the mbox file relative to the backup directory, or null when no backup directory is
 *     involved
 * @param counters the counters
 * @param errors the failures in this folder
 */
public record FolderReport(String name, String file, Counters counters, List<ReportError> errors) {

    /**
     * Validates and copies.
     *
     * @param name the folder name (server name, or the archive's folder name)
     * @param file the mbox file relative to the backup directory, or null when no backup directory
     *     is involved
     * @param counters the counters
     * @param errors the failures in this folder
     */
    public FolderReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(counters, "counters");
        errors = List.copyOf(errors);
    }

    /**
     * Returns the report of a folder that could not be worked on at all: one error, nothing else.
     *
     * @param name the folder name
     * @param why what went wrong, and what to do
     * @return the report
     */
    public static FolderReport failure(String name, String why) {
        return new FolderReport(name, null, Counters.builder().errors(1).build(),
                List.of(new ReportError(name, -1, why)));
    }

    /** {@return whether anything failed in this folder} */
    public boolean failed() {
        return counters.errors() > 0 || !errors.isEmpty();
    }
}
