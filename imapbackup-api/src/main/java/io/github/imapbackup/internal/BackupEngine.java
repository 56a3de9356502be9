package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.spi.SourceConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one copy (or dry run) from a source to a target as its {@link EngineConfig} says: connects,
 * selects the folders, copies them (several in parallel, one connection each), builds the report.
 */
public final class BackupEngine {

    private static final Logger LOG = LoggerFactory.getLogger(BackupEngine.class);

    private final EngineConfig config;
    private final String command;
    private final RunContext run;

    /**
     * Creates the engine for one run.
     *
     * @param config the settings, with the direction's policy (a dry run included)
     * @param cancelled set to stop the run at the next message boundary
     */
    public BackupEngine(EngineConfig config, AtomicBoolean cancelled) {
        this.config = config;
        this.command = config.policy().command();
        this.run = new RunContext(config, cancelled);
    }

    /**
     * Runs.
     *
     * @return the report
     * @throws io.github.imapbackup.ConnectionException if the source cannot be reached
     * @throws CancelledException if cancelled or interrupted
     * @throws BackupException with fail-fast, the first failure
     */
    public BackupReport run() throws BackupException {
        LOG.debug("{} of {}{}", command, config.source().describe(), run.dryRun ? " (dry run)" : "");
        SourceConnection first;
        List<FolderInfo> folders;
        List<FolderReport> missing = new ArrayList<>();
        try {
            first = config.source().connect();
        } catch (BackupException e) {
            throw failed(e);
        }
        try {
            config.target().checkAccess();
        } catch (BackupException e) {
            try {
                first.close();
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw failed(e);
        }
        try (ConnectionHolder firstHolder = new ConnectionHolder(config.source(), first)) {
            FolderSelector.Selection selection;
            try {
                selection = FolderSelector.select(first.folders(), config);
            } catch (BackupException e) {
                throw failed(e);
            }
            folders = selection.folders();
            try {
                // the whole mapping checked before any folder is created or copied
                run.target.prepare(folders, first.personalPrefix());
            } catch (BackupException e) {
                throw failed(e);
            }
            selection.problems().forEach((name, problem) -> {
                missing.add(FolderReport.failure(name, problem));
                LOG.warn("{}", problem);
            });
            run.cache = CachedFolders.start(run, folders);
            FolderBackup.Outcome[] outcomes = new FolderBackup.Outcome[folders.size()];
            boolean interrupted = backupAll(folders, outcomes, firstHolder);
            run.cache.finish();
            List<FolderReport> reports = new ArrayList<>(missing);
            boolean cancelled = collect(outcomes, reports) || interrupted;
            BackupException stop = run.firstFailure();
            boolean cut = cancelled || run.cancelled();
            List<ReportError> errors = new ArrayList<>();
            if (stop == null && !cut) {
                FolderPruning.prune(run, folders, reports, errors);
            }
            BackupReport report = finish(stop != null ? Outcome.FAILED
                    : cut ? Outcome.CANCELLED : Outcome.COMPLETED, reports, errors);
            if (stop != null) {
                throw stop.initReport(report);
            }
            if (cut) {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                throw new CancelledException(report);
            }
            return report;
        }
    }

    /** Adds the folders' reports; returns whether the run was cancelled during one of them. */
    private static boolean collect(FolderBackup.Outcome[] outcomes, List<FolderReport> reports) {
        boolean cancelled = false;
        for (FolderBackup.Outcome o : outcomes) {
            if (o != null) {
                if (o.report() != null) {
                    reports.add(o.report());
                }
                cancelled |= o.cancelled();
            }
        }
        return cancelled;
    }

    /**
     * {@return the failure of the run before any folder, with its report; once the run is
     * cancelled (the cancel closes the connections), a {@link CancelledException} instead}
     */
    private BackupException failed(BackupException e) {
        if (run.cancelled()) {
            LOG.debug("stopped by the cancel: {}", e.getMessage());
            return new CancelledException(finish(Outcome.CANCELLED, List.of(), List.of()));
        }
        return e.initReport(finish(Outcome.FAILED, List.of(), List.of(ReportError.of(null, e))));
    }

    private BackupReport finish(Outcome outcome, List<FolderReport> folders, List<ReportError> errors) {
        return run.listener.finish(outcome, folders, errors, config.clock().instant());
    }


    /** Backs up the folders; returns whether the calling thread was interrupted meanwhile. */
    private boolean backupAll(List<FolderInfo> folders, FolderBackup.Outcome[] outcomes,
            ConnectionHolder firstHolder) {
        int workers = Math.min(config.connections(), folders.size());
        AtomicInteger next = new AtomicInteger();
        if (workers <= 1) {
            work(folders, identity(folders.size()), outcomes, next, firstHolder);
            return false;
        }
        int[] order = folderOrder(folders, firstHolder);
        // the extra connections start when the first folder needs more than STATUS: a run with
        // nothing new stays on one connection (no second login, no second TLS handshake)
        ExecutorService pool = Executors.newFixedThreadPool(workers - 1, new WorkerThreads());
        List<Future<?>> futures = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean started = new AtomicBoolean();
        run.onFolderNeedsWork(() -> {
            if (next.get() >= folders.size() || !started.compareAndSet(false, true)) {
                return;
            }
            // no more extra connections than folders not yet taken
            int extra = Math.min(workers - 1, folders.size() - next.get());
            startExtraWorkers(pool, extra, futures, folders, order, outcomes, next);
        });
        work(folders, order, outcomes, next, firstHolder);
        pool.shutdown();
        boolean interrupted = Thread.interrupted();
        if (interrupted) {
            run.cancel();
        }
        for (Future<?> f : List.copyOf(futures)) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    run.cancel();
                } catch (ExecutionException e) {
                    LOG.warn("a backup worker failed", e.getCause());
                    break;
                }
            }
        }
        return interrupted;
    }

    private void startExtraWorkers(ExecutorService pool, int extra, List<Future<?>> futures,
            List<FolderInfo> folders, int[] order, FolderBackup.Outcome[] outcomes, AtomicInteger next) {
        for (int i = 0; i < extra && run.spareConnections.tryAcquire(); i++) {
            futures.add(pool.submit(() -> {
                try (ConnectionHolder own = new ConnectionHolder(config.source(), null)) {
                    try {
                        own.get();
                    } catch (BackupException e) {
                        LOG.warn("cannot open an extra connection to {}: {}", config.source().describe(),
                                e.getMessage());
                        return;
                    }
                    work(folders, order, outcomes, next, own);
                } finally {
                    // no folder left for this connection: a big folder may use it to fetch ahead
                    run.spareConnections.release();
                }
            }));
        }
    }

    /**
     * Takes folders from the shared list, in {@code order}, until none is left or the run stops;
     * each outcome goes to the folder's place in the list, so the report keeps the listing's order.
     */
    private void work(List<FolderInfo> folders, int[] order, FolderBackup.Outcome[] outcomes, AtomicInteger next,
            ConnectionHolder connection) {
        int k;
        while ((k = next.getAndIncrement()) < folders.size()) {
            int i = order[k];
            FolderBackup.Outcome o = new FolderBackup(run, folders.get(i), connection).run();
            outcomes[i] = o;
            if (o.cancelled()) {
                return;
            }
        }
    }

    /**
     * Returns the order in which several connections take the folders: the smallest folder with
     * messages first, then the most messages first, as the listing counted them
     * ({@link SourceConnection#listedMessages}), ties in the listing's order. The connections then
     * end together, on small folders, rather than one of them alone on a big folder that came last
     * (docs/ARCHITECTURE.md, "Folder order"). The listing's order when it did not count every folder.
     */
    private static int[] folderOrder(List<FolderInfo> folders, ConnectionHolder first) {
        long[] counts = new long[folders.size()];
        try {
            SourceConnection c = first.get();
            for (int i = 0; i < counts.length; i++) {
                OptionalLong n = c.listedMessages(folders.get(i));
                if (n.isEmpty()) {
                    return identity(counts.length);
                }
                counts[i] = n.getAsLong();
            }
        } catch (BackupException | RuntimeException e) {
            LOG.debug("folders taken in the listing's order: {}", e.toString());
            return identity(counts.length);
        }
        int[] order = IntStream.range(0, counts.length).boxed()
                .sorted(Comparator.comparingLong((Integer i) -> counts[i]).reversed())
                .mapToInt(Integer::intValue).toArray();
        // the first folder is the smallest with messages: the first connection's bodies then flow
        // while the others log in and list the biggest (a big folder's listing takes a cold JVM a
        // quarter of a second)
        for (int k = order.length - 1; k > 0; k--) {
            if (counts[order[k]] > 0) {
                int smallest = order[k];
                System.arraycopy(order, 0, order, 1, k);
                order[0] = smallest;
                break;
            }
        }
        return order;
    }

    private static int[] identity(int n) {
        return IntStream.range(0, n).toArray();
    }

    /** Names the worker threads; daemons, so a stuck server cannot keep the JVM alive. */
    private static final class WorkerThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "imapbackup-worker-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
