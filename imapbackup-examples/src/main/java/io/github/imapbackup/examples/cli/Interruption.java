package io.github.imapbackup.examples.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM during work that can stop at a message boundary: a shutdown hook
 * says so on stderr, asks the work to stop, and holds the JVM's exit until {@link #close()} (the
 * command has saved, reported and printed what it did), or a grace period at most.
 */
final class Interruption implements AutoCloseable {

    private static final long GRACE_SECONDS = 20;

    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);

    private Interruption(String note, Runnable cancel, PrintStream err) {
        this.hook = new Thread(() -> {
            err.println();
            err.println(note);
            cancel.run();
            try {
                finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "imapbackup-cancel");
    }

    /**
     * Installs the hook.
     *
     * @param note what stderr says at once, e.g. {@code imapbackup export: interrupted; …}
     * @param cancel asks the work to stop
     * @param err where the note goes
     * @return the installed interruption; close it when done
     */
    static Interruption install(String note, Runnable cancel, PrintStream err) {
        Interruption i = new Interruption(note, cancel, err);
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** Lets the JVM exit (when it is shutting down) or removes the hook. Idempotent. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (and returns at once)
        }
    }
}
