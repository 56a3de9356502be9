package io.github.imapbackup;

import io.github.imapbackup.internal.EngineConfig;

/**
 * A restore: the messages of a source (a backup directory) copied back into a target (an IMAP
 * account), folder by folder, with their bytes, flags, keywords and INTERNALDATE. It runs the same
 * engine as {@link BackupSession}, without incremental state: what the target already holds is
 * found by identity with copies counted, so restoring twice adds nothing, a run that was
 * interrupted is completed by the next one, and a folder that holds a message twice gets it twice
 * (never three times). A message the target refuses (too big, malformed) is reported with its
 * folder and UID in the source and the others go on; flags the target cannot keep are dropped
 * for that message and counted ({@link Counters#flagsDropped()}).
 *
 * <p>Build once, run as often as needed; an instance is immutable and thread-safe (apart from
 * {@link #cancel()}, which stops every run in progress).
 *
 * <pre>{@code
 * MboxStore backup = MboxStore.builder(Path.of("backup")).build();
 * BackupReport report = RestoreSession.builder()
 *         .source(backup.asSource())
 *         .target(account)              // e.g. ImapTarget.builder(imapSource).prefix("Restored").build()
 *         .folders("INBOX", "Sent")
 *         .build()
 *         .run();
 * log.info("{} restored, {} already there", report.totals().messagesCopied(),
 *         report.totals().messagesSkipped());
 * }</pre>
 */
public final class RestoreSession extends EngineSession {

    /**
     * The number of connections a restore uses unless told otherwise: four folders restored in
     * parallel, each worker with its own source connection and target folders.
     */
    public static final int DEFAULT_CONNECTIONS = 4;

    private RestoreSession(EngineConfig config) {
        super(config);
    }

    /** {@return a new builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder initialized with this session's settings} */
    public Builder toBuilder() {
        return new Builder().from(config);
    }

    /**
     * Runs the restore: reads each selected folder of the source, finds what the target folder
     * already holds, appends the rest, closes. A failing folder or message is recorded in the
     * report and the others go on (unless fail-fast).
     *
     * @return the report, command {@code restore}; {@link BackupReport#hasFailures()} says whether
     *     anything failed (a folder, or a message the target refused)
     * @throws ConnectionException if the source cannot be read
     * @throws BackupException if fail-fast was asked and something failed, or the run was cancelled
     *     ({@link CancelledException}); {@link BackupException#report()} gives the run's report,
     *     outcome {@link Outcome#FAILED} or {@link Outcome#CANCELLED}
     */
    public BackupReport run() throws BackupException {
        return execute(config);
    }

    /**
     * The dry run: reads the source and what the target holds, writes nothing anywhere (no folder
     * is created), and reports what {@link #run()} would copy.
     *
     * @return the report of what would be done
     * @throws BackupException as {@link #run()}
     */
    public BackupReport plan() throws BackupException {
        return execute(config.with(config.policy().asDryRun()));
    }

    /**
     * Builds a {@link RestoreSession}; validates in {@link #build()}, does no I/O. Not thread-safe.
     * Connections default to {@value RestoreSession#DEFAULT_CONNECTIONS}.
     */
    public static final class Builder extends EngineSession.Builder<Builder> {

        private Builder() {
            super(DEFAULT_CONNECTIONS);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Validates and builds the immutable session.
         *
         * @return the session
         * @throws NullPointerException if source or target is missing
         */
        public RestoreSession build() {
            return new RestoreSession(config(RECONNECT_ATTEMPTS, EngineConfig.Policy.RESTORE));
        }
    }
}
