package io.github.imapbackup.imap;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The waits of one source, on its {@link Sleeper}: {@link #cancel()} ends those in progress (a
 * cancelled run stops at once, not after a backoff of minutes), and leaves later ones alone. With
 * the system sleeper the wait is on a monitor that the cancel wakes; another sleeper (a test's)
 * is only asked whether the wait was cancelled meanwhile.
 */
final class WaitGate {

    private final Sleeper sleeper;
    private final Object lock = new Object();
    /** Raised by each cancel: a wait that began under an older value was cancelled. */
    private long generation;

    WaitGate(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    long nanoTime() {
        return sleeper.nanoTime();
    }

    /**
     * Waits for {@code duration}.
     *
     * @return true when the wait ran its course, false when it was cancelled
     * @throws InterruptedException if the thread was interrupted meanwhile
     */
    boolean sleep(Duration duration) throws InterruptedException {
        long started;
        synchronized (lock) {
            started = generation;
        }
        if (sleeper != Sleeper.system()) {
            sleeper.sleep(duration);
            synchronized (lock) {
                return generation == started;
            }
        }
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (lock) {
            while (generation == started) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return false;
        }
    }

    /** Ends the waits in progress. */
    void cancel() {
        synchronized (lock) {
            generation++;
            lock.notifyAll();
        }
    }
}
