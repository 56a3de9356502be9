package io.github.imapbackup;

/**
 * How a run ended, in {@link BackupReport#outcome()}.
 *
 * <pre>{@code
 * try {
 *     BackupReport report = session.run();
 *     // COMPLETED, though folders or messages may have failed: report.hasFailures(), report.allErrors()
 * } catch (BackupException e) {
 *     e.report().ifPresent(r -> log.warn("run {}: {}", r.outcome(), r.totals())); // CANCELLED or FAILED
 * }
 * }</pre>
 */
public enum Outcome {

    /**
     * The run went through every folder it selected. Folders or messages may still have failed:
     * see {@link BackupReport#hasFailures()} and {@link BackupReport#allErrors()}.
     */
    COMPLETED,

    /**
     * The run was cancelled (or its thread interrupted) and stopped at a message boundary: what was
     * copied is kept, the rest was not done. Running it again goes on from there.
     */
    CANCELLED,

    /**
     * The run stopped on a failure: the source could not be reached or refused the credentials,
     * or fail-fast stopped it at the first failure. The report says what was done before.
     */
    FAILED
}
