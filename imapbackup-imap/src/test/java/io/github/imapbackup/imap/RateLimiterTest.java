package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The token bucket of the rate caps, on a fake clock. */
class RateLimiterTest {

    private final FakeSleeper clock = new FakeSleeper();

    @Test
    void aBurstOfOneSecondIsFreeThenTheRateHolds() {
        RateLimiter bucket = new RateLimiter(1000, clock);
        assertThat(bucket.reserve(1000)).isZero();
        // the bucket is empty: 500 more take half a second
        assertThat(bucket.reserve(500)).isEqualTo(500_000_000L);
        clock.advance(Duration.ofMillis(500));
        // paid; after 2 s idle the bucket holds one second's worth again, not two
        clock.advance(Duration.ofSeconds(2));
        assertThat(bucket.reserve(1000)).isZero();
        assertThat(bucket.reserve(1)).isEqualTo(1_000_000L);
    }

    @Test
    void oneAmountBiggerThanTheBurstWaitsForAllOfIt() {
        RateLimiter bucket = new RateLimiter(1024, clock);
        // a 1 MiB chunk at 1 KiB/s: 1023 seconds beyond the burst
        assertThat(Duration.ofNanos(bucket.reserve(1 << 20))).isEqualTo(Duration.ofSeconds(1023));
    }

    @Test
    void callersShareTheRate() {
        RateLimiter bucket = new RateLimiter(2, clock);
        assertThat(bucket.reserve(1)).isZero();
        assertThat(bucket.reserve(1)).isZero();
        // two more callers at once: the first waits half a second, the second a whole one
        assertThat(bucket.reserve(1)).isEqualTo(500_000_000L);
        assertThat(bucket.reserve(1)).isEqualTo(1_000_000_000L);
    }

    @Test
    void aSlowRateStillLetsOneUnitThrough() {
        RateLimiter bucket = new RateLimiter(0.5, clock);
        assertThat(bucket.reserve(1)).isZero();
        assertThat(bucket.reserve(1)).isEqualTo(2_000_000_000L);
    }

    @Test
    void theRateMustBePositive() {
        assertThatThrownBy(() -> new RateLimiter(0, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RateLimiter(Double.NaN, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
