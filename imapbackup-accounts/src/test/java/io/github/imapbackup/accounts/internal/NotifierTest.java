package io.github.imapbackup.accounts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.github.imapbackup.accounts.Notification;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The notification GET: delivered once, retried with doubling pauses, never thrown, token never shown. */
@Timeout(60)
class NotifierTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Deque<Integer> answers = new ConcurrentLinkedDeque<>();
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            Integer code = answers.poll();
            exchange.sendResponseHeaders(code == null ? 200 : code, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    private Notifier notifier() {
        return new Notifier(Duration.ofSeconds(10), 3, Duration.ofSeconds(1), pauses::add);
    }

    @Test
    void aCleanAnswerIsOneGet() {
        Notification n = notifier().send("success", url("/ping/0b5f6c2e-secret-uuid?rid=7"));
        assertThat(n.delivered()).isTrue();
        assertThat(n.attempts()).isEqualTo(1);
        assertThat(requests).containsExactly("GET /ping/0b5f6c2e-secret-uuid?rid=7");
        assertThat(n.describe()).isEqualTo("success notification to 127.0.0.1: sent");
    }

    @Test
    void aServerErrorIsRetriedWithDoublingPauses() {
        answers.add(503);
        answers.add(502);
        Notification n = notifier().send("success", url("/ping/x"));
        assertThat(n.delivered()).isTrue();
        assertThat(n.attempts()).isEqualTo(3);
        assertThat(requests).hasSize(3);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void theAttemptsAreBoundedAndTheFailureIsReturnedWithoutTheToken() {
        answers.add(500);
        answers.add(500);
        answers.add(500);
        answers.add(500);
        Notification n = notifier().send("failure", url("/ping/0b5f6c2e-secret-uuid/fail"));
        assertThat(n.delivered()).isFalse();
        assertThat(requests).hasSize(3);
        assertThat(n.describe()).isEqualTo("failure notification to 127.0.0.1: not delivered after 3 attempts (HTTP 500)")
                .doesNotContain("secret");
    }

    @Test
    void aWrongUrlIsNotRetried() {
        answers.add(404);
        Notification n = notifier().send("success", url("/nothing-here"));
        assertThat(n.failure()).contains("HTTP 404");
        assertThat(n.attempts()).isEqualTo(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void anUnreachableHostIsAFailureNotAnException() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Notification n = notifier().send("success", URI.create("http://127.0.0.1:" + closed + "/ping/secret-uuid"));
        assertThat(n.delivered()).isFalse();
        assertThat(n.attempts()).isEqualTo(3);
        assertThat(n.describe()).contains("cannot reach 127.0.0.1").doesNotContain("secret-uuid");
    }
}
