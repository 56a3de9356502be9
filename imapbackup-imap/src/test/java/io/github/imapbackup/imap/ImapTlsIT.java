package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.spi.SourceConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS against GreenMail's IMAPS, which serves the test certificate of
 * {@code src/test/resources/tls} (self-signed, SAN {@code DNS:localhost} only; failsafe sets
 * {@code greenmail.tls.keystore.file}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ImapTlsIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(new com.icegreen.greenmail.util.ServerSetup[] {
        ServerSetupTest.IMAPS.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()});

    private static final Path TLS = Path.of("src/test/resources/tls");

    @BeforeEach
    void user() {
        Fixtures.user(greenMail);
    }

    private static ImapSource.Builder tls(String host) {
        return ImapSource.builder().host(host).port(greenMail.getImaps().getPort())
                .security(Security.TLS).user(Fixtures.USER).password(Fixtures.PASSWORD::toCharArray)
                .timeout(Duration.ofSeconds(10));
    }

    @Test
    void anUntrustedCertificateIsRefusedByDefault() {
        assertThatThrownBy(() -> tls("localhost").build().connect())
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("localhost:" + greenMail.getImaps().getPort())
                .hasMessageContaining("certificate not trusted")
                .hasMessageContaining("--trust-store");
    }

    @Test
    void insecureSkipsCertificateAndHostNameChecks() throws Exception {
        for (String host : new String[] {"localhost", "127.0.0.1"}) {
            try (SourceConnection c = tls(host).insecure(true).build().connect()) {
                assertThat(c.folders()).extracting(f -> f.name()).contains("INBOX");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost.pem", "trust.p12", "trust.jks"})
    void aTrustStoreOfAnyFormatMakesTheCertificateTrusted(String file) throws Exception {
        ImapSource.Builder b = tls("localhost").trustStore(TLS.resolve(file));
        try (SourceConnection c = b.build().connect()) {
            assertThat(c.folders()).extracting(f -> f.name()).contains("INBOX");
        }
    }

    @Test
    void aTrustStorePasswordIsUsedWhenGiven() throws Exception {
        ImapSource source = tls("localhost").trustStore(TLS.resolve("trust.jks"))
                .trustStorePassword("secret123"::toCharArray).build();
        try (SourceConnection c = source.connect()) {
            assertThat(c.hasCapability("IMAP4rev1")).isTrue();
        }
        ImapSource wrong = tls("localhost").trustStore(TLS.resolve("trust.jks"))
                .trustStorePassword("nope"::toCharArray).build();
        assertThatThrownBy(wrong::connect).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("trust store");
    }

    @Test
    void aTrustedCertificateForAnotherHostNameIsRefused() {
        assertThatThrownBy(() -> tls("127.0.0.1").trustStore(TLS.resolve("localhost.pem")).build()
                .connect())
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("does not match the host name");
    }

    @Test
    void starttlsIsRequiredNotSilentlySkipped() {
        // GreenMail's plain IMAP does not offer STARTTLS
        ImapSource source = ImapSource.builder().host("localhost")
                .port(greenMail.getImap().getPort()).security(Security.STARTTLS)
                .user(Fixtures.USER).password(Fixtures.PASSWORD::toCharArray)
                .timeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(source::connect).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("STARTTLS");
    }

    @Test
    void aMissingTrustStoreIsAConnectionFailureNamingTheFile() {
        assertThatThrownBy(() -> tls("localhost").trustStore(TLS.resolve("missing.pem")).build()
                .connect())
                .isInstanceOf(ConnectionException.class)
                .hasMessageContaining("missing.pem");
    }
}
