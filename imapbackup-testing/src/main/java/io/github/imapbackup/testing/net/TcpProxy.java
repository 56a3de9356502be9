package io.github.imapbackup.testing.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a test server: the one plumbing of the test proxies (the
 * fault-injecting {@link io.github.imapbackup.testing.imap.FaultProxy}, the recording, counting and
 * link-emulating proxies of the tests). It accepts connections, opens one to the server for each,
 * and runs a {@link Link}'s two directions on threads of their own; when either direction ends, both
 * sockets close. It counts connections (made, open now, most open at once) and closes every socket
 * when closed.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start("127.0.0.1", serverPort, c -> TcpProxy.Link.PLAIN)) {
 *     connectTo(proxy.host(), proxy.port());
 * }
 * }</pre>
 */
public final class TcpProxy implements Closeable {

    /** What the proxy does with the bytes of one connection, in each direction. */
    public interface Link {

        /** Forwards every byte as it comes. */
        Link PLAIN = new Link() { };

        /**
         * Copies what the client sends to the server; returns (or throws) when done.
         *
         * @param fromClient the client's bytes
         * @param toServer the server's side
         * @throws IOException when a socket fails (the connection then closes)
         */
        default void upstream(InputStream fromClient, OutputStream toServer) throws IOException {
            fromClient.transferTo(toServer);
        }

        /**
         * Copies what the server sends to the client; returns (or throws) when done.
         *
         * @param fromServer the server's bytes
         * @param toClient the client's side
         * @throws IOException when a socket fails (the connection then closes)
         */
        default void downstream(InputStream fromServer, OutputStream toClient) throws IOException {
            fromServer.transferTo(toClient);
        }

        /** Called once when the connection has closed, both directions done. */
        default void closed() {
        }
    }

    /** Makes the {@link Link} of each new connection. */
    @FunctionalInterface
    public interface LinkFactory {
        /**
         * {@return the link of a connection just made}
         *
         * @param connection the connection (its sockets, to cut or reset it)
         */
        Link open(Connection connection);
    }

    /** One proxied connection: the client's socket and the one to the server. */
    public static final class Connection {
        private final int number;
        private final Socket client;
        private final Socket server;

        Connection(int number, Socket client, Socket server) {
            this.number = number;
            this.client = client;
            this.server = server;
        }

        /** {@return the connection's number, from 1 in the order they were made} */
        public int number() {
            return number;
        }

        /** Closes both sockets (the client sees an orderly end of stream). Idempotent. */
        public void cut() {
            closeQuietly(client);
            closeQuietly(server);
        }

        /** Resets the client's side (a TCP RST: SO_LINGER 0) and closes the server's. */
        public void reset() {
            try {
                client.setSoLinger(true, 0);
            } catch (IOException e) {
                // already closed
            }
            cut();
        }

        /** {@return whether the connection is closed} */
        public boolean isClosed() {
            return client.isClosed() || server.isClosed();
        }
    }

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final LinkFactory links;
    private final Set<Connection> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger made = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    private TcpProxy(InetSocketAddress listen, InetSocketAddress target, LinkFactory links) throws IOException {
        this.target = target;
        this.links = links;
        this.listener = new ServerSocket();
        listener.bind(listen, 50);
        Thread t = new Thread(this::accept, "tcp-proxy-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts a proxy on a free port of {@code address}, in front of a server on 127.0.0.1.
     *
     * @param address the loopback address to listen on (127.0.0.1, 127.0.0.2, ...: a host of its own)
     * @param targetPort the server's port on 127.0.0.1
     * @param links makes each connection's link
     * @return the running proxy
     */
    public static TcpProxy start(String address, int targetPort, LinkFactory links) {
        Objects.requireNonNull(links, "links");
        try {
            return new TcpProxy(new InetSocketAddress(InetAddress.getByName(address), 0),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), links);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a proxy on " + address, e);
        }
    }

    /** {@return the address clients connect to} */
    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    /** {@return the port clients connect to} */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@return how many connections were made through this proxy} */
    public int connections() {
        return made.get();
    }

    /** {@return how many connections are open now} */
    public int openConnections() {
        return open.get();
    }

    /** {@return the most connections that were open at once} */
    public int peakConnections() {
        return peak.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Socket server = new Socket();
            try {
                server.connect(target);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            Connection c = new Connection(made.incrementAndGet(), client, server);
            live.add(c);
            peak.accumulateAndGet(open.incrementAndGet(), Math::max);
            Link link = links.open(c);
            AtomicInteger ends = new AtomicInteger(2);
            Runnable done = () -> {
                c.cut();
                if (ends.decrementAndGet() == 0) {
                    live.remove(c);
                    open.decrementAndGet();
                    link.closed();
                }
            };
            run("tcp-proxy-up-" + c.number, done, () -> link.upstream(client.getInputStream(), server.getOutputStream()));
            run("tcp-proxy-down-" + c.number, done, () -> link.downstream(server.getInputStream(),
                    client.getOutputStream()));
        }
    }

    /** One direction's work. */
    private interface Pump {
        void run() throws IOException;
    }

    private static void run(String name, Runnable done, Pump pump) {
        Thread t = new Thread(() -> {
            try {
                pump.run();
            } catch (IOException | RuntimeException e) {
                // a socket closed: the connection ends
            } finally {
                done.run();
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops accepting and closes every connection. Idempotent. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        live.forEach(Connection::cut);
    }
}
