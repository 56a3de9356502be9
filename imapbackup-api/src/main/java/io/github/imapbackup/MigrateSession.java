package io.github.imapbackup;

import io.github.imapbackup.internal.EngineConfig;
import io.github.imapbackup.spi.MessageSource;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A migration: every selected folder and message of one account (host1, the source) copied into
 * another account (host2, the target), with exact bytes, INTERNALDATE, and the flags and keywords
 * the target accepts; imapsync's job. It runs the same engine as {@link RestoreSession}: what host2
 * already holds is found by identity with copies counted, so host2 mirrors host1 (a message held
 * twice on host1 is held twice on host2, never three times), a rerun transfers only what is
 * missing, and an interrupted run is completed by the next one. Messages without a Message-ID get
 * the synthetic identity of {@code docs/FORMAT-identity.md} and are copied, never skipped and never
 * rewritten. The source is only read (an IMAP source opens folders with {@code EXAMINE} and fetches
 * with {@code BODY.PEEK}, so not even {@code \Seen} changes on host1).
 *
 * <p>Build once, run as often as needed; an instance is immutable and thread-safe (apart from
 * {@link #cancel()}, which stops every run in progress).
 *
 * <pre>{@code
 * ImapSource host1 = ImapSource.builder().host("imap.a.example").user("alice")
 *         .password(() -> secret1.clone()).build();
 * ImapSource host2 = ImapSource.builder().host("imap.b.example").user("alice")
 *         .password(() -> secret2.clone()).build();
 * BackupReport report = MigrateSession.builder()
 *         .source(host1)                       // only read: EXAMINE, BODY.PEEK
 *         .target(ImapTarget.builder(host2).build()) // host1's INBOX. prefix stripped by default
 *         .exclude("Trash|Junk")
 *         .build()                             // validates, no I/O
 *         .run();
 * log.info("{} transferred, {} already on host2", report.totals().messagesCopied(),
 *         report.totals().messagesSkipped());
 * }</pre>
 */
public final class MigrateSession extends EngineSession {

    /**
     * The number of connections a migration uses unless told otherwise: four folders copied in
     * parallel, each worker with its own connection to each host.
     */
    public static final int DEFAULT_CONNECTIONS = 4;

    private MigrateSession(EngineConfig config) {
        super(config);
    }

    /** {@return a new builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder initialized with this session's settings} */
    public Builder toBuilder() {
        Builder b = new Builder().from(config);
        if (config.source() instanceof FoldersOnly f) {
            b.source = f.source();
            b.justFolders = true;
        }
        b.stateCache = config.stateCache();
        return b;
    }

    /** {@return whether host2's messages that host1 does not hold are deleted ({@code --delete2})} */
    public boolean deleteFromTarget() {
        return config.deletions().fromTarget();
    }

    /** {@return whether host1's messages verified on host2 are deleted ({@code --delete1})} */
    public boolean deleteFromSource() {
        return config.deletions().fromSource();
    }

    /** {@return whether host2's folders that no copied host1 folder maps to are deleted ({@code --delete2folders})} */
    public boolean deleteTargetFolders() {
        return config.deletions().targetFolders();
    }

    /** {@return whether only the folder tree is created on host2, with no message copied} */
    public boolean justFolders() {
        return config.source() instanceof FoldersOnly;
    }

    /** {@return the state cache file, when one is set} */
    public Optional<Path> stateCache() {
        return Optional.ofNullable(config.stateCache());
    }

    /**
     * Runs the migration: lists each selected folder of host1, finds what the same folder on host2
     * already holds, appends the rest, closes. A failing folder or message is recorded in the report
     * and the others go on (unless fail-fast).
     *
     * @return the report, command {@code migrate}; {@link BackupReport#hasFailures()} says whether
     *     anything failed (a folder, or a message host2 refused)
     * @throws ConnectionException if host1 or host2 cannot be reached or refuses the login
     * @throws BackupException if fail-fast was asked and something failed, or the run was cancelled
     *     ({@link CancelledException}); {@link BackupException#report()} gives the run's report
     */
    public BackupReport run() throws BackupException {
        return execute(config);
    }

    /**
     * The dry run: lists host1 and what host2 holds, writes nothing on either side (no folder is
     * created on host2), and reports what {@link #run()} would transfer.
     *
     * @return the report of what would be done
     * @throws BackupException as {@link #run()}
     */
    public BackupReport plan() throws BackupException {
        return execute(config.with(config.policy().asDryRun()));
    }

    /**
     * Builds a {@link MigrateSession}; validates in {@link #build()}, does no I/O. Not thread-safe.
     * Connections default to {@value MigrateSession#DEFAULT_CONNECTIONS}.
     */
    public static final class Builder extends EngineSession.Builder<Builder> {

        private boolean justFolders;
        private Path stateCache;

        private Builder() {
            super(DEFAULT_CONNECTIONS);
        }

        /**
         * Creates host2's folder tree (the selected folders, with host2's names) and copies no
         * message (imapsync's {@code --justfolders}); the report counts no message on host1. A dry
         * run still creates nothing.
         *
         * @param justFolders whether to copy the folders only
         * @return this builder
         */
        public Builder justFolders(boolean justFolders) {
            this.justFolders = justFolders;
            return this;
        }

        /**
         * Deletes from each host2 folder, once its copy committed, the messages the host1 folder
         * does not hold, copies counted (imapsync's {@code --delete2}): a message held twice on
         * host2 and once on host1 loses one copy. Default false. Nothing is deleted in a dry run
         * (counted instead) nor in a folder whose copy failed. Refused by {@link #build()} with a
         * filtered source ({@link MessageSource#filtered()}), which would delete every message
         * the filter left out.
         *
         * @param delete whether to
         * @return this builder
         */
        public Builder deleteFromTarget(boolean delete) {
            deletions = new EngineConfig.Deletions(delete, deletions.fromSource(), deletions.targetFolders());
            return this;
        }

        /**
         * Deletes from host1 the messages verified on host2: held there before the run, or
         * appended and confirmed by host2's commit (imapsync's {@code --delete1}). An IMAP source
         * flags them {@code \Deleted} and expunges exactly them with {@code UID EXPUNGE}; without
         * UIDPLUS it only flags them. Default false; never in a dry run, never in a failed folder.
         *
         * @param delete whether to
         * @return this builder
         */
        public Builder deleteFromSource(boolean delete) {
            deletions = new EngineConfig.Deletions(deletions.fromTarget(), delete, deletions.targetFolders());
            return this;
        }

        /**
         * After every folder succeeded, deletes host2's folders that no copied host1 folder maps
         * to (imapsync's {@code --delete2folders}); never INBOX, never a folder with children that
         * stay, and with a folder filter only folders whose host2 name the filter selects. Default
         * false; never in a dry run.
         *
         * @param delete whether to
         * @return this builder
         */
        public Builder deleteTargetFolders(boolean delete) {
            deletions = new EngineConfig.Deletions(deletions.fromTarget(), deletions.fromSource(), delete);
            return this;
        }

        /**
         * Keeps a local state cache in this file, so that a rerun skips, after one {@code STATUS}
         * on each side, every folder unchanged on both hosts since a run that left nothing to copy
         * there (see docs/ARCHITECTURE.md, "State cache"). A folder is skipped only when host1's
         * UIDVALIDITY, UIDNEXT, MESSAGES and HIGHESTMODSEQ and host2's equal those recorded, so a
         * new message on host1 or one deleted from host2 makes the folder listed again. One file
         * serves several pairs of accounts; it holds host and user names, never a secret. A file
         * that cannot be read is a warning and every folder is listed; one that cannot be written
         * is a warning. Not used (nor written) by a run that deletes or copies folders only, nor
         * with a source whose listing can change without its STATUS (a search, a minimum age); a
         * dry run uses it and writes nothing.
         *
         * @param file the cache file (created when absent), or null for none (the default)
         * @return this builder
         */
        public Builder stateCache(Path file) {
            this.stateCache = file;
            return this;
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
         * @throws IllegalStateException if host2's messages are to be deleted
         *     ({@link #deleteFromTarget}) while the source is filtered or only folders are copied
         */
        public MigrateSession build() {
            MessageSource host1 = source;
            if (deletions.fromTarget() && host1 != null && host1.filtered()) {
                throw new IllegalStateException("deleting host2's messages that are not on host1 (--delete2) is refused"
                        + " with a filtered source (--search, --maxage, --minage, --maxsize, --minsize): it would delete"
                        + " on host2 every message the filter leaves out; drop the filter or the deletion");
            }
            if (deletions.fromTarget() && justFolders) {
                throw new IllegalStateException("deleting host2's messages that are not on host1 (--delete2) is refused"
                        + " when only folders are copied (--justfolders): no message of host1 is listed");
            }
            if (justFolders && host1 != null) {
                source = new FoldersOnly(host1);
            }
            try {
                return new MigrateSession(config(RECONNECT_ATTEMPTS, EngineConfig.Policy.MIGRATE).withStateCache(stateCache));
            } finally {
                source = host1;
            }
        }
    }
}
