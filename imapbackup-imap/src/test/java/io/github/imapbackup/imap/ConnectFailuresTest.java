package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ConnectionException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that is no IMAP server, or one that hangs up at login: the message names host:port, says
 * what happened and what to check, and shows what the peer sent only as a short, escaped excerpt.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConnectFailuresTest {

    /** What the peer does with one connection. */
    interface Peer {
        void serve(Socket s) throws IOException;
    }

    /** Serves one connection on loopback in a daemon thread and returns the port. */
    private static ServerSocket serve(Peer peer) throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                peer.serve(s);
            } catch (IOException e) {
                // the client went away
            }
        }, "peer");
        t.setDaemon(true);
        t.start();
        return server;
    }

    /**
     * A peer that greets, answers CAPABILITY, and at LOGIN answers with the tag and {@code loginAnswer},
     * or hangs up when it is null.
     */
    private static Peer untilLogin(String loginAnswer) {
        return s -> {
            OutputStream out = s.getOutputStream();
            out.write("* OK [CAPABILITY IMAP4rev1] ready\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String tag = line.split(" ")[0];
                boolean login = line.toUpperCase(java.util.Locale.ROOT).contains("LOGIN");
                if (login && loginAnswer == null) {
                    s.close();
                    return;
                }
                String answer = login ? tag + loginAnswer + "\r\n" : "* CAPABILITY IMAP4rev1\r\n" + tag + " OK done\r\n";
                out.write(answer.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        };
    }

    private static ImapSource source(int port) {
        return ImapSource.builder().host("127.0.0.1").port(port).security(Security.NONE).user("alice")
                .password("hunter2-secret"::toCharArray).timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void aGarbageGreetingIsShownAsAShortEscapedExcerpt() throws IOException {
        byte[] garbage = ("\u0000\u0001HTTP/1.1 400 Bad Request\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (ServerSocket server = serve(s -> {
            OutputStream out = s.getOutputStream();
            out.write(garbage, 0, garbage.length - 2);
            out.write(new byte[] {0x1b, '[', '3', '1', 'm', (byte) 0xff, (byte) 0xfe});
            out.write("A".repeat(500).getBytes(StandardCharsets.US_ASCII));
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        })) {
            assertThatThrownBy(() -> source(server.getLocalPort()).connect().close())
                    .isInstanceOf(ConnectionException.class)
                    .satisfies(e -> {
                        String m = e.getMessage();
                        assertThat(m).contains("127.0.0.1:" + server.getLocalPort())
                                .contains("not an IMAP server").contains("\\x00\\x01HTTP/1.1 400 Bad Request")
                                .contains("--port").contains("--security")
                                .doesNotContain("\u0000").doesNotContain("\u001b").doesNotContain("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
                        assertThat(m.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as(m).isTrue();
                    });
        }
    }

    @Test
    void aConnectionClosedAtLoginSaysSo() throws IOException {
        try (ServerSocket server = serve(untilLogin(null))) {
            assertThatThrownBy(() -> source(server.getLocalPort()).connect().close())
                    .isInstanceOf(ConnectionException.class)
                    .satisfies(e -> assertThat(e.getMessage())
                            .contains("127.0.0.1:" + server.getLocalPort())
                            .contains("closed the connection during login")
                            .doesNotContain("Jakarta Mail Exception").doesNotContain("java.io")
                            .doesNotContain("hunter2"));
        }
    }

    @Test
    void aConnectionClosedBeforeTheGreetingSaysSo() throws IOException {
        try (ServerSocket server = serve(Socket::close)) {
            assertThatThrownBy(() -> source(server.getLocalPort()).connect().close())
                    .isInstanceOf(ConnectionException.class)
                    .satisfies(e -> assertThat(e.getMessage())
                            .contains("127.0.0.1:" + server.getLocalPort())
                            .contains("closed the connection")
                            .doesNotContain("Jakarta Mail Exception").doesNotContain("java.io"));
        }
    }

    @Test
    void aByeGreetingIsQuotedEscaped() throws IOException {
        try (ServerSocket server = serve(s -> {
            s.getOutputStream().write("* BYE Too many connections\u0007 from your address\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        })) {
            assertThatThrownBy(() -> source(server.getLocalPort()).connect().close())
                    .isInstanceOf(ConnectionException.class)
                    .satisfies(e -> assertThat(e.getMessage())
                            .contains("refused the connection: \"Too many connections\\x07 from your address\""));
        }
    }

    @Test
    void aRefusedLoginShowsTheServersWordsWithoutControlCharacters() throws IOException {
        try (ServerSocket server = serve(untilLogin(" NO [AUTHENTICATIONFAILED] bad\u001b[2J password"))) {
            assertThatThrownBy(() -> source(server.getLocalPort()).connect().close())
                    .isInstanceOf(io.github.imapbackup.AuthenticationException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains("bad\\x1b[2J password")
                            .doesNotContain("\u001b").doesNotContain("hunter2"));
        }
    }
}
