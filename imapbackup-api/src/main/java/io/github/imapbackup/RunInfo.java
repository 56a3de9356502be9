package io.github.imapbackup;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run, as every {@link BackupListener} event names it: a listener serving several runs at
 * once (two sessions, or a session and an import) tells their events apart by it.
 *
 * @param id a number that no other run in this JVM has (runs started later have larger ones)
 * @param command the operation, e.g. {@code backup}, {@code import}, {@code export}
 * @param dryRun whether nothing will be written
 * @param startedAt when the run started
 */
public record RunInfo(long id, String command, boolean dryRun, Instant startedAt) {

    private static final AtomicLong IDS = new AtomicLong();

    /**
     * Validates.
     *
     * @param id a number that no other run in this JVM has
     * @param command the operation, e.g. {@code backup}, {@code import}, {@code export}
     * @param dryRun whether nothing will be written
     * @param startedAt when the run started
     */
    public RunInfo {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /**
     * Describes a run that starts now, with the next free id (for sources, targets and front ends
     * that run work of their own).
     *
     * @param command the operation
     * @param dryRun whether nothing will be written
     * @param startedAt when it started
     * @return the run
     */
    public static RunInfo start(String command, boolean dryRun, Instant startedAt) {
        return new RunInfo(IDS.incrementAndGet(), command, dryRun, startedAt);
    }
}
