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
 * What the sessions ({@link BackupSession}, {@link RestoreSession}) share: the settings, the runs
 * in progress and their cancellation, the builder's common setters.
 */
abstract class EngineSession {

    /**
     * How often a restore or a migration reopens the source's dropped connection for one folder
     * (docs/ARCHITECTURE.md, "Reconnecting"); a backup's is set on its builder.
     */
    static final int RECONNECT_ATTEMPTS = 3;

    /** The settings, with the direction's policy. */
    final EngineConfig config;
    /** The cancellation flags of the runs in progress; {@link #cancel()} sets them all. */
    private final Set<AtomicBoolean> running = ConcurrentHashMap.newKeySet();

    EngineSession(EngineConfig config) {
        this.config = config;
    }

    /** Runs the engine once with {@code run}'s settings, cancellable by {@link #cancel()}. */
    final BackupReport execute(EngineConfig run) throws BackupException {
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
     * bytes (a message in flight is dropped whole and copied again by the next run), commits what
     * it copied and throws {@link CancelledException}, whose report says what was done. A wait of
     * the source or the target (a throttling backoff, a rate cap) and a read or write blocked on a
     * silent server end at once ({@link MessageSource#cancelWaits()},
     * {@link io.github.imapbackup.spi.MessageTarget#cancelWaits()}). Later runs are not affected.
     */
    public void cancel() {
        running.forEach(flag -> flag.set(true));
        if (!running.isEmpty()) {
            try {
                config.source().cancelWaits();
            } catch (RuntimeException e) {
                // the run still stops, once the source's waits are over
            }
            try {
                config.target().cancelWaits();
            } catch (RuntimeException e) {
                // the run still stops, once the target's waits are over
            }
        }
    }

    /** {@return the source} */
    public MessageSource source() {
        return config.source();
    }

    /** {@return the target} */
    public MessageTarget target() {
        return config.target();
    }

    /** {@return which folders are copied} */
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

    /** {@return the number of connections (folders copied in parallel)} */
    public int connections() {
        return config.connections();
    }

    /** {@return the clock for report times} */
    public Clock clock() {
        return config.clock();
    }

    /**
     * The setters every session's builder has; the session's {@code build()} validates. Not thread-safe.
     *
     * @param <B> the session's builder
     */
    abstract static class Builder<B extends Builder<B>> {

        MessageSource source;
        MessageTarget target;
        FolderFilter folderFilter = FolderFilter.all();
        BackupListener.Factory listenerFactory = BackupListener.Factory.of(BackupListener.NONE);
        MessageIdExtractor extractor = MessageIdExtractor.standard();
        MergePlanner planner = MergePlanner.standard();
        boolean failFast;
        int connections;
        Clock clock = Clock.systemUTC();
        EngineConfig.Deletions deletions = EngineConfig.Deletions.NONE;

        Builder(int connections) {
            this.connections = connections;
        }

        /** Takes the settings of {@code config} (for {@code toBuilder()}). */
        final B from(EngineConfig config) {
            source = config.source();
            target = config.target();
            folderFilter = config.folderFilter();
            listenerFactory = config.listenerFactory();
            extractor = config.extractor();
            planner = config.planner();
            failFast = config.failFast();
            connections = config.connections();
            clock = config.clock();
            deletions = config.deletions();
            return self();
        }

        /** {@return the settings, for a run with this policy} */
        final EngineConfig config(int reconnectAttempts, EngineConfig.Policy policy) {
            return new EngineConfig(source, target, folderFilter, listenerFactory, extractor, planner, failFast,
                    connections, reconnectAttempts, clock, policy, deletions);
        }

        /** {@return this builder, as its own type} */
        abstract B self();

        /**
         * Sets where messages come from (required).
         *
         * @param source the source
         * @return this builder
         */
        public B source(MessageSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return self();
        }

        /**
         * Sets where messages go (required).
         *
         * @param target the target
         * @return this builder
         */
        public B target(MessageTarget target) {
            this.target = Objects.requireNonNull(target, "target");
            return self();
        }

        /**
         * Sets which folders are copied (default {@link FolderFilter#all()}); replaces what
         * {@link #folders(Collection)} and {@link #exclude(String)} set before, which are
         * shorthands for changing this filter.
         *
         * @param filter the filter
         * @return this builder
         */
        public B folderFilter(FolderFilter filter) {
            this.folderFilter = Objects.requireNonNull(filter, "filter");
            return self();
        }

        /**
         * Restricts the run to these folders (exact names, as the source lists them). Adds to
         * earlier calls; none means all folders. Shorthand for {@link FolderFilter#include(Collection)}.
         *
         * @param names the folder names
         * @return this builder
         */
        public B folders(Collection<String> names) {
            folderFilter = folderFilter.include(names);
            return self();
        }

        /**
         * Restricts the run to these folders.
         *
         * @param names the folder names
         * @return this builder
         */
        public B folders(String... names) {
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
        public B exclude(String regex) {
            folderFilter = folderFilter.exclude(regex);
            return self();
        }

        /**
         * Sets the listener of every run (default: none); it must be thread-safe when runs overlap.
         * Replaces an earlier {@link #listenerFactory}.
         *
         * @param listener the listener
         * @return this builder
         */
        public B listener(BackupListener listener) {
            this.listenerFactory = BackupListener.Factory.of(listener);
            return self();
        }

        /**
         * Sets the factory that makes one listener per run, called when each run starts. Replaces an
         * earlier {@link #listener}.
         *
         * @param factory the factory
         * @return this builder
         */
        public B listenerFactory(BackupListener.Factory factory) {
            this.listenerFactory = Objects.requireNonNull(factory, "factory");
            return self();
        }

        /**
         * Replaces the Message-ID extractor (default: {@link MessageIdExtractor#standard()}): the
         * one setting for identities. The run hands it to the source (the identity of each source
         * message) and to the target (the identity of what it holds, e.g. when a lost index is
         * rebuilt), so both sides always agree.
         *
         * @param extractor the extractor
         * @return this builder
         */
        public B extractor(MessageIdExtractor extractor) {
            this.extractor = Objects.requireNonNull(extractor, "extractor");
            return self();
        }

        /**
         * Replaces the merge planner (default: {@link MergePlanner#standard()}).
         *
         * @param planner the planner
         * @return this builder
         */
        public B planner(MergePlanner planner) {
            this.planner = Objects.requireNonNull(planner, "planner");
            return self();
        }

        /**
         * Stops at the first failure instead of going on with the other messages and folders.
         *
         * @param failFast whether to
         * @return this builder
         */
        public B failFast(boolean failFast) {
            this.failFast = failFast;
            return self();
        }

        /**
         * Sets how many connections copy folders in parallel. One folder is always written by
         * one connection, each with its own source connection and target folder; connections with
         * no folder left fetch a big folder's later messages ahead of it when the source allows
         * ({@link io.github.imapbackup.spi.MessageSource#parallelFetch()}). Servers limit
         * connections per user (Dovecot 10 per address, Gmail 15), so keep this small.
         *
         * @param connections 1 or more
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public B connections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("connections must be at least 1: " + connections);
            }
            this.connections = connections;
            return self();
        }

        /**
         * Sets the clock used for report times (default: system UTC).
         *
         * @param clock the clock
         * @return this builder
         */
        public B clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return self();
        }
    }
}
