package io.github.imapbackup.imap;

import io.github.imapbackup.spi.SourceWaits;
import java.time.Duration;

/** The waits of one connection, its login included: counted as they happen, read as {@link SourceWaits}. */
final class WaitTally {

    private long throttleWaits;
    private long throttledNanos;
    private long pacedNanos;

    synchronized void throttled(long nanos) {
        throttleWaits++;
        throttledNanos += nanos;
    }

    synchronized void paced(long nanos) {
        pacedNanos += nanos;
    }

    synchronized SourceWaits snapshot() {
        return new SourceWaits(throttleWaits, Duration.ofNanos(throttledNanos), Duration.ofNanos(pacedNanos));
    }
}
