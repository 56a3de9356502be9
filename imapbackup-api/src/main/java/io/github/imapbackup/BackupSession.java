package io.github.imapbackup;

import io.github.imapbackup.internal.EngineConfig;
import io.github.imapbackup.spi.MessageSource;

/**
 * An incremental backup of an account into a target (a backup directory): the entry point of the
 * library.
 *
 * <p>Build once, run as often as needed; an instance is immutable and thread-safe (apart from
 * {@link #cancel()}, which stops every run in progress). {@link RestoreSession} is the same run in
 * the other direction.
 *
 * <pre>{@code
 * MessageSource account = ImapSource.builder()
 *         .host("imap.example.org")
 *         .user("alice")
 *         .password(() -> System.getenv("IMAP_PASSWORD").toCharArray())
 *         .build();
 * MessageTarget backup = MboxStore.builder(Path.of("backup")).codec("zstd").build();
 * BackupReport report = BackupSession.builder()
 *         .source(account)
 *         .target(backup)
 *         .exclude("Trash|Junk")
 *         .build()
 *         .run();
 * log.info("{} new messages", report.totals().messagesCopied());
 * }</pre>
 */
public final class BackupSession extends EngineSession {

    /**
     * The number of connections a session uses unless told otherwise: three, so that one folder's
     * network waits overlap another's disk writes, and the round trips and disk syncs between two
     * folders of one connection are covered by the others' transfers (see docs/benchmarks-imap.md,
     * "Folder order and three connections").
     */
    public static final int DEFAULT_CONNECTIONS = 3;

    private BackupSession(EngineConfig config) {
        super(config);
    }

    /** {@return a new builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder initialized with this session's settings} */
    public Builder toBuilder() {
        Builder b = new Builder().from(config);
        b.reconnectAttempts = config.reconnectAttempts();
        return b;
    }

    /**
     * Runs the backup: connects, copies what is new, records flag changes and expunges, closes.
     * A failing folder is recorded in the report and the others go on (unless fail-fast).
     *
     * @return the report; {@link BackupReport#hasFailures()} says whether anything failed
     * @throws ConnectionException if the source cannot be reached or refuses the credentials
     * @throws BackupException if fail-fast was asked and something failed, or the run was cancelled
     *     ({@link CancelledException}); {@link BackupException#report()} gives the run's report,
     *     outcome {@link Outcome#FAILED} or {@link Outcome#CANCELLED}
     */
    public BackupReport run() throws BackupException {
        return execute(config);
    }

    /**
     * The dry run: connects and compares, writes nothing anywhere, and reports what {@link #run()}
     * would copy.
     *
     * @return the report of what would be done
     * @throws BackupException as {@link #run()}
     */
    public BackupReport plan() throws BackupException {
        return execute(config.with(config.policy().asDryRun()));
    }

    /** {@return how often a dropped connection is reopened for one folder} */
    public int reconnectAttempts() {
        return config.reconnectAttempts();
    }

    /**
     * Builds a {@link BackupSession}; validates in {@link #build()}, does no I/O. Not thread-safe.
     * Connections default to {@value BackupSession#DEFAULT_CONNECTIONS}: one folder's network waits
     * overlap another's disk writes and the round trips between folders.
     */
    public static final class Builder extends EngineSession.Builder<Builder> {

        private int reconnectAttempts = 3;

        private Builder() {
            super(DEFAULT_CONNECTIONS);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Backs up only subscribed folders.
         *
         * @param subscribedOnly whether to
         * @return this builder
         */
        public Builder subscribedOnly(boolean subscribedOnly) {
            folderFilter = folderFilter.subscribedOnly(subscribedOnly);
            return this;
        }

        /**
         * Sets how often a dropped connection is reopened while backing up one folder (default 3).
         *
         * @param attempts 0 or more
         * @return this builder
         */
        public Builder reconnectAttempts(int attempts) {
            if (attempts < 0) {
                throw new IllegalArgumentException("attempts must not be negative: " + attempts);
            }
            this.reconnectAttempts = attempts;
            return this;
        }

        /**
         * Validates and builds the immutable session.
         *
         * @return the session
         * @throws NullPointerException if source or target is missing
         * @throws IllegalStateException if the source is {@linkplain MessageSource#filtered() filtered}
         */
        public BackupSession build() {
            if (source != null && source.filtered()) {
                throw new IllegalStateException("a backup copies every message of its folders: the source's"
                        + " filters (search, age, size) apply to a migration only; remove them, or choose the"
                        + " folders instead");
            }
            return new BackupSession(config(reconnectAttempts, EngineConfig.Policy.BACKUP));
        }
    }
}
