package io.github.imapbackup.imap;

import java.time.Duration;

/**
 * The clock and the sleep of a source's waits: the backoff after a throttling answer
 * ({@link Throttling}) and the pacing of its rate caps ({@link ImapSource.Builder#maxBytesPerSecond}).
 * {@link #system()} is the real one; tests pass one that records each sleep and moves its own
 * clock instead of waiting.
 *
 * <pre>{@code
 * final class FakeSleeper implements Sleeper {
 *     private long now;
 *     final List<Duration> sleeps = new ArrayList<>();
 *
 *     public synchronized long nanoTime() {
 *         return now;
 *     }
 *
 *     public synchronized void sleep(Duration d) {
 *         sleeps.add(d);
 *         now += d.toNanos();
 *     }
 * }
 * }</pre>
 */
public interface Sleeper {

    /** {@return the current value of a monotonic clock, in nanoseconds, as {@link System#nanoTime()}} */
    long nanoTime();

    /**
     * Waits for {@code duration}.
     *
     * @param duration how long, positive
     * @throws InterruptedException if the thread was interrupted meanwhile
     */
    void sleep(Duration duration) throws InterruptedException;

    /** {@return the real clock and {@link Thread#sleep}} */
    static Sleeper system() {
        return SystemSleeper.INSTANCE;
    }
}

/** {@link Sleeper#system()}. */
enum SystemSleeper implements Sleeper {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        long ms = duration.toMillis();
        int ns = (int) (duration.toNanos() - ms * 1_000_000);
        Thread.sleep(ms, Math.max(0, ns));
    }
}
