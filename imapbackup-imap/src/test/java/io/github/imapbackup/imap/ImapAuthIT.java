package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.spi.SourceConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ImapAuthIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @BeforeEach
    void user() {
        Fixtures.user(greenMail);
    }

    private static void assertNoSecret(Throwable e, String secret) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
            assertThat(t.toString()).doesNotContain(secret);
        }
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureThatDoesNotShowIt() {
        String wrong = "Wr0ng-Pa55word-xyz";
        ImapSource source = Fixtures.plain(greenMail).password(wrong::toCharArray).build();
        assertThatThrownBy(source::connect)
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("localhost:" + greenMail.getImap().getPort())
                .hasMessageContaining("alice")
                .satisfies(e -> assertNoSecret(e, wrong));
        assertThat(source.toString()).doesNotContain(wrong);
    }

    @Test
    void thePasswordArrayIsClearedAfterLogin() throws Exception {
        List<char[]> handedOut = new ArrayList<>();
        ImapSource source = Fixtures.plain(greenMail).password(() -> {
            char[] c = Fixtures.PASSWORD.toCharArray();
            handedOut.add(c);
            return c;
        }).build();
        try (SourceConnection c = source.connect()) {
            assertThat(c.folders()).isNotEmpty();
        }
        try (SourceConnection c = source.connect()) {
            assertThat(c.hasCapability("IMAP4rev1")).isTrue();
        }
        assertThat(handedOut).hasSize(2).allSatisfy(c -> assertThat(new String(c))
                .isEqualTo("\0".repeat(Fixtures.PASSWORD.length())));
    }

    @Test
    void xoauth2TokenAuthenticates() throws Exception {
        // GreenMail accepts the user's password as the XOAUTH2 bearer token
        ImapSource source = ImapSource.builder().host("localhost")
                .port(greenMail.getImap().getPort()).security(Security.NONE).user(Fixtures.USER)
                .oauth2Token(() -> Fixtures.PASSWORD).timeout(Duration.ofSeconds(10)).build();
        try (SourceConnection c = source.connect()) {
            assertThat(c.folders()).isNotEmpty();
        }
        String bad = "bad-token-1234567";
        ImapSource wrong = source.toBuilder().oauth2Token(() -> bad).build();
        assertThatThrownBy(wrong::connect).isInstanceOf(AuthenticationException.class)
                .satisfies(e -> assertNoSecret(e, bad));
    }

    @Test
    void aMechanismTheServerLacksIsRefusedBeforeSendingTheSecret() {
        // GreenMail announces AUTH=XOAUTH2 only
        ImapSource source = Fixtures.plain(greenMail).authMechanisms("CRAM-MD5").build();
        assertThatThrownBy(source::connect).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("CRAM-MD5").hasMessageContaining("XOAUTH2");
    }

    @Test
    void aClosedPortFailsFastAsConnectionFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ImapSource source = Fixtures.plain(greenMail).host("127.0.0.1").port(port).build();
        // Refused at once, not after waiting for a timeout (the class's @Timeout stops a hang)
        assertThatThrownBy(source::connect)
                .isInstanceOf(ConnectionException.class)
                .isNotInstanceOf(AuthenticationException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("refused")
                .hasMessageNotContaining("timed out");
    }

    @Test
    void aServerThatNeverGreetsTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            ImapSource source = Fixtures.plain(greenMail).host("127.0.0.1")
                    .port(silent.getLocalPort()).timeout(Duration.ofSeconds(1)).build();
            // The socket's read timeout fired (the message says so); the class's @Timeout stops a hang
            assertThatThrownBy(source::connect)
                    .isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("timed out after 1 s");
        }
    }
}
