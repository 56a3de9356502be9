package io.github.imapbackup.accounts;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The connection limits of a run: a total, and optionally one per host. An account that uses N
 * connections holds N of the total and N of its host's while it runs. Guarded by its own monitor,
 * which waiters use ({@link #wait()}) until a {@link #release} wakes them.
 */
final class Permits {

    private final int total;
    /** The limit per host, or 0 for none. */
    private final int perHost;
    private int used;
    private final Map<String, Integer> usedByHost = new HashMap<>();
    /** The most connections held at once, in all and on one host (for tests and the log). */
    private int peak;
    private int peakOnOneHost;

    Permits(int total, int perHost) {
        if (total < 1 || perHost < 0) {
            throw new IllegalArgumentException("limits " + total + "/" + perHost);
        }
        this.total = total;
        this.perHost = perHost;
    }

    /** Returns the most connections one account may hold: its own number within the limits. */
    int cap(int connections) {
        int n = Math.min(Math.max(1, connections), total);
        return perHost > 0 ? Math.min(n, perHost) : n;
    }

    /** Takes {@code n} connections on {@code host} if they are free; returns whether it did. */
    synchronized boolean tryAcquire(String host, int n) {
        String key = key(host);
        int onHost = usedByHost.getOrDefault(key, 0);
        if (used + n > total || perHost > 0 && onHost + n > perHost) {
            return false;
        }
        used += n;
        usedByHost.put(key, onHost + n);
        peak = Math.max(peak, used);
        peakOnOneHost = Math.max(peakOnOneHost, onHost + n);
        return true;
    }

    /** Gives back what {@link #tryAcquire} took, and wakes the waiters. */
    synchronized void release(String host, int n) {
        String key = key(host);
        used -= n;
        usedByHost.merge(key, -n, Integer::sum);
        notifyAll();
    }

    synchronized int peak() {
        return peak;
    }

    synchronized int peakOnOneHost() {
        return peakOnOneHost;
    }

    private static String key(String host) {
        return host.toLowerCase(Locale.ROOT);
    }
}
