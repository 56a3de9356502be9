package io.github.imapbackup.internal;

import io.github.imapbackup.BackupListener;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.MessageTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * The immutable settings of engine runs, built by a session builder: what is copied from where to
 * where, how messages are identified and matched, and the direction's policy.
 *
 * @param source where messages come from
 * @param target where they go
 * @param folderFilter which folders are copied
 * @param listenerFactory makes the user's listener of each run
 * @param extractor the one Message-ID extractor, handed to the source and the target
 * @param planner decides what the target already holds
 * @param failFast whether the first failure stops the run
 * @param connections how many folders are copied in parallel
 * @param reconnectAttempts how often a dropped connection is reopened for one folder
 * @param clock the clock for report times
 * @param policy what the direction asks of the run
 * @param deletions what the run deletes once copied (opt-in; none by default)
 * @param stateCache a migration's state cache file, or null for none (see docs/ARCHITECTURE.md,
 *     "State cache")
 */
public record EngineConfig(MessageSource source, MessageTarget target, FolderFilter folderFilter,
        BackupListener.Factory listenerFactory, MessageIdExtractor extractor,
        MergePlanner planner, boolean failFast, int connections, int reconnectAttempts, Clock clock,
        Policy policy, Deletions deletions, Path stateCache) {

    /**
     * Validates and copies.
     *
     * @param source where messages come from
     * @param target where they go
     * @param folderFilter which folders are copied
     * @param listenerFactory makes the user's listener of each run
     * @param extractor the one Message-ID extractor, handed to the source and the target
     * @param planner decides what the target already holds
     * @param failFast whether the first failure stops the run
     * @param connections how many folders are copied in parallel
     * @param reconnectAttempts how often a dropped connection is reopened for one folder
     * @param clock the clock for report times
     * @param policy what the direction asks of the run
     * @param deletions what the run deletes once copied; anything but {@link Deletions#NONE}
     *     only with a policy that is not incremental (a migration)
     * @param stateCache a migration's state cache file, or null for none; only with a policy
     *     that is not incremental
     */
    public EngineConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(folderFilter, "folderFilter");
        Objects.requireNonNull(listenerFactory, "listenerFactory");
        Objects.requireNonNull(extractor, "extractor");
        Objects.requireNonNull(planner, "planner");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(deletions, "deletions");
        if (deletions.any() && policy.incremental()) {
            throw new IllegalArgumentException("deleting is only for a copy without incremental state (migrate), not "
                    + policy.command());
        }
        if (stateCache != null && policy.incremental()) {
            throw new IllegalArgumentException("a state cache is only for a migration, not " + policy.command());
        }
        if (connections < 1 || reconnectAttempts < 0) {
            throw new IllegalArgumentException("connections " + connections + ", reconnect attempts "
                    + reconnectAttempts);
        }
    }

    /**
     * Settings that delete nothing, as {@link #EngineConfig(MessageSource, MessageTarget, FolderFilter,
     * BackupListener.Factory, MessageIdExtractor, MergePlanner, boolean, int, int, Clock, Policy, Deletions)}
     * with {@link Deletions#NONE}.
     *
     * @param source where messages come from
     * @param target where they go
     * @param folderFilter which folders are copied
     * @param listenerFactory makes the user's listener of each run
     * @param extractor the one Message-ID extractor, handed to the source and the target
     * @param planner decides what the target already holds
     * @param failFast whether the first failure stops the run
     * @param connections how many folders are copied in parallel
     * @param reconnectAttempts how often a dropped connection is reopened for one folder
     * @param clock the clock for report times
     * @param policy what the direction asks of the run
     */
    public EngineConfig(MessageSource source, MessageTarget target, FolderFilter folderFilter,
            BackupListener.Factory listenerFactory, MessageIdExtractor extractor, MergePlanner planner,
            boolean failFast, int connections, int reconnectAttempts, Clock clock, Policy policy) {
        this(source, target, folderFilter, listenerFactory, extractor, planner, failFast, connections,
                reconnectAttempts, clock, policy, Deletions.NONE, null);
    }

    /**
     * Settings without a state cache, as {@link #EngineConfig(MessageSource, MessageTarget, FolderFilter,
     * BackupListener.Factory, MessageIdExtractor, MergePlanner, boolean, int, int, Clock, Policy, Deletions,
     * Path)} with none.
     *
     * @param source where messages come from
     * @param target where they go
     * @param folderFilter which folders are copied
     * @param listenerFactory makes the user's listener of each run
     * @param extractor the one Message-ID extractor, handed to the source and the target
     * @param planner decides what the target already holds
     * @param failFast whether the first failure stops the run
     * @param connections how many folders are copied in parallel
     * @param reconnectAttempts how often a dropped connection is reopened for one folder
     * @param clock the clock for report times
     * @param policy what the direction asks of the run
     * @param deletions what the run deletes once copied
     */
    public EngineConfig(MessageSource source, MessageTarget target, FolderFilter folderFilter,
            BackupListener.Factory listenerFactory, MessageIdExtractor extractor, MergePlanner planner,
            boolean failFast, int connections, int reconnectAttempts, Clock clock, Policy policy,
            Deletions deletions) {
        this(source, target, folderFilter, listenerFactory, extractor, planner, failFast, connections,
                reconnectAttempts, clock, policy, deletions, null);
    }

    /**
     * Returns these settings with another policy.
     *
     * @param p the policy
     * @return the settings
     */
    public EngineConfig with(Policy p) {
        return new EngineConfig(source, target, folderFilter, listenerFactory, extractor, planner,
                failFast, connections, reconnectAttempts, clock, p, deletions, stateCache);
    }

    /**
     * Returns these settings with another state cache.
     *
     * @param file the cache file, or null for none
     * @return the settings
     */
    public EngineConfig withStateCache(Path file) {
        return new EngineConfig(source, target, folderFilter, listenerFactory, extractor, planner,
                failFast, connections, reconnectAttempts, clock, policy, deletions, file);
    }

    /**
     * What a migration deletes once its copy is done (imapsync's {@code --delete2},
     * {@code --delete1}, {@code --delete2folders}); nothing unless asked, nothing in a dry run
     * (counted instead), nothing in a folder whose copy failed. See docs/ARCHITECTURE.md,
     * "Deletions".
     *
     * @param fromTarget delete from each target folder the messages the source folder does not
     *     hold (copies counted), after the folder's copy committed
     * @param fromSource delete from the source the messages verified on the target: held there
     *     before the run, or appended and confirmed by the target's commit
     * @param targetFolders after every folder succeeded, delete the target's folders that no
     *     copied source folder maps to (never INBOX, never one with children that stay; with a
     *     folder filter, only folders whose target name the filter selects)
     */
    public record Deletions(boolean fromTarget, boolean fromSource, boolean targetFolders) {

        /** Nothing deleted (the default). */
        public static final Deletions NONE = new Deletions(false, false, false);

        /** {@return whether anything is to be deleted} */
        public boolean any() {
            return fromTarget || fromSource || targetFolders;
        }
    }

    /**
     * What a direction asks of a run, as settings rather than code paths.
     *
     * @param command the command named in the report ({@code backup}, {@code import}, ..)
     * @param dryRun whether the target is only read: the run plans and counts instead of copying
     * @param incremental whether the target keeps the source's incremental state (UIDVALIDITY,
     *     UIDs, flags, expunges); without it every source message is matched by identity with
     *     copies counted and appended without a UID, and nothing else is recorded (an import)
     */
    public record Policy(String command, boolean dryRun, boolean incremental) {

        /** An incremental backup of a server. */
        public static final Policy BACKUP = new Policy("backup", false, true);

        /** An import of foreign files: matched by identity, no incremental state recorded. */
        public static final Policy IMPORT = new Policy("import", false, false);

        /**
         * A restore of a backup directory into an account: matched by identity with copies
         * counted (the target's contents, not a recorded state, say what is there), no
         * incremental state recorded.
         */
        public static final Policy RESTORE = new Policy("restore", false, false);

        /**
         * A migration from one account to another: matched by identity with copies counted (the
         * target account's contents say what is there), no incremental state recorded.
         */
        public static final Policy MIGRATE = new Policy("migrate", false, false);

        /**
         * Validates.
         *
         * @param command the command named in the report
         * @param dryRun whether the target is only read
         * @param incremental whether the target keeps the source's incremental state
         */
        public Policy {
            Objects.requireNonNull(command, "command");
        }

        /** {@return this policy for a dry run} */
        public Policy asDryRun() {
            return new Policy(command, true, incremental);
        }
    }
}
