package io.github.imapbackup.testing.imap;

import io.github.imapbackup.testing.net.TcpProxy;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fault-injecting TCP proxy between an IMAP client and a real server (plain IMAP, no TLS): it
 * understands just enough IMAP to find lines, literals, commands and tagged answers in both
 * directions, and injects the {@link Fault}s it is given: a connection cut in the middle of a
 * literal, reset, stalled, dripping, an injected {@code * BYE}, a delayed greeting, a command
 * refused with {@code NO}/{@code BAD} and a response code. Everything else passes unchanged.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(dovecot.port())) {
 *     proxy.add(Fault.literal("FETCH", 5, 2000).cut());
 *     runBackupAgainst(proxy.host(), proxy.port());
 *     assertThat(proxy.injected()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Faults can be added and cleared while clients are connected.
 */
public final class FaultProxy implements Closeable {

    private final TcpProxy proxy;
    private final List<Armed> faults = new CopyOnWriteArrayList<>();
    private final List<String> injections = new CopyOnWriteArrayList<>();
    private final Object stalls = new Object();
    private long releases;
    private volatile boolean closed;

    private FaultProxy(int targetPort) {
        this.proxy = TcpProxy.start("127.0.0.1", targetPort, c -> new ImapFaultLink(this, c));
    }

    /**
     * Starts a proxy on a free loopback port in front of a server on 127.0.0.1.
     *
     * @param targetPort the server's (plain IMAP) port
     * @return the running proxy, without faults
     */
    public static FaultProxy start(int targetPort) {
        return new FaultProxy(targetPort);
    }

    /** {@return the host clients connect to} */
    public String host() {
        return proxy.host();
    }

    /** {@return the port clients connect to} */
    public int port() {
        return proxy.port();
    }

    /** {@return how many connections were made through this proxy} */
    public int connections() {
        return proxy.connections();
    }

    /**
     * Adds a fault.
     *
     * @param fault the fault
     * @return this proxy
     */
    public FaultProxy add(Fault fault) {
        faults.add(new Armed(fault));
        return this;
    }

    /** Removes every fault (the ones in progress, a stall, go on until {@link #release()}). */
    public void clear() {
        faults.clear();
    }

    /** Ends the stalls in progress: those connections forward again. */
    public void release() {
        synchronized (stalls) {
            releases++;
            stalls.notifyAll();
        }
    }

    /** {@return how many faults were injected} */
    public int injected() {
        return injections.size();
    }

    /** {@return a line per fault injected: the connection, the fault, where exactly} */
    public List<String> injections() {
        return List.copyOf(injections);
    }

    /** Stops accepting, ends the stalls and closes every connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        release();
        proxy.close();
    }

    /**
     * Returns the fault that strikes at this occurrence, counting it for every fault of its kind;
     * null when none strikes.
     */
    Fault strike(Fault.Where where, String name, TcpProxy.Connection c, String detail) {
        Fault hit = null;
        for (Armed a : faults) {
            if (a.fault.where == where && a.matches(name) && a.count(c.number()) && hit == null) {
                hit = a.fault;
            }
        }
        if (hit != null) {
            injections.add("connection " + c.number() + ": " + hit + (detail.isEmpty() ? "" : " (" + detail + ")"));
        }
        return hit;
    }

    /** {@return the smallest byte count of a {@link Fault.Where#BYTES} fault still armed for this connection, or -1} */
    long nextByteMark(TcpProxy.Connection c, long after) {
        long best = -1;
        for (Armed a : faults) {
            if (a.fault.where == Fault.Where.BYTES && a.fault.offset >= after && a.mayStrike(c.number())
                    && (best < 0 || a.fault.offset < best)) {
                best = a.fault.offset;
            }
        }
        return best;
    }

    /** Waits until released, closed, or the connection closed. */
    void stall(TcpProxy.Connection c) {
        synchronized (stalls) {
            long at = releases;
            while (at == releases && !closed && !c.isClosed()) {
                try {
                    stalls.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** A fault with its counts. */
    private static final class Armed {
        private final Fault fault;
        private int seen;
        private int struck;
        private final Map<Integer, int[]> perConnection = new HashMap<>();

        Armed(Fault fault) {
            this.fault = fault;
        }

        boolean matches(String name) {
            return fault.name == null || name != null && (fault.where == Fault.Where.LITERAL
                    ? name.contains(fault.name) : name.equals(fault.name));
        }

        /** Counts an occurrence; returns whether the fault strikes at it. */
        synchronized boolean count(int connection) {
            if (!fault.appliesTo(connection)) {
                return false;
            }
            int[] counts = fault.eachConnection ? perConnection.computeIfAbsent(connection, k -> new int[2])
                    : null;
            int s = counts == null ? ++seen : ++counts[0];
            int done = counts == null ? struck : counts[1];
            if (s < fault.nth || done >= fault.times) {
                return false;
            }
            if (counts == null) {
                struck++;
            } else {
                counts[1]++;
            }
            return true;
        }

        synchronized boolean mayStrike(int connection) {
            if (!fault.appliesTo(connection)) {
                return false;
            }
            int[] counts = perConnection.get(connection);
            return fault.eachConnection ? counts == null || counts[1] < fault.times : struck < fault.times;
        }
    }

    @Override
    public String toString() {
        List<String> armed = new ArrayList<>();
        faults.forEach(a -> armed.add(a.fault.toString()));
        return "FaultProxy[" + host() + ":" + port() + ", " + armed + ", injected " + injections + "]";
    }
}
