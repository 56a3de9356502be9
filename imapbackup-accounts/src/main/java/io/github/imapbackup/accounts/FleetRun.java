package io.github.imapbackup.accounts;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.mbox.BackupLock;
import io.github.imapbackup.mbox.DirectoryLockedException;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the accounts in parallel within the connection limits: in the configuration's order, each
 * account as soon as its connections are free (a later, smaller account may start while an earlier
 * one waits for more). One account's failure never touches another's.
 */
final class FleetRun {

    private static final Logger LOG = LoggerFactory.getLogger(FleetRun.class);

    private final List<AccountJob> jobs;
    private final Permits permits;
    private final boolean dryRun;
    private final String command;
    private final AccountsListener listener;
    private final Set<BackupSession> running = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    FleetRun(List<AccountJob> jobs, Permits permits, boolean dryRun, String command, AccountsListener listener) {
        this.jobs = List.copyOf(jobs);
        this.permits = permits;
        this.dryRun = dryRun;
        this.command = command;
        this.listener = listener;
    }

    /** Runs every account; returns their results in the jobs' order. */
    List<AccountResult> run() throws InterruptedException {
        AccountResult[] results = new AccountResult[jobs.size()];
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "imapbackup-account-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            LinkedList<Integer> pending = new LinkedList<>();
            for (int i = 0; i < jobs.size(); i++) {
                pending.add(i);
            }
            int[] finished = {0};
            synchronized (permits) {
                while (finished[0] < jobs.size()) {
                    boolean startedAny = false;
                    for (Iterator<Integer> it = pending.iterator(); it.hasNext() && !cancelled;) {
                        int i = it.next();
                        AccountJob job = jobs.get(i);
                        int n = permits.cap(job.connections());
                        if (permits.tryAcquire(job.host(), n)) {
                            it.remove();
                            startedAny = true;
                            pool.execute(() -> {
                                try {
                                    results[i] = one(job, n);
                                } finally {
                                    synchronized (permits) {
                                        finished[0]++;
                                        permits.release(job.host(), n);
                                    }
                                }
                            });
                        }
                    }
                    if (cancelled) {
                        for (int i : pending) {
                            results[i] = AccountResult.failed(jobs.get(i).name(), jobs.get(i).store().root(),
                                    "not started: the run was cancelled", 1);
                            finished[0]++;
                        }
                        pending.clear();
                    }
                    if (!startedAny && finished[0] < jobs.size()) {
                        permits.wait();
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        LOG.debug("accounts finished; at most {} connections at once, {} on one host", permits.peak(),
                permits.peakOnOneHost());
        return List.of(results);
    }

    /** Stops the running accounts at their next boundary and starts no other. */
    void cancel() {
        cancelled = true;
        running.forEach(BackupSession::cancel);
        synchronized (permits) {
            permits.notifyAll();
        }
    }

    private AccountResult one(AccountJob job, int connections) {
        String name = job.name();
        // log lines name their account when the thread name is shown (docs/CLI.md, "Logging")
        Thread.currentThread().setName("account " + name);
        safely(() -> listener.accountStarted(name, job.store().root()));
        AccountResult result = backUp(job);
        safely(() -> listener.accountFinished(result));
        LOG.debug("account {}: exit status {} ({} connections)", name, result.exitStatus(), connections);
        return result;
    }

    private AccountResult backUp(AccountJob job) {
        String name = job.name();
        java.nio.file.Path dir = job.store().root();
        BackupSession session;
        try {
            BackupListener progress = listener.backupListener(name);
            session = job.session().create(job.store(), progress == null ? BackupListener.NONE : progress);
        } catch (BackupException | RuntimeException e) {
            return AccountResult.failed(name, dir, message(e), 2);
        }
        running.add(session);
        BackupLock lock = null;
        try {
            if (cancelled) {
                return AccountResult.failed(name, dir, "not started: the run was cancelled", 1);
            }
            if (dryRun) {
                BackupReport r = session.plan();
                return AccountResult.of(name, dir, r, null, r.hasFailures() ? 1 : 0);
            }
            lock = job.store().lock(command);
            BackupReport r = session.run();
            return AccountResult.of(name, dir, r, null, r.hasFailures() ? 1 : 0);
        } catch (DirectoryLockedException e) {
            return AccountResult.failed(name, dir, e.getMessage(), 2);
        } catch (AuthenticationException e) {
            return AccountResult.failed(name, dir, naming("authentication refused", job.host(), message(e)), 3);
        } catch (ConnectionException e) {
            return AccountResult.failed(name, dir, naming("cannot connect", job.host(), message(e)), 3);
        } catch (CancelledException e) {
            return e.report().map(r -> AccountResult.of(name, dir, r, "cancelled", 1))
                    .orElseGet(() -> AccountResult.failed(name, dir, "cancelled", 1));
        } catch (BackupException e) {
            return e.report().map(r -> AccountResult.of(name, dir, r, message(e), 1))
                    .orElseGet(() -> AccountResult.failed(name, dir, message(e), 1));
        } catch (RuntimeException e) {
            LOG.debug("internal error in account {}", name, e);
            return AccountResult.failed(name, dir, "internal error: " + e, 1);
        } finally {
            running.remove(session);
            if (lock != null) {
                lock.close();
            }
        }
    }

    /** {@code what by host: message}, or {@code what: message} when the message names the host already. */
    private static String naming(String what, String host, String message) {
        return message.startsWith(host) ? what + ": " + message : what + " (" + host + "): " + message;
    }

    private static String message(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    private static void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("An accounts listener failed (the run goes on): {}", e.toString());
        }
    }
}
