package io.github.imapbackup.imap;

/**
 * A token bucket shared by the connections of one source: {@code perSecond} units a second, with
 * bursts of at most one second's worth (or one unit). A caller takes what it needs at once and is
 * told how long to wait for the debt to be paid, so a big amount (one large chunk) is paced as
 * well as many small ones, and callers on several threads share the rate.
 */
final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final Sleeper clock;
    private double available;
    private long last;
    private boolean started;

    RateLimiter(double perSecond, Sleeper clock) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        this.perSecond = perSecond;
        this.burst = Math.max(1, perSecond);
        this.clock = clock;
    }

    /**
     * Takes {@code amount} units.
     *
     * @return how long the caller waits before using them, in nanoseconds (0: at once)
     */
    synchronized long reserve(double amount) {
        long now = clock.nanoTime();
        if (!started) {
            started = true;
            available = burst;
        } else {
            available = Math.min(burst, available + (now - last) / 1e9 * perSecond);
        }
        last = now;
        available -= amount;
        return available >= 0 ? 0 : (long) Math.ceil(-available / perSecond * 1e9);
    }
}
