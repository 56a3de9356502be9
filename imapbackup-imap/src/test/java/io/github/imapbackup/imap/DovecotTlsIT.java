package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.net.TcpProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS against Dovecot with a generated certificate (CN/SAN localhost, 127.0.0.1): certificate
 * validation stays on, the trust store comes as PEM or PKCS12; implicit TLS and STARTTLS; a cancel
 * ends a read blocked under the TLS layer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotTlsIT {

    /** An account of a dozen messages of 30–60 KB, for the cancel. */
    static final String BULK = "bulk";
    static final List<String> BULK_HASHES = new ArrayList<>();

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().tls(true).user(USER, PASSWORD).user(BULK, PASSWORD).build();

    @BeforeAll
    static void load() throws Exception {
        DOVECOT.append(USER, "INBOX", Interop.ascii("Message-ID: <tls@x>\r\n\r\nover TLS\r\n"), Set.of("\\Seen"),
                Instant.parse("2023-03-03T03:03:03Z"));
        for (int i = 0; i < 12; i++) {
            byte[] m = Interop.big("<bulk" + i + "@x>", 30_000 + i * 3_000);
            DOVECOT.append(BULK, "INBOX", m, Set.of(), Instant.parse("2023-03-03T03:03:03Z"));
            BULK_HASHES.add(Interop.sha256(m));
        }
    }

    private static ImapSource.Builder tls(Security security, int port) {
        return ImapSource.builder().host("localhost").port(port).security(security).user(USER)
                .password(PASSWORD::toCharArray).timeout(Duration.ofSeconds(20));
    }

    private static void assertWorks(ImapSource source) throws Exception {
        try (SourceConnection c = source.connect()) {
            assertThat(c.folders()).extracting(FolderInfo::name).contains("INBOX");
        }
    }

    @Test
    void implicitTlsWithPemTrustStore() throws Exception {
        assertWorks(tls(Security.TLS, DOVECOT.tlsPort()).trustStore(DOVECOT.pemCertificate()).build());
    }

    @Test
    void implicitTlsWithPkcs12TrustStore() throws Exception {
        assertWorks(tls(Security.TLS, DOVECOT.tlsPort()).trustStore(DOVECOT.trustStorePkcs12())
                .trustStorePassword(Dovecot.TRUST_STORE_PASSWORD::toCharArray).build());
    }

    @Test
    void implicitTlsToTheIpAddressMatchesTheIpSan() throws Exception {
        assertWorks(tls(Security.TLS, DOVECOT.tlsPort()).host("127.0.0.1").trustStore(DOVECOT.pemCertificate())
                .build());
    }

    @Test
    void startTlsWithPemTrustStore() throws Exception {
        assertWorks(tls(Security.STARTTLS, DOVECOT.port()).trustStore(DOVECOT.pemCertificate()).build());
    }

    @Test
    void withoutTrustStoreTheSelfSignedCertificateIsRefused() {
        assertThatThrownBy(() -> tls(Security.TLS, DOVECOT.tlsPort()).build().connect())
                .isInstanceOf(ConnectionException.class)
                .isNotInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> tls(Security.STARTTLS, DOVECOT.port()).build().connect())
                .isInstanceOf(ConnectionException.class);
    }

    @Test
    void insecureSkipsTheChecks() throws Exception {
        assertWorks(tls(Security.TLS, DOVECOT.tlsPort()).insecure(true).build());
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailure() {
        assertThatThrownBy(() -> tls(Security.TLS, DOVECOT.tlsPort()).trustStore(DOVECOT.pemCertificate())
                .password("wrong"::toCharArray).build().connect())
                .isInstanceOf(AuthenticationException.class)
                .hasMessageNotContaining("wrong");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PLAIN", "LOGIN", "CRAM-MD5"})
    void everyMechanismDovecotOffersAuthenticates(String mechanism) throws Exception {
        assertWorks(tls(Security.STARTTLS, DOVECOT.port()).trustStore(DOVECOT.pemCertificate())
                .authMechanisms(mechanism).build());
        // Dovecot logs the mechanism of each login: the one asked for was used (the line may come a
        // little later; the class's @Timeout stops the wait if it never does)
        String logged = "method=" + mechanism + ",";
        while (!Files.readString(DOVECOT.logFile(), StandardCharsets.ISO_8859_1).contains(logged)) {
            Thread.sleep(20);
        }
        assertThat(DOVECOT.logFile()).content(StandardCharsets.ISO_8859_1).contains(logged);
    }

    @Test
    void startTlsIsRefusedWhenTheServerDoesNotOfferIt() throws Exception {
        try (Dovecot plain = Dovecot.builder().user(USER, PASSWORD).build().start()) {
            assertThatThrownBy(() -> tls(Security.STARTTLS, plain.port()).insecure(true).build().connect())
                    .isInstanceOf(ConnectionException.class)
                    .isNotInstanceOf(AuthenticationException.class);
            assertWorks(Interop.source(plain).build());
        }
    }

    /**
     * Stops passing the server's bytes of a connection once {@code after} of them went through, and
     * keeps the connection open: the stall of {@code FaultProxy}, which reads IMAP lines and so
     * cannot sit on a TLS connection.
     */
    private static TcpProxy.LinkFactory stallingAfter(long after, AtomicBoolean stalled) {
        return c -> new TcpProxy.Link() {
            @Override
            public void downstream(InputStream fromServer, OutputStream toClient) throws IOException {
                byte[] b = new byte[8192];
                long passed = 0;
                for (int n = fromServer.read(b); n > 0; n = fromServer.read(b)) {
                    int pass = (int) Math.min(n, after - passed);
                    toClient.write(b, 0, pass);
                    toClient.flush();
                    passed += pass;
                    if (passed == after) {
                        stalled.set(true);
                        while (!c.isClosed()) {
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                        return;
                    }
                }
            }
        };
    }

    @Test
    void aBackupCancelledWhileAReadIsBlockedUnderTheTlsLayerEndsAtOnce(@TempDir Path dir) throws Exception {
        // amid the bodies: the handshake, login and listing are a few KB
        AtomicBoolean stalled = new AtomicBoolean();
        try (TcpProxy stalling = TcpProxy.start("127.0.0.1", DOVECOT.tlsPort(), stallingAfter(150_000, stalled))) {
            ImapSource source = tls(Security.TLS, stalling.port()).host(stalling.host()).user(BULK)
                    .trustStore(DOVECOT.pemCertificate()).timeout(Duration.ofSeconds(40)).build();
            BackupSession session = BackupSession.builder().source(source).target(Interop.store(dir)).build();
            CompletableFuture<Object> result = CompletableFuture.supplyAsync(() -> {
                try {
                    return session.run();
                } catch (BackupException e) {
                    return e;
                }
            });
            while (!stalled.get() && !result.isDone()) {
                Thread.sleep(10);
            }
            assertThat(result).as("the run ended before the stall").isNotDone();
            Thread.sleep(300); // blocked in a read of the plain socket under the TLS layer now
            session.cancel();
            Object outcome = result.get(5, TimeUnit.SECONDS); // the read timeout is 40 s
            assertThat(outcome).as(String.valueOf(outcome)).isInstanceOf(CancelledException.class);
            assertThat(((CancelledException) outcome).report().orElseThrow().allErrors()).isEmpty();
        }
        BackupReport again = Interop.backup(tls(Security.TLS, DOVECOT.tlsPort()).user(BULK)
                .trustStore(DOVECOT.pemCertificate()).build(), dir);
        assertThat(again.allErrors()).isEmpty();
        assertThat(Interop.verify(dir)).isEmpty();
        assertThat(Interop.archivedHashes(dir, "INBOX", "/").values()).containsExactlyInAnyOrderElementsOf(BULK_HASHES);
    }

    @Test
    void backupOverTls(@TempDir Path dir) throws Exception {
        BackupReport report = Interop.backup(tls(Security.TLS, DOVECOT.tlsPort())
                .trustStore(DOVECOT.pemCertificate()).build(), dir);
        assertThat(report.hasFailures()).isFalse();
        assertThat(report.totals().messagesCopied()).isEqualTo(1);
        assertThat(dir.resolve("INBOX.mbox")).isRegularFile();
    }
}
