package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.SourceConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's use of a migration's state cache (docs/ARCHITECTURE.md, "State cache"): a folder whose
 * figures on both sides equal those recorded after a pass that left nothing to copy is skipped
 * without listing; a folder whose pass left nothing to copy is recorded at the end of the run, if
 * host2 changed by exactly what the run appended meanwhile.
 */
class CachedFolders {

    private static final Logger LOG = LoggerFactory.getLogger(CachedFolders.class);

    /** No cache: every folder is listed, nothing is recorded. */
    static final CachedFolders OFF = new CachedFolders();

    /** A folder that left nothing to copy: host1's figures before it was listed, what the pass found. */
    private record Passed(FolderInfo folder, FolderStatus host1, long copied, long[] counts) { }

    private CachedFolders() { }

    /** {@return the cache of this run: off without a file, for deletions, folders only, or a side that offers none} */
    static CachedFolders start(RunContext run, List<FolderInfo> folders) {
        EngineConfig c = run.config;
        if (c.stateCache() == null || folders.isEmpty()) {
            return OFF;
        }
        String why = c.deletions().any() ? "the run deletes (a deletion must see every message)"
                : c.source().stateKey().isEmpty() ? "the source (" + c.source().describe() + ") offers none: folders"
                        + " only, a search or minimum age filter (its listing changes without its STATUS), or a"
                        + " source that cannot tell"
                : c.target().stateKey().isEmpty() ? "the target (" + c.target().describe() + ") offers none" : null;
        if (why != null) {
            LOG.info("state cache {} not used: {}", c.stateCache(), why);
            return OFF;
        }
        String pair = c.source().stateKey().get() + " -> " + c.target().stateKey().get();
        Map<String, FolderStatus> host2;
        try {
            host2 = c.target().status(folders);
        } catch (BackupException e) {
            LOG.info("state cache {} not used: STATUS on {} failed: {}", c.stateCache(), c.target().describe(),
                    e.getMessage());
            return OFF;
        }
        return new On(run, StateCache.load(c.stateCache(), pair), host2);
    }

    /**
     * Asks host1's STATUS of the folder; when the figures of both sides equal the record, counts
     * the folder as skipped from the cache and returns true (the folder is not listed).
     */
    boolean skipped(FolderInfo folder, SourceConnection host1, FolderProgress progress) {
        return false;
    }

    /** The folder's pass succeeded and left nothing to copy: it is recorded at {@link #finish()}. */
    void passed(FolderInfo folder, FolderProgress progress) {
        // off
    }

    /** Records the folders that passed, where host2 changed by exactly what was appended; writes the file. */
    void finish() {
        // off
    }

    /** The cache in use. */
    private static final class On extends CachedFolders {

        private final RunContext run;
        private final StateCache cache;
        /** host2's figures at the start of the run, by source folder name (absent: host2 has no such folder). */
        private final Map<String, FolderStatus> host2Before;
        private final Map<String, FolderStatus> host1Before = new ConcurrentHashMap<>();
        private final List<Passed> passed = new ArrayList<>();

        On(RunContext run, StateCache cache, Map<String, FolderStatus> host2Before) {
            this.run = run;
            this.cache = cache;
            this.host2Before = Map.copyOf(host2Before);
        }

        @Override
        boolean skipped(FolderInfo folder, SourceConnection host1, FolderProgress progress) {
            String name = folder.name();
            FolderStatus now1;
            try {
                now1 = host1.status(folder);
            } catch (BackupException e) {
                LOG.debug("folder \"{}\": STATUS failed ({}); listed without the state cache", name, e.getMessage());
                return false;
            }
            host1Before.put(name, now1);
            Optional<StateCache.Entry> e = cache.get(name);
            if (e.isEmpty() || !e.get().matches(now1, run.config.target().location(folder), host2Before.get(name))) {
                LOG.debug("folder \"{}\": {} in the state cache; listed", name, e.isEmpty() ? "no record" : "changed");
                return false;
            }
            long[] counts = e.get().counts();
            progress.onSource = counts[0];
            progress.skipped = counts[0];
            progress.duplicates = counts[1];
            progress.onlyOnTarget = counts[2];
            progress.duplicatesOnTarget = counts[3];
            progress.fromCache = 1;
            LOG.debug("folder \"{}\": unchanged on both sides since the state cache's record; not listed", name);
            run.listener.folderStarted(folder, counts[0], 0, 0);
            return true;
        }

        @Override
        void passed(FolderInfo folder, FolderProgress progress) {
            FolderStatus before = host1Before.get(folder.name());
            if (run.dryRun || before == null || !StateCache.usable(before) || progress.anyFailure()) {
                return;
            }
            long[] counts = {progress.onSource, progress.duplicates, progress.onlyOnTarget, progress.duplicatesOnTarget};
            synchronized (passed) {
                passed.add(new Passed(folder, before, progress.copied, counts));
            }
        }

        @Override
        void finish() {
            List<Passed> done;
            synchronized (passed) {
                done = List.copyOf(passed);
            }
            if (done.isEmpty()) {
                return;
            }
            Map<String, FolderStatus> after;
            try {
                after = run.config.target().status(done.stream().map(Passed::folder).toList());
            } catch (BackupException e) {
                LOG.info("state cache {}: STATUS on {} failed ({}); nothing recorded", run.config.stateCache(),
                        run.config.target().describe(), e.getMessage());
                return;
            }
            for (Passed p : done) {
                String name = p.folder().name();
                FolderStatus now2 = after.get(name);
                if (now2 != null && changedByCopyOnly(host2Before.get(name), now2, p.copied())) {
                    cache.put(name, new StateCache.Entry(p.host1(), run.config.target().location(p.folder()), now2,
                            p.counts()));
                } else {
                    LOG.debug("folder \"{}\": host2 changed by more than this run's {} appends; not recorded", name,
                            p.copied());
                }
            }
            try {
                cache.save();
            } catch (IOException | RuntimeException e) {
                LOG.warn("state cache {} cannot be written ({}); the next run lists every folder", run.config
                        .stateCache(), e.toString());
            }
        }

        /**
         * Whether host2's folder went from {@code before} (null: absent) to {@code after} by this
         * run's {@code copied} appends alone: nothing expunged, nothing else appended meanwhile.
         */
        private static boolean changedByCopyOnly(FolderStatus before, FolderStatus after, long copied) {
            if (!StateCache.usable(after)) {
                return false;
            }
            if (before == null) {
                return after.messages() == copied && after.uidNext() == copied + 1;
            }
            return before.uidValidity() == after.uidValidity() && after.messages() == before.messages() + copied
                    && after.uidNext() == before.uidNext() + copied;
        }
    }
}
