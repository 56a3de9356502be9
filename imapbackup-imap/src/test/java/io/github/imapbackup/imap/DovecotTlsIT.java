package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.testing.imap.Dovecot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
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
 * validation stays on, the trust store comes as PEM or PKCS12; implicit TLS and STARTTLS.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotTlsIT {

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().tls(true).user(USER, PASSWORD).build();

    @BeforeAll
    static void load() throws Exception {
        DOVECOT.append(USER, "INBOX", Interop.ascii("Message-ID: <tls@x>\r\n\r\nover TLS\r\n"), Set.of("\\Seen"),
                Instant.parse("2023-03-03T03:03:03Z"));
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

    @Test
    void backupOverTls(@TempDir Path dir) throws Exception {
        BackupReport report = Interop.backup(tls(Security.TLS, DOVECOT.tlsPort())
                .trustStore(DOVECOT.pemCertificate()).build(), dir);
        assertThat(report.hasFailures()).isFalse();
        assertThat(report.totals().messagesCopied()).isEqualTo(1);
        assertThat(dir.resolve("INBOX.mbox")).isRegularFile();
    }
}
