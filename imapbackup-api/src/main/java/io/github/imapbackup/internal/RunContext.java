package io.github.imapbackup.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.spi.MessageTarget;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** What the folders of one run share: settings, listener, cancellation and the fail-fast failure. */
final class RunContext {

    final EngineConfig config;
    final boolean dryRun;
    /** The target of the run: read-only in a dry run. */
    final MessageTarget target;
    final SafeListener listener;
    private final AtomicBoolean cancelled;
    private final AtomicReference<BackupException> firstFailure = new AtomicReference<>();
    /** Run when a folder needs more than STATUS; starts the extra connections (see BackupEngine). */
    private volatile Runnable folderNeedsWork = () -> { };
    /**
     * The connections beyond the first that are not in use: an extra worker holds one while it
     * copies folders, a helper of a big folder while it fetches ahead (docs/ARCHITECTURE.md, "One
     * big folder on several connections").
     */
    final Semaphore spareConnections;
    /** A migration's state cache, set once the folders are selected. */
    volatile CachedFolders cache = CachedFolders.OFF;

    RunContext(EngineConfig config, AtomicBoolean cancelled) {
        this.config = config;
        this.dryRun = config.policy().dryRun();
        this.target = dryRun ? new DryRunTarget(config.target()) : config.target();
        this.listener = SafeListener.start(config.listenerFactory(), config.policy().command(), dryRun,
                config.clock().instant());
        this.cancelled = cancelled;
        this.spareConnections = new Semaphore(config.connections() - 1);
    }

    /** Throws when the run must stop at this boundary: cancelled, interrupted, or fail-fast. */
    void checkpoint() throws CancelledException {
        if (cancelled.get() || Thread.currentThread().isInterrupted() || firstFailure.get() != null) {
            throw new CancelledException();
        }
    }

    /** Asks every worker to stop at the next boundary (the caller's thread was interrupted). */
    void cancel() {
        cancelled.set(true);
    }

    boolean cancelled() {
        return cancelled.get();
    }

    /** Records a failure; with fail-fast the first one stops the run. */
    void failed(BackupException e) {
        if (config.failFast()) {
            firstFailure.compareAndSet(null, e);
        }
    }

    void onFolderNeedsWork(Runnable action) {
        folderNeedsWork = action;
    }

    /** Tells the run that a folder is opened: the first time, extra connections start. */
    void folderNeedsWork() {
        folderNeedsWork.run();
    }

    /** Returns the failure that stopped a fail-fast run, or null. */
    BackupException firstFailure() {
        return firstFailure.get();
    }
}
