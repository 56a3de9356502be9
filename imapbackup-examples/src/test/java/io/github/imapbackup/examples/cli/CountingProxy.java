package io.github.imapbackup.examples.cli;

import io.github.imapbackup.testing.net.TcpProxy;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

    /** Sees the bytes passing one connection in one direction, before they are passed on. */
    interface Tap {
        /**
         * Called with each chunk read.
         *
         * @param connection a number per connection (from 1)
         * @param fromClient the direction
         * @param bytes the buffer
         * @param n how many bytes of it were read
         */
        void seen(int connection, boolean fromClient, byte[] bytes, int n);

        /** Called when one direction of a connection has ended. */
        default void ended(int connection, boolean fromClient) { }
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
        this(address, targetPort, all, (connection, fromClient, bytes, n) -> { });
    }

    /** A proxy on 127.0.0.1 whose tap sees every byte passing. */
    CountingProxy(int targetPort, Tap tap) {
        this("127.0.0.1", targetPort, new Counter(), tap);
    }

    private CountingProxy(String address, int targetPort, Counter all, Tap tap) {
        this.proxy = TcpProxy.start(address, targetPort, c -> {
            all.opened();
            return new TcpProxy.Link() {
                @Override
                public void upstream(InputStream fromClient, OutputStream toServer) throws IOException {
                    pump(c.number(), true, fromClient, toServer);
                }

                @Override
                public void downstream(InputStream fromServer, OutputStream toClient) throws IOException {
                    pump(c.number(), false, fromServer, toClient);
                }

                private void pump(int id, boolean fromClient, InputStream in, OutputStream out) throws IOException {
                    byte[] buf = new byte[16384];
                    try {
                        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                            tap.seen(id, fromClient, buf, n);
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } finally {
                        tap.ended(id, fromClient);
                    }
                }

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
