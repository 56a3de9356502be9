package io.github.imapbackup.testing.oauth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test's own OAuth 2.0 token endpoint on loopback (the JDK's HTTP server): answers from a
 * script, or hands out {@code token-1}, {@code token-2}, ... (Bearer, one hour) when the script is
 * empty; records each request's method, content type and form fields.
 *
 * <pre>{@code
 * try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
 *     endpoint.then(FakeTokenEndpoint.Answer.json(400, "{\"error\":\"invalid_grant\"}"));
 *     // ... refresh at endpoint.uri() ...
 *     assertThat(endpoint.requests()).hasSize(1);
 * }
 * }</pre>
 */
public final class FakeTokenEndpoint implements AutoCloseable {

    /**
     * One scripted answer.
     *
     * @param status the HTTP status
     * @param body the body (JSON or not)
     * @param hang whether to send nothing until the endpoint is closed, instead of the answer
     */
    public record Answer(int status, String body, boolean hang) {

        /**
         * An answer with a body.
         *
         * @param status the HTTP status
         * @param body the body
         * @return the answer
         */
        public static Answer json(int status, String body) {
            return new Answer(status, body, false);
        }

        /** {@return an answer that never comes} */
        public static Answer never() {
            return new Answer(0, "", true);
        }
    }

    /**
     * One request as the endpoint saw it.
     *
     * @param method the HTTP method
     * @param contentType the Content-Type header
     * @param form the form fields, decoded
     */
    public record Request(String method, String contentType, Map<String, String> form) { }

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private int issued;

    private FakeTokenEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::handle);
        server.start();
    }

    /**
     * Starts an endpoint on a free loopback port.
     *
     * @return the running endpoint
     * @throws IOException if no port can be bound
     */
    public static FakeTokenEndpoint start() throws IOException {
        return new FakeTokenEndpoint();
    }

    /** {@return the endpoint's URL, {@code http://127.0.0.1:PORT/token}} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    /**
     * Adds an answer to the script: the next request not yet answered gets it.
     *
     * @param answer the answer
     * @return this endpoint
     */
    public synchronized FakeTokenEndpoint then(Answer answer) {
        script.add(answer);
        return this;
    }

    /** {@return the requests received so far, oldest first} */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Content-Type"), form));
        Answer answer;
        synchronized (this) {
            answer = script.poll();
            if (answer == null) {
                issued++;
                answer = Answer.json(200, "{\"access_token\":\"token-" + issued + "\",\"token_type\":\"Bearer\","
                        + "\"expires_in\":3600,\"scope\":\"https://mail.google.com/\"}");
            }
        }
        if (answer.hang()) {
            try {
                closed.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops the endpoint; a hanging answer ends. */
    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
