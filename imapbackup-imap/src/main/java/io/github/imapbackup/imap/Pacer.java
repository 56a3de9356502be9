package io.github.imapbackup.imap;

import java.time.Duration;

/**
 * The rate caps of one source ({@link ImapSource.Builder#maxBytesPerSecond},
 * {@link ImapSource.Builder#maxMessagesPerSecond}) as one connection meets them: the buckets are
 * the source's, shared by all its connections; the time waited is counted for this connection.
 * An interrupted wait ends early with the thread's interrupt flag set, a cancelled one
 * ({@link ImapSource#cancelWaits()}) early without; either way the engine stops at the next
 * message.
 */
final class Pacer {

    private final RateLimiter bytes;
    private final RateLimiter messages;
    private final WaitGate sleeper;
    private final WaitTally tally;

    Pacer(RateLimiter bytes, RateLimiter messages, WaitGate sleeper, WaitTally tally) {
        this.bytes = bytes;
        this.messages = messages;
        this.sleeper = sleeper;
        this.tally = tally;
    }

    /** Waits as long as reading {@code n} more bytes requires. */
    void bytes(long n) {
        if (bytes != null && n > 0) {
            pause(bytes.reserve(n));
        }
    }

    /** Waits as long as fetching one more message requires. */
    void message() {
        if (messages != null) {
            pause(messages.reserve(1));
        }
    }

    private void pause(long nanos) {
        if (nanos <= 0 || Thread.currentThread().isInterrupted()) {
            return;
        }
        long start = sleeper.nanoTime();
        try {
            sleeper.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tally.paced(Math.max(0, sleeper.nanoTime() - start));
    }
}
