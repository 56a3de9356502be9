package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.TestCertificates;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Dovecot that requires a TLS client certificate signed by its CA ({@code ssl_verify_client_cert},
 * {@code auth_ssl_require_client_cert}): without one the login is refused with a clear error; with
 * PKCS12, a PEM certificate and PKCS#1 key, or a SEC1 EC key, over implicit TLS and STARTTLS, the
 * source and the target log in, the server's certificate still checked.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DovecotClientCertificateIT {

    static final TestCertificates CERTS = TestCertificates.generate();

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().tls(true).user(USER, PASSWORD)
            .config("ssl_ca = <" + CERTS.ca(), "ssl_verify_client_cert = yes", "ssl_require_crl = no",
                    "auth_ssl_require_client_cert = yes")
            .build();

    private static ImapSource.Builder account(Security security) {
        return ImapSource.builder().host("localhost").port(security == Security.TLS ? DOVECOT.tlsPort() : DOVECOT.port())
                .security(security).user(USER).password(PASSWORD::toCharArray).trustStore(DOVECOT.pemCertificate())
                .timeout(Duration.ofSeconds(20));
    }

    private static void assertWorks(ImapSource source) throws Exception {
        try (SourceConnection c = source.connect()) {
            assertThat(c.folders()).extracting(FolderInfo::name).contains("INBOX");
        }
    }

    @Test
    void withoutACertificateTheLoginIsRefused() {
        for (Security security : new Security[] {Security.TLS, Security.STARTTLS}) {
            assertThatThrownBy(() -> account(security).build().connect()).as(security.toString())
                    .isInstanceOf(AuthenticationException.class).hasMessageContaining("authentication failed")
                    .hasMessageContaining("didn't present valid SSL certificate") // Dovecot's words
                    .hasMessageNotContaining(PASSWORD);
        }
    }

    @Test
    void pkcs12OverImplicitTls() throws Exception {
        assertWorks(account(Security.TLS).clientCertificate(ClientCertificate.pkcs12(CERTS.file("client.p12"),
                TestCertificates.P12_PASSWORD::toCharArray)).build());
    }

    @Test
    void pemWithAPkcs1KeyOverStartTls() throws Exception {
        assertWorks(account(Security.STARTTLS).clientCertificate(ClientCertificate.pem(CERTS.file("client.pem"),
                CERTS.file("client-pkcs1.key"))).build());
    }

    @Test
    void pemInOneFileAndAnEcKey() throws Exception {
        assertWorks(account(Security.TLS).clientCertificate(ClientCertificate.pem(CERTS.file("combined.pem"),
                CERTS.file("combined.pem"))).build());
        assertWorks(account(Security.TLS).clientCertificate(ClientCertificate.pem(CERTS.file("ec.pem"),
                CERTS.file("ec.key"))).build());
    }

    @Test
    void theTargetPresentsItsCertificateToo() throws Exception {
        ImapTarget without = ImapTarget.builder(account(Security.TLS).build()).build();
        assertThatThrownBy(without::checkAccess).isInstanceOf(AuthenticationException.class);
        ImapTarget with = ImapTarget.builder(account(Security.TLS).build())
                .clientCertificate(ClientCertificate.pem(CERTS.file("client.pem"), CERTS.file("client.key"))).build();
        with.checkAccess();
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedByTheServer() {
        TestCertificates other = TestCertificates.generate();
        assertThatThrownBy(() -> account(Security.TLS).clientCertificate(ClientCertificate.pem(
                other.file("client.pem"), other.file("client.key"))).build().connect())
                .isInstanceOf(io.github.imapbackup.ConnectionException.class).hasMessageNotContaining(PASSWORD);
    }
}
