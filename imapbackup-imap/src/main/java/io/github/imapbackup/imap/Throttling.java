package io.github.imapbackup.imap;

import java.time.Duration;
import java.util.Objects;

/**
 * How a source backs off when the server throttles it: answers a command with {@code NO} or
 * {@code BAD} carrying {@code [THROTTLED]}, {@code [LIMIT]}, {@code [UNAVAILABLE]} or
 * {@code [INUSE]}, Gmail's or Microsoft's words for "slow down", or says {@code * BYE} with them.
 * The source then waits and asks again: the same command on the same connection, or a new
 * connection after a BYE. The waits grow from {@link #initialDelay()} by doubling up to
 * {@link #maxDelay()}; each is drawn at random between half and all of that (jitter, so that
 * several connections do not come back at the same instant); a delay the server suggests
 * ({@code Suggested Backoff Time: N milliseconds}) is waited in full. One operation waits at most
 * {@link #maxWaits()} times and {@link #maxWaitTotal()} in all; then its folder fails with an
 * error saying that the server kept throttling. Immutable and thread-safe.
 *
 * <pre>{@code
 * ImapSource source = ImapSource.builder()
 *         .host("imap.example.org").user("alice").password(() -> secret.clone())
 *         .throttling(Throttling.builder()
 *                 .initialDelay(Duration.ofSeconds(2))
 *                 .maxWaitTotal(Duration.ofMinutes(30))
 *                 .build())
 *         .build();
 * }</pre>
 *
 * <p>See docs/ARCHITECTURE.md, "Throttling".
 */
public final class Throttling {

    /**
     * The default: from 1 s doubling to 60 s, at most 10 waits and 15 minutes per operation (about
     * 6 minutes when the server never suggests a delay).
     */
    public static final Throttling DEFAULT = builder().build();

    /** No backoff: a throttling answer fails the operation at once (with an error that says so). */
    public static final Throttling NONE = builder().maxWaits(0).build();

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final int maxWaits;
    private final Duration maxWaitTotal;

    private Throttling(Builder b) {
        this.initialDelay = b.initialDelay;
        this.maxDelay = b.maxDelay;
        this.maxWaits = b.maxWaits;
        this.maxWaitTotal = b.maxWaitTotal;
    }

    /** {@return a builder holding the defaults ({@link #DEFAULT})} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these settings, for a variation} */
    public Builder toBuilder() {
        return new Builder().initialDelay(initialDelay).maxDelay(maxDelay).maxWaits(maxWaits)
                .maxWaitTotal(maxWaitTotal);
    }

    /** {@return the first wait (before jitter)} */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** {@return the longest wait the doubling reaches (a delay the server suggests may be longer)} */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** {@return how many times one operation waits at most; 0: never} */
    public int maxWaits() {
        return maxWaits;
    }

    /** {@return how long one operation waits at most, all its waits together} */
    public Duration maxWaitTotal() {
        return maxWaitTotal;
    }

    /**
     * {@return the delay before the wait numbered {@code wait} (0 for the first), before jitter:
     * {@link #initialDelay()} doubled {@code wait} times, at most {@link #maxDelay()}}
     *
     * @param wait 0 or more
     */
    Duration delay(int wait) {
        Duration d = initialDelay;
        for (int i = 0; i < wait && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Throttling t && initialDelay.equals(t.initialDelay)
                && maxDelay.equals(t.maxDelay) && maxWaits == t.maxWaits && maxWaitTotal.equals(t.maxWaitTotal);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initialDelay, maxDelay, maxWaits, maxWaitTotal);
    }

    @Override
    public String toString() {
        return maxWaits == 0 ? "Throttling[none]" : "Throttling[from " + initialDelay + " doubling to " + maxDelay
                + ", at most " + maxWaits + " waits and " + maxWaitTotal + " per operation]";
    }

    /** Builds {@link Throttling}. Not thread-safe. */
    public static final class Builder {

        private Duration initialDelay = Duration.ofSeconds(1);
        private Duration maxDelay = Duration.ofSeconds(60);
        private int maxWaits = 10;
        private Duration maxWaitTotal = Duration.ofMinutes(15);

        private Builder() { }

        /**
         * Sets the first wait (default 1 s).
         *
         * @param delay from 1 ms to 1 hour
         * @return this builder
         */
        public Builder initialDelay(Duration delay) {
            this.initialDelay = check(delay, "initialDelay");
            return this;
        }

        /**
         * Sets the longest wait the doubling reaches (default 60 s).
         *
         * @param delay from 1 ms to 1 hour
         * @return this builder
         */
        public Builder maxDelay(Duration delay) {
            this.maxDelay = check(delay, "maxDelay");
            return this;
        }

        /**
         * Sets how many times one operation waits at most (default 10); 0 turns backoff off.
         *
         * @param waits from 0 to 1000
         * @return this builder
         */
        public Builder maxWaits(int waits) {
            if (waits < 0 || waits > 1000) {
                throw new IllegalArgumentException("maxWaits must be from 0 to 1000: " + waits);
            }
            this.maxWaits = waits;
            return this;
        }

        /**
         * Sets how long one operation waits at most, all its waits together (default 15 minutes).
         *
         * @param total from 1 ms to 24 hours
         * @return this builder
         */
        public Builder maxWaitTotal(Duration total) {
            Objects.requireNonNull(total, "maxWaitTotal");
            if (total.isNegative() || total.isZero() || total.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("maxWaitTotal must be from 1 ms to 24 hours: " + total);
            }
            this.maxWaitTotal = total;
            return this;
        }

        private static Duration check(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.toMillis() < 1 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(what + " must be from 1 ms to 1 hour: " + d);
            }
            return d;
        }

        /**
         * {@return the settings}
         *
         * @throws IllegalStateException if the initial delay is above the longest
         */
        public Throttling build() {
            if (initialDelay.compareTo(maxDelay) > 0) {
                throw new IllegalStateException("initialDelay " + initialDelay + " is above maxDelay " + maxDelay);
            }
            return new Throttling(this);
        }
    }
}
