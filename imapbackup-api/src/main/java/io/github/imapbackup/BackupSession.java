package io.github.imapbackup;

import io.github.imapbackup.internal.BackupEngine;
import io.github.imapbackup.internal.EngineConfig;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.MessageTarget;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An incremental backup of an account into a target (a backup directory): the entry point of the
 * library.
 *
 * <p>Build once, run as often as needed; an instance is immutable and thread-safe (apart from
 * {@link #cancel()}, which stops every run in progress).
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
public final class BackupSession {

    /**
     * The number of connections a session uses unless told otherwise: two, so that one folder's
     * network waits overlap another's disk writes (see docs/benchmarks-imap.md).
     */
    public static final int DEFAULT_CONNECTIONS = 2;

    private final EngineConfig config;
    /** The cancellation flags of the runs in progress; {@link #cancel()} sets them all. */
    private final Set<AtomicBoolean> running = ConcurrentHashMap.newKeySet();

    private BackupSession(EngineConfig config) {
        this.config = config;
    }

    /** {@return a new builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder initialized with this session's settings} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.source = config.source();
        b.target = config.target();
        b.folderFilter = config.folderFilter();
        b.listenerFactory = config.listenerFactory();
        b.extractor = config.extractor();
        b.planner = config.planner();
        b.failFast = config.failFast();
        b.connections = config.connections();
        b.reconnectAttempts = config.reconnectAttempts();
        b.clock = config.clock();
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

    private BackupReport execute(EngineConfig run) throws BackupException {
        AtomicBoolean cancelled = new AtomicBoolean();
        running.add(cancelled);
        try {
            return new BackupEngine(run, cancelled).run();
        } finally {
            running.remove(cancelled);
        }
    }

    /**
     * Cancels every run of this session in progress: each stops at the next read of message
     * bytes (a message in flight is dropped whole and fetched again by the next run), commits what
     * it copied and throws {@link CancelledException}. A read blocked on a silent server ends with
     * the source's read timeout. Later runs are not affected.
     */
    public void cancel() {
        running.forEach(flag -> flag.set(true));
    }

    /** {@return the source} */
    public MessageSource source() {
        return config.source();
    }

    /** {@return the target} */
    public MessageTarget target() {
        return config.target();
    }

    /** {@return which folders are backed up} */
    public FolderFilter folderFilter() {
        return config.folderFilter();
    }

    /** {@return the factory that makes each run's listener} */
    public BackupListener.Factory listenerFactory() {
        return config.listenerFactory();
    }

    /** {@return the Message-ID extractor} */
    public MessageIdExtractor extractor() {
        return config.extractor();
    }

    /** {@return the merge planner} */
    public MergePlanner planner() {
        return config.planner();
    }

    /** {@return whether the first failure stops the run} */
    public boolean failFast() {
        return config.failFast();
    }

    /** {@return the number of connections (folders backed up in parallel)} */
    public int connections() {
        return config.connections();
    }

    /** {@return how often a dropped connection is reopened for one folder} */
    public int reconnectAttempts() {
        return config.reconnectAttempts();
    }

    /** {@return the clock for report times} */
    public Clock clock() {
        return config.clock();
    }

    /** Builds a {@link BackupSession}; validates in {@link #build()}, does no I/O. Not thread-safe. */
    public static final class Builder {

        private MessageSource source;
        private MessageTarget target;
        private FolderFilter folderFilter = FolderFilter.all();
        private BackupListener.Factory listenerFactory = BackupListener.Factory.of(BackupListener.NONE);
        private MessageIdExtractor extractor = MessageIdExtractor.standard();
        private MergePlanner planner = MergePlanner.standard();
        private boolean failFast;
        private int connections = DEFAULT_CONNECTIONS;
        private int reconnectAttempts = 3;
        private Clock clock = Clock.systemUTC();

        private Builder() { }

        /**
         * Sets where messages come from (required).
         *
         * @param source the source
         * @return this builder
         */
        public Builder source(MessageSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Sets where messages go (required): a backup directory ({@code MboxStore}) for a backup.
         *
         * @param target the target
         * @return this builder
         */
        public Builder target(MessageTarget target) {
            this.target = Objects.requireNonNull(target, "target");
            return this;
        }

        /**
         * Sets which folders are backed up (default {@link FolderFilter#all()}); replaces what
         * {@link #folders(Collection)}, {@link #exclude(String)} and {@link #subscribedOnly(boolean)}
         * set before, which are shorthands for changing this filter.
         *
         * @param filter the filter
         * @return this builder
         */
        public Builder folderFilter(FolderFilter filter) {
            this.folderFilter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /**
         * Restricts the backup to these folders (exact names, as the server lists them). Adds to
         * earlier calls; none means all folders. Shorthand for {@link FolderFilter#include(Collection)}.
         *
         * @param names the folder names
         * @return this builder
         */
        public Builder folders(Collection<String> names) {
            folderFilter = folderFilter.include(names);
            return this;
        }

        /**
         * Restricts the backup to these folders.
         *
         * @param names the folder names
         * @return this builder
         */
        public Builder folders(String... names) {
            return folders(List.of(names));
        }

        /**
         * Excludes folders whose full name matches a regular expression (whole-name match). Adds to
         * earlier calls.
         *
         * @param regex the expression
         * @return this builder
         * @throws java.util.regex.PatternSyntaxException if the expression is invalid
         */
        public Builder exclude(String regex) {
            folderFilter = folderFilter.exclude(regex);
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
         * Sets the listener of every run (default: none); it must be thread-safe when runs overlap.
         * Replaces an earlier {@link #listenerFactory}.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(BackupListener listener) {
            this.listenerFactory = BackupListener.Factory.of(listener);
            return this;
        }

        /**
         * Sets the factory that makes one listener per run, called when each run starts. Replaces an
         * earlier {@link #listener}.
         *
         * @param factory the factory
         * @return this builder
         */
        public Builder listenerFactory(BackupListener.Factory factory) {
            this.listenerFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Replaces the Message-ID extractor (default: {@link MessageIdExtractor#standard()}): the
         * one setting for identities. The run hands it to the source (the identity of each server
         * message) and to the target (the identity of stored messages, e.g. when a lost index is
         * rebuilt), so both sides always agree.
         *
         * @param extractor the extractor
         * @return this builder
         */
        public Builder extractor(MessageIdExtractor extractor) {
            this.extractor = Objects.requireNonNull(extractor, "extractor");
            return this;
        }

        /**
         * Replaces the merge planner (default: {@link MergePlanner#standard()}).
         *
         * @param planner the planner
         * @return this builder
         */
        public Builder planner(MergePlanner planner) {
            this.planner = Objects.requireNonNull(planner, "planner");
            return this;
        }

        /**
         * Stops at the first failure instead of going on with the other messages and folders.
         *
         * @param failFast whether to
         * @return this builder
         */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /**
         * Sets how many connections back up folders in parallel (default
         * {@value BackupSession#DEFAULT_CONNECTIONS}). One folder is always worked on by one
         * connection; more connections overlap one folder's network waits with another's disk
         * writes. Servers limit connections per user (Dovecot 10 per address, Gmail 15), so keep
         * this small.
         *
         * @param connections 1 or more
         * @return this builder
         */
        public Builder connections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("connections must be at least 1: " + connections);
            }
            this.connections = connections;
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
         * Sets the clock used for report times (default: system UTC).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Validates and builds the immutable session.
         *
         * @return the session
         * @throws NullPointerException if source or target is missing
         */
        public BackupSession build() {
            return new BackupSession(new EngineConfig(source, target, folderFilter, listenerFactory,
                    extractor, planner, failFast, connections, reconnectAttempts, clock, EngineConfig.Policy.BACKUP));
        }
    }
}
