package io.github.imapbackup.accounts.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.accounts.Notification;
import io.github.imapbackup.testing.http.PingServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The notification GET: delivered once, retried with doubling pauses, never thrown, token never shown. */
@Timeout(60)
class NotifierTest {

    private PingServer server;
    private final List<Duration> pauses = new ArrayList<>();

    @BeforeEach
    void start() {
        server = PingServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI url(String pathAndQuery) {
        return server.url(pathAndQuery);
    }

    private Notifier notifier() {
        return new Notifier(Duration.ofSeconds(10), 3, Duration.ofSeconds(1), pauses::add);
    }

    @Test
    void aCleanAnswerIsOneGet() {
        Notification n = notifier().send("success", url("/ping/0b5f6c2e-secret-uuid?rid=7"));
        assertThat(n.delivered()).isTrue();
        assertThat(n.attempts()).isEqualTo(1);
        assertThat(server.requests()).containsExactly("GET /ping/0b5f6c2e-secret-uuid?rid=7");
        assertThat(n.describe()).isEqualTo("success notification to 127.0.0.1: sent");
    }

    @Test
    void aServerErrorIsRetriedWithDoublingPauses() {
        server.answer(503, 502);
        Notification n = notifier().send("success", url("/ping/x"));
        assertThat(n.delivered()).isTrue();
        assertThat(n.attempts()).isEqualTo(3);
        assertThat(server.requests()).hasSize(3);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void theAttemptsAreBoundedAndTheFailureIsReturnedWithoutTheToken() {
        server.answer(500, 500, 500, 500);
        Notification n = notifier().send("failure", url("/ping/0b5f6c2e-secret-uuid/fail"));
        assertThat(n.delivered()).isFalse();
        assertThat(server.requests()).hasSize(3);
        assertThat(n.describe()).isEqualTo("failure notification to 127.0.0.1: not delivered after 3 attempts (HTTP 500)")
                .doesNotContain("secret");
    }

    @Test
    void aWrongUrlIsNotRetried() {
        server.answer(404);
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
