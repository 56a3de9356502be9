package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.testing.imap.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of a {@link ClientCertificate} as users bring them: PKCS12, PEM certificate and key in
 * PKCS#8, PKCS#1 RSA and SEC1 EC form, in one file or two; and every mistake said in words naming
 * the file, never the password.
 */
@Timeout(120)
class ClientCertificateTest {

    private static final TestCertificates CERTS = TestCertificates.generate();

    @TempDir
    Path tmp;

    /** {@return the subject of the certificate the key managers present} */
    private static String presented(ClientCertificate c) throws IOException {
        KeyManager[] managers = c.keyManagers();
        X509KeyManager km = (X509KeyManager) managers[0];
        for (String type : new String[] {"RSA", "EC"}) {
            String alias = km.chooseClientAlias(new String[] {type}, null, null);
            if (alias != null) {
                X509Certificate[] chain = km.getCertificateChain(alias);
                assertThat(km.getPrivateKey(alias)).isNotNull();
                return chain[0].getSubjectX500Principal().getName();
            }
        }
        throw new AssertionError("no key presented");
    }

    @Test
    void everyFormReadsToTheClientsKeyAndCertificate() throws Exception {
        AtomicReference<char[]> given = new AtomicReference<>();
        ClientCertificate p12 = ClientCertificate.pkcs12(CERTS.file("client.p12"), () -> {
            given.set(TestCertificates.P12_PASSWORD.toCharArray());
            return given.get();
        });
        assertThat(presented(p12)).isEqualTo("CN=alice");
        assertThat(given.get()).as("the password is cleared after use").containsOnly('\0');
        assertThat(presented(ClientCertificate.pem(CERTS.file("client.pem"), CERTS.file("client.key"))))
                .isEqualTo("CN=alice");
        assertThat(presented(ClientCertificate.pem(CERTS.file("client.pem"), CERTS.file("client-pkcs1.key"))))
                .isEqualTo("CN=alice");
        assertThat(presented(ClientCertificate.pem(CERTS.file("combined.pem"), CERTS.file("combined.pem"))))
                .isEqualTo("CN=alice");
        assertThat(presented(ClientCertificate.pem(CERTS.file("ec.pem"), CERTS.file("ec.key")))).isEqualTo("CN=alice-ec");
        assertThat(Files.readString(CERTS.file("client-pkcs1.key"))).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(CERTS.file("ec.key"))).contains("BEGIN EC PRIVATE KEY");
    }

    @Test
    void mistakesAreSaidNamingTheFile() throws Exception {
        Path missing = tmp.resolve("missing.p12");
        Path garbled = Files.write(tmp.resolve("garbled.p12"), new byte[] {1, 2, 3, 4, 5});
        Path notPem = Files.writeString(tmp.resolve("notes.pem"), "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n");
        assertProblem(ClientCertificate.pkcs12(missing, null), missing, "does not exist");
        assertProblem(ClientCertificate.pkcs12(tmp, null), tmp, "is a directory");
        assertProblem(ClientCertificate.pkcs12(garbled, null), garbled, "neither a PKCS12 file nor PEM");
        assertProblem(ClientCertificate.pkcs12(CERTS.file("client.p12"), "wrong-pw"::toCharArray),
                CERTS.file("client.p12"), "password is wrong or missing");
        assertProblem(ClientCertificate.pkcs12(CERTS.file("client.p12"), null), CERTS.file("client.p12"),
                "password is wrong or missing");
        assertProblem(ClientCertificate.pem(CERTS.file("client.pem"), CERTS.file("encrypted.key")),
                CERTS.file("encrypted.key"), "is encrypted", "openssl pkey", "PKCS12");
        assertProblem(ClientCertificate.pem(CERTS.file("client.pem"), CERTS.file("other.key")),
                CERTS.file("other.key"), "does not belong to the certificate");
        assertProblem(ClientCertificate.pem(CERTS.file("client.pem"), CERTS.file("client.pem")),
                CERTS.file("client.pem"), "holds no PEM private key");
        assertProblem(ClientCertificate.pem(CERTS.file("client.key"), CERTS.file("client.key")),
                CERTS.file("client.key"), "holds no PEM certificate");
        assertProblem(ClientCertificate.pem(notPem, CERTS.file("client.key")), notPem, "garbled CERTIFICATE");
        assertProblem(ClientCertificate.pem(CERTS.file("ec.pem"), CERTS.file("client.key")), CERTS.file("client.key"),
                "no EC key");
    }

    private static void assertProblem(ClientCertificate c, Path file, String... words) {
        assertThatThrownBy(c::check).isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                .hasMessageContainingAll(words).hasMessageNotContaining(TestCertificates.P12_PASSWORD)
                .hasMessageNotContaining("wrong-pw");
    }

    @Test
    void aBadFileFailsTheConnectionBeforeAnythingConnectsAndTheSourceNeverShowsThePassword() {
        ImapSource source = ImapSource.builder().host("127.0.0.1").port(1).user("alice").password("pw"::toCharArray)
                .clientCertificate(ClientCertificate.pkcs12(CERTS.file("client.p12"), "wrong-pw"::toCharArray))
                .timeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(source::connect).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("client.p12").hasMessageContaining("password is wrong")
                .hasMessageNotContaining("Connection refused");
        assertThat(source.toString()).contains("client certificate").doesNotContain("wrong-pw");
        assertThat(ClientCertificate.pkcs12(CERTS.file("client.p12"), TestCertificates.P12_PASSWORD::toCharArray).toString())
                .contains("client.p12").doesNotContain(TestCertificates.P12_PASSWORD);
        assertThatThrownBy(() -> ImapSource.builder().host("h").user("u").password("p"::toCharArray)
                .security(Security.NONE).clientCertificate(ClientCertificate.pem(CERTS.file("client.pem"),
                        CERTS.file("client.key"))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TLS");
        assertThat(Arrays.asList(ClientCertificate.pem(CERTS.file("a"), CERTS.file("b")).certificate(),
                ClientCertificate.pem(CERTS.file("a"), CERTS.file("b")).key().orElseThrow()))
                .containsExactly(CERTS.file("a"), CERTS.file("b"));
    }
}
