package io.github.imapbackup.testing.imap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS client certificates made with {@code openssl} for tests, in a new temporary directory: a CA
 * ({@code ca.pem}, for a server's {@code ssl_ca}); an RSA client key in PKCS#8 ({@code client.key})
 * and PKCS#1 ({@code client-pkcs1.key}) with its certificate signed by the CA ({@code client.pem},
 * CN alice); the pair as PKCS12 ({@code client.p12}, password {@link #P12_PASSWORD}) and as one
 * PEM file ({@code combined.pem}); an EC key in SEC1 ({@code ec.key}) with its certificate
 * ({@code ec.pem}, CN alice-ec); the RSA key encrypted ({@code encrypted.key}, password
 * {@link #KEY_PASSWORD}); and a key of no certificate ({@code other.key}).
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.generate();
 * Dovecot dovecot = Dovecot.builder().tls(true).config("ssl_ca = <" + certs.ca(),
 *         "ssl_verify_client_cert = yes", "ssl_require_crl = no", "auth_ssl_require_client_cert = yes").build();
 * Path p12 = certs.file("client.p12");
 * }</pre>
 */
public final class TestCertificates {

    /** The password of {@code client.p12}. */
    public static final String P12_PASSWORD = "p12-s3cret";
    /** The password of {@code encrypted.key}. */
    public static final String KEY_PASSWORD = "key-s3cret";

    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /**
     * Makes every file in a new temporary directory.
     *
     * @return the certificates
     * @throws UncheckedIOException if {@code openssl} fails
     */
    public static TestCertificates generate() {
        try {
            TestCertificates c = new TestCertificates(Files.createTempDirectory("client-certs"));
            c.make();
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the CA certificate (PEM) that signed the client certificates} */
    public Path ca() {
        return dir.resolve("ca.pem");
    }

    /**
     * Returns one of the files.
     *
     * @param name its name, e.g. {@code client.p12}
     * @return the file
     */
    public Path file(String name) {
        return dir.resolve(name);
    }

    private void make() throws IOException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650",
                "-subj", "/CN=imapbackup test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "client.key");
        sign("client.key", "client.pem", "alice");
        openssl("pkey", "-in", "client.key", "-traditional", "-out", "client-pkcs1.key");
        openssl("pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key", "-certfile", "ca.pem",
                "-out", "client.p12", "-passout", "pass:" + P12_PASSWORD);
        Files.writeString(file("combined.pem"), Files.readString(file("client.pem")) + Files.readString(file("client.key")));
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
        sign("ec.key", "ec.pem", "alice-ec");
        openssl("pkcs8", "-topk8", "-in", "client.key", "-out", "encrypted.key", "-passout", "pass:" + KEY_PASSWORD);
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other.key");
    }

    private void sign(String key, String certificate, String name) throws IOException {
        openssl("req", "-new", "-key", key, "-out", name + ".csr", "-subj", "/CN=" + name);
        Files.writeString(file(name + ".ext"), "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", certificate, "-days", "3650", "-extfile", name + ".ext");
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
