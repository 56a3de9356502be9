package io.github.imapbackup.examples.cli;

import io.github.imapbackup.testing.net.TcpProxy;
import java.io.Closeable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a test server that counts the connections open at once, at this server
 * and (with the {@link Counter} it shares with other proxies) at all of them: what a server sees of
 * a client's connection limits. A {@link TcpProxy} with a counting link.
 */
final class CountingProxy implements Closeable {

    /** Connections open at once, and the most there were. */
    static final class Counter {
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicInteger peak = new AtomicInteger();
        private final AtomicInteger total = new AtomicInteger();

        void opened() {
            total.incrementAndGet();
            peak.accumulateAndGet(open.incrementAndGet(), Math::max);
        }

        void closed() {
            open.decrementAndGet();
        }

        int peak() {
            return peak.get();
        }

        int total() {
            return total.get();
        }
    }

    private final TcpProxy proxy;

    /**
     * Starts a proxy.
     *
     * @param address the loopback address to listen on (127.0.0.1, 127.0.0.2, ...: a host of its own)
     * @param targetPort the server's port on 127.0.0.1
     * @param all the counter shared with the other proxies
     */
    CountingProxy(String address, int targetPort, Counter all) {
        this.proxy = TcpProxy.start(address, targetPort, c -> {
            all.opened();
            return new TcpProxy.Link() {
                @Override
                public void closed() {
                    all.closed();
                }
            };
        });
    }

    int port() {
        return proxy.port();
    }

    /** {@return the most connections that were open at once at this server} */
    int peak() {
        return proxy.peakConnections();
    }

    /** {@return how many connections were made to this server} */
    int total() {
        return proxy.connections();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
