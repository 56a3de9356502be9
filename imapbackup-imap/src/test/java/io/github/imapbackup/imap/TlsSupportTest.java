package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TlsSupportTest {

    private static final Path TLS = Path.of("src/test/resources/tls");

    private static X509Certificate only(KeyStore store) throws Exception {
        assertThat(Collections.list(store.aliases())).hasSize(1);
        return (X509Certificate) store.getCertificate(Collections.list(store.aliases()).get(0));
    }

    @Test
    void pemPkcs12AndJksStoresHoldTheSameCertificate() throws Exception {
        X509Certificate pem = only(TlsSupport.load(TLS.resolve("localhost.pem"), null));
        assertThat(pem.getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThat(only(TlsSupport.load(TLS.resolve("trust.p12"), null))).isEqualTo(pem);
        assertThat(only(TlsSupport.load(TLS.resolve("trust.jks"), null))).isEqualTo(pem);
        assertThat(only(TlsSupport.load(TLS.resolve("trust.jks"), "secret123"::toCharArray)))
                .isEqualTo(pem);
    }

    @Test
    void pemBlocksOtherThanCertificatesAndSurroundingTextAreSkipped(@TempDir Path dir)
            throws Exception {
        String cert = Files.readString(TLS.resolve("localhost.pem"));
        Path mixed = dir.resolve("mixed.pem");
        Files.writeString(mixed, "subject=CN=localhost\n-----BEGIN PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----\n" + cert + "\ntrailing text\n" + cert);
        KeyStore store = TlsSupport.load(mixed, null);
        assertThat(Collections.list(store.aliases())).hasSize(2);
    }

    @Test
    void aFileWithoutCertificatesIsRejected(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsSupport.load(empty, null)).isInstanceOf(IOException.class)
                .hasMessageContaining("no certificate");
    }

    @Test
    void aFileThatIsNoTrustStoreIsNamedAsSuch(@TempDir Path dir) throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "not a key store, not PEM\n");
        assertThatThrownBy(() -> TlsSupport.socketFactory(notes, null, null, false, "h:993"))
                .isInstanceOf(io.github.imapbackup.ConnectionException.class)
                .hasMessageContaining("notes.txt")
                .hasMessageContaining("neither PEM certificates nor a PKCS12 or JKS store")
                .hasMessageNotContaining("Please load it");
    }
}
