package io.github.imapbackup.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a connection to a source waited instead of working: because the server throttled it
 * (it answered "slow down", and the source backed off and tried again), and because a rate cap
 * of the source paced it. The engine reports the figures of each folder
 * ({@link io.github.imapbackup.Counters#throttleWaits()}).
 *
 * <pre>{@code
 * SourceWaits before = connection.waits();
 * // ... work on a folder ...
 * SourceWaits folder = connection.waits().minus(before);
 * }</pre>
 *
 * @param throttleWaits how many times the source waited because the server throttled it
 * @param throttled how long those waits took in all
 * @param paced how long the source waited to keep to its rate caps
 */
public record SourceWaits(long throttleWaits, Duration throttled, Duration paced) {

    /** No wait at all. */
    public static final SourceWaits NONE = new SourceWaits(0, Duration.ZERO, Duration.ZERO);

    /**
     * Validates.
     *
     * @param throttleWaits 0 or more
     * @param throttled not negative
     * @param paced not negative
     */
    public SourceWaits {
        Objects.requireNonNull(throttled, "throttled");
        Objects.requireNonNull(paced, "paced");
        if (throttleWaits < 0 || throttled.isNegative() || paced.isNegative()) {
            throw new IllegalArgumentException("negative waits: " + throttleWaits + ", " + throttled + ", " + paced);
        }
    }

    /**
     * {@return the sum of this and {@code other}}
     *
     * @param other the waits to add
     */
    public SourceWaits plus(SourceWaits other) {
        return new SourceWaits(Math.addExact(throttleWaits, other.throttleWaits), throttled.plus(other.throttled),
                paced.plus(other.paced));
    }

    /**
     * {@return what this holds beyond {@code earlier} (never negative)}
     *
     * @param earlier figures taken before these
     */
    public SourceWaits minus(SourceWaits earlier) {
        return new SourceWaits(Math.max(0, throttleWaits - earlier.throttleWaits), max0(throttled.minus(earlier.throttled)),
                max0(paced.minus(earlier.paced)));
    }

    /** {@return whether there was no wait} */
    public boolean none() {
        return throttleWaits == 0 && throttled.isZero() && paced.isZero();
    }

    private static Duration max0(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
