package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --client-cert}, {@code --client-key} and {@code --client-cert-password-file} against a
 * Dovecot that requires a TLS client certificate: PKCS12 and PEM work (and {@code migrate}'s
 * {@code --client-cert1/2}); without one the login is refused (exit status 3); a wrong password,
 * an encrypted key, a missing file or options that do not go together are usage errors (exit
 * status 2) naming the option and the file, before anything connects.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClientCertificateIT {

    private static final String PASSWORD = "Cert-s3cret";
    private static final TestCertificates CERTS = TestCertificates.generate();

    @RegisterExtension
    static final Dovecot SERVER = Dovecot.builder().tls(true).user("alice", PASSWORD).user("bob", PASSWORD)
            .config("ssl_ca = <" + CERTS.ca(), "ssl_verify_client_cert = yes", "ssl_require_crl = no",
                    "auth_ssl_require_client_cert = yes")
            .build();

    @TempDir
    Path tmp;

    private static final Map<String, String> ENV = Map.of("PW", PASSWORD);

    private static String[] folders(String... more) {
        List<String> a = new ArrayList<>(List.of("folders", "--host", "localhost", "--port",
                Integer.toString(SERVER.tlsPort()), "--user", "alice", "--password-env", "PW",
                "--trust-store", SERVER.pemCertificate().toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private Path p12Password() throws Exception {
        return Files.writeString(tmp.resolve("p12.pw"), TestCertificates.P12_PASSWORD + "\n");
    }

    @Test
    void pkcs12AndPemLogIn() throws Exception {
        CliRun p12 = CliRun.run(ENV, folders("--client-cert", CERTS.file("client.p12").toString(),
                "--client-cert-password-file", p12Password().toString()));
        assertThat(p12.status).as(p12.toString()).isZero();
        assertThat(p12.out).contains("INBOX");

        CliRun pem = CliRun.run(ENV, folders("--client-cert", CERTS.file("client.pem").toString(),
                "--client-key", CERTS.file("client-pkcs1.key").toString()));
        assertThat(pem.status).as(pem.toString()).isZero();

        CliRun combined = CliRun.run(ENV, folders("--client-cert", CERTS.file("combined.pem").toString()));
        assertThat(combined.status).as(combined.toString()).isZero();
    }

    @Test
    void withoutACertificateTheServerRefusesTheLogin() {
        CliRun r = CliRun.run(ENV, folders());
        assertThat(r.status).as(r.toString()).isEqualTo(3);
        assertThat(r.err).contains("certificate").doesNotContain(PASSWORD);
    }

    @Test
    void mistakesAreUsageErrorsNamingOptionAndFile() throws Exception {
        Path wrong = Files.writeString(tmp.resolve("wrong.pw"), "not-the-password\n");
        CliRun badPassword = CliRun.run(ENV, folders("--client-cert", CERTS.file("client.p12").toString(),
                "--client-cert-password-file", wrong.toString()));
        assertThat(badPassword.status).as(badPassword.toString()).isEqualTo(2);
        assertThat(badPassword.err).contains("--client-cert:", "client.p12", "password is wrong",
                "--client-cert-password-file").doesNotContain("not-the-password").doesNotContain("Exception");

        CliRun encrypted = CliRun.run(ENV, folders("--client-cert", CERTS.file("client.pem").toString(),
                "--client-key", CERTS.file("encrypted.key").toString()));
        assertThat(encrypted.status).as(encrypted.toString()).isEqualTo(2);
        assertThat(encrypted.err).contains("--client-key:", "encrypted.key", "is encrypted", "PKCS12");

        CliRun missing = CliRun.run(ENV, folders("--client-cert", tmp.resolve("nowhere.p12").toString()));
        assertThat(missing.status).as(missing.toString()).isEqualTo(2);
        assertThat(missing.err).contains("--client-cert", "nowhere.p12", "does not exist");

        CliRun keyAlone = CliRun.run(ENV, folders("--client-key", CERTS.file("client.key").toString()));
        assertThat(keyAlone.status).as(keyAlone.toString()).isEqualTo(2);
        assertThat(keyAlone.err).contains("--client-key goes with --client-cert");

        CliRun plain = CliRun.run(ENV, "folders", "--host", "localhost", "--port", Integer.toString(SERVER.port()),
                "--security", "none", "--user", "alice", "--password-env", "PW", "--client-cert",
                CERTS.file("combined.pem").toString());
        assertThat(plain.status).as(plain.toString()).isEqualTo(2);
        assertThat(plain.err).contains("--client-cert needs TLS");
    }

    @Test
    void migrateTakesACertificatePerHost() throws Exception {
        CliRun r = CliRun.run(ENV, "migrate", "--host1", "localhost", "--port1", Integer.toString(SERVER.port()),
                "--security1", "starttls", "--user1", "alice", "--password-env1", "PW",
                "--trust-store1", SERVER.pemCertificate().toString(),
                "--client-cert1", CERTS.file("client.p12").toString(), "--client-cert-password-file1", p12Password().toString(),
                "--host2", "localhost", "--port2", Integer.toString(SERVER.tlsPort()), "--user2", "bob",
                "--password-env2", "PW", "--trust-store2", SERVER.pemCertificate().toString(),
                "--client-cert2", CERTS.file("ec.pem").toString(), "--client-key2", CERTS.file("ec.key").toString());
        assertThat(r.status).as(r.toString()).isZero();

        CliRun wrongKey = CliRun.run(ENV, "migrate", "--host1", "localhost", "--port1", Integer.toString(SERVER.tlsPort()),
                "--user1", "alice", "--password-env1", "PW", "--client-cert1", CERTS.file("client.pem").toString(),
                "--client-key1", CERTS.file("other.key").toString(),
                "--host2", "localhost", "--port2", Integer.toString(SERVER.tlsPort()), "--user2", "bob",
                "--password-env2", "PW");
        assertThat(wrongKey.status).as(wrongKey.toString()).isEqualTo(2);
        assertThat(wrongKey.err).contains("host1: --client-key1:", "other.key", "does not belong");
    }
}
