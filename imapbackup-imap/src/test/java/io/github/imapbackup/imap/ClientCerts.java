package io.github.imapbackup.imap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS client certificates made with {@code openssl} for the tests, in a directory of their own: a
 * CA, an RSA client key in PKCS#8 and in PKCS#1, its certificate signed by the CA, the pair as
 * PKCS12 and as one PEM file, an EC client key in SEC1 with its certificate, an encrypted key,
 * and a key of no certificate.
 */
final class ClientCerts {

    static final String P12_PASSWORD = "p12-s3cret";
    static final String KEY_PASSWORD = "key-s3cret";

    final Path dir;

    private ClientCerts(Path dir) {
        this.dir = dir;
    }

    /** Makes every file in a new temporary directory. */
    static ClientCerts generate() {
        try {
            ClientCerts c = new ClientCerts(Files.createTempDirectory("client-certs"));
            c.make();
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path ca() {
        return dir.resolve("ca.pem");
    }

    Path file(String name) {
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
