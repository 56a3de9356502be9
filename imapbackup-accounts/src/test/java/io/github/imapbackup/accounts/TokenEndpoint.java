package io.github.imapbackup.accounts;

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
 * The tests' own OAuth 2.0 token endpoint on loopback: answers from a script (status and body), or
 * hands out {@code token-1}, {@code token-2}, ... with an expiry when the script is empty; records
 * each request's form fields and content type.
 */
final class TokenEndpoint implements AutoCloseable {

    /** One answer. {@code hang} makes the endpoint not answer until closed. */
    record Answer(int status, String body, boolean hang) {
        static Answer json(int status, String body) {
            return new Answer(status, body, false);
        }
    }

    /** One request as the endpoint saw it. */
    record Request(String method, String contentType, Map<String, String> form) { }

    private final HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private int issued;
    volatile long expiresIn = 3600;

    TokenEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    synchronized TokenEndpoint then(Answer answer) {
        script.add(answer);
        return this;
    }

    synchronized String lastIssued() {
        return "token-" + issued;
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
                        + "\"expires_in\":" + expiresIn + ",\"scope\":\"https://mail.google.com/\"}");
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

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
