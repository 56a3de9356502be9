package io.github.imapbackup.testing.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A notification endpoint of the tests' own (the JDK's HTTP server on the loopback address), as a
 * healthcheck service is: it records each request ({@code GET /ping/uuid}) and answers with the
 * status codes it is given, in order, then 200.
 */
public final class PingServer implements AutoCloseable {

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Deque<Integer> answers = new ConcurrentLinkedDeque<>();

    private PingServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts a server on a free port of the loopback address.
     *
     * @return the server
     */
    public static PingServer start() {
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PingServer ping = new PingServer(s);
        s.createContext("/", exchange -> {
            ping.requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            Integer code = ping.answers.poll();
            exchange.sendResponseHeaders(code == null ? 200 : code, -1);
            exchange.close();
        });
        s.start();
        return ping;
    }

    /**
     * Returns the URL of a path on this server.
     *
     * @param pathAndQuery such as {@code /ping/uuid?rid=1}
     * @return {@code http://127.0.0.1:PORT/ping/uuid?rid=1}
     */
    public URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    /**
     * Answers the next requests with these status codes, in order (then 200 again).
     *
     * @param codes the status codes
     */
    public void answer(int... codes) {
        for (int c : codes) {
            answers.add(c);
        }
    }

    /**
     * Returns the requests so far.
     *
     * @return {@code METHOD /path?query}, in order
     */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Forgets the requests so far. */
    public void clear() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
