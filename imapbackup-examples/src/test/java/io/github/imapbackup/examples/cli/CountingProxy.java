package io.github.imapbackup.examples.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a test server that counts the connections open at once, at this server
 * and (with the {@link Counter} it shares with other proxies) at all of them: what a server sees of
 * a client's connection limits.
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

    private final ServerSocket listener;
    private final int targetPort;
    private final Tap tap;
    private final Counter here = new Counter();
    private final Counter all;

    /**
     * Starts a proxy.
     *
     * @param address the loopback address to listen on (127.0.0.1, 127.0.0.2, ...: a host of its own)
     * @param targetPort the server's port on 127.0.0.1
     * @param all the counter shared with the other proxies
     */
    CountingProxy(String address, int targetPort, Counter all) throws IOException {
        this(address, targetPort, all, (connection, fromClient, bytes, n) -> { });
    }

    /** A proxy on 127.0.0.1 whose tap sees every byte passing. */
    CountingProxy(int targetPort, Tap tap) throws IOException {
        this("127.0.0.1", targetPort, new Counter(), tap);
    }

    private CountingProxy(String address, int targetPort, Counter all, Tap tap) throws IOException {
        this.tap = tap;
        this.listener = new ServerSocket();
        this.listener.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        this.targetPort = targetPort;
        this.all = all;
        Thread t = new Thread(this::accept, "counting-proxy-" + address);
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** {@return the most connections that were open at once at this server} */
    int peak() {
        return here.peak();
    }

    /** {@return how many connections were made to this server} */
    int total() {
        return here.total();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                here.opened();
                all.opened();
                AtomicInteger ends = new AtomicInteger(2);
                Runnable done = () -> {
                    if (ends.decrementAndGet() == 0) {
                        here.closed();
                        all.closed();
                    }
                };
                int id = here.total();
                pump(client, server, id, true, done);
                pump(server, client, id, false, done);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, int id, boolean fromClient, Runnable done) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    tap.seen(id, fromClient, buf, n);
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side closed
            } finally {
                tap.ended(id, fromClient);
                closeQuietly(from);
                closeQuietly(to);
                done.run();
            }
        }, "counting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
