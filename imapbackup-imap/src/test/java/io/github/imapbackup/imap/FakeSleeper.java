package io.github.imapbackup.imap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link Sleeper} that does not wait: it records each sleep and moves its own clock by it. */
final class FakeSleeper implements Sleeper {

    private long now = 1_000_000_000L;
    private final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        now += duration.toNanos();
    }

    /** Moves the clock without a sleep (time spent working). */
    synchronized void advance(Duration d) {
        now += d.toNanos();
    }

    synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    synchronized Duration total() {
        return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
