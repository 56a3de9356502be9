package io.github.imapbackup.imap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * A TLS client certificate with its private key, for servers that ask for one (mbsync's
 * {@code TLSClientCert}, imapsync's {@code --sslargs1 SSL_cert_file=}): a PKCS12 file, or a PEM
 * certificate (with its chain) and a PEM private key, in one file or two. Immutable; the factories
 * do no I/O, the files are read when the first connection is set up (or by {@link #check()}), and
 * a missing, unreadable, garbled or wrongly protected file is then said in words naming it, before
 * anything connects. The certificate and host name checks of the server stay as they are.
 *
 * <p>PEM keys: PKCS#8 ({@code BEGIN PRIVATE KEY}, what {@code openssl genpkey} writes), and the
 * older PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC PRIVATE KEY})
 * forms; RSA, EC, Ed25519/Ed448 and DSA keys. An encrypted PEM key is refused with the command that
 * decrypts it; a PKCS12 file carries its own password instead. The password never appears in
 * {@link #toString()}, a log line or a message.
 *
 * <pre>{@code
 * ImapSource account = ImapSource.builder()
 *         .host("imap.example.org").user("alice").password(() -> secret.clone())
 *         .clientCertificate(ClientCertificate.pkcs12(Path.of("alice.p12"), () -> p12Password.clone()))
 *         .build();
 * ClientCertificate pem = ClientCertificate.pem(Path.of("alice.crt"), Path.of("alice.key"));
 * }</pre>
 */
public final class ClientCertificate {

    private final Path certificate;
    /** The PEM key file, or null for PKCS12. */
    private final Path key;
    /** The PKCS12 password, or null (none, or PEM). */
    private final Supplier<char[]> password;

    private ClientCertificate(Path certificate, Path key, Supplier<char[]> password) {
        this.certificate = certificate;
        this.key = key;
        this.password = password;
    }

    /**
     * A PKCS12 file ({@code .p12}, {@code .pfx}) holding the private key and its certificate chain.
     *
     * @param file the file
     * @param password supplies its password (called once per source, the array is cleared after
     *     use), or null for a file without one
     * @return the certificate
     */
    public static ClientCertificate pkcs12(Path file, Supplier<char[]> password) {
        return new ClientCertificate(Objects.requireNonNull(file, "file"), null, password);
    }

    /**
     * A PEM certificate (the client's first, then any intermediate certificates) and a PEM private
     * key, unencrypted; both may be the same file.
     *
     * @param certificate the certificate file
     * @param key the key file (the certificate file when it holds the key too)
     * @return the certificate
     */
    public static ClientCertificate pem(Path certificate, Path key) {
        return new ClientCertificate(Objects.requireNonNull(certificate, "certificate"),
                Objects.requireNonNull(key, "key"), null);
    }

    /** {@return the certificate file (the PKCS12 file, or the PEM certificate)} */
    public Path certificate() {
        return certificate;
    }

    /** {@return the PEM key file; empty for PKCS12} */
    public Optional<Path> key() {
        return Optional.ofNullable(key);
    }

    /** {@return whether this is a PKCS12 file} */
    public boolean isPkcs12() {
        return key == null;
    }

    /**
     * Reads the files now, so that a mistake is told before any connection (the command line
     * checks its options this way).
     *
     * @throws IOException naming the file and what is wrong with it: missing, unreadable, not a
     *     certificate or key, a wrong password, an encrypted PEM key, a key that does not belong to
     *     the certificate
     */
    public void check() throws IOException {
        keyManagers();
    }

    /** {@return the key managers that present this certificate} */
    KeyManager[] keyManagers() throws IOException {
        readable(certificate);
        char[] pw = null;
        try {
            KeyStore store;
            if (key == null) {
                pw = password == null ? new char[0] : password.get();
                store = pkcs12(pw == null ? new char[0] : pw);
            } else {
                readable(key);
                pw = new char[0];
                store = PemKeys.keyStore(certificate, key, pw);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, pw == null ? new char[0] : pw);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException("the client certificate " + certificate + " cannot be used: " + e.getMessage(), e);
        } finally {
            if (pw != null) {
                Arrays.fill(pw, '\0');
            }
        }
    }

    private KeyStore pkcs12(char[] pw) throws IOException, GeneralSecurityException {
        KeyStore store;
        try {
            store = KeyStore.getInstance(certificate.toFile(), pw);
        } catch (IOException | GeneralSecurityException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password");
            throw new IOException("the client certificate " + certificate + (wrongPassword
                    ? " is a PKCS12 file whose password is wrong or missing"
                    : " is neither a PKCS12 file nor PEM (a PEM certificate starts with -----BEGIN CERTIFICATE-----)"),
                    e);
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                return store;
            }
        }
        throw new IOException("the client certificate " + certificate + " holds no private key, only"
                + " certificates (a trust store?): export the key with its certificate into PKCS12");
    }

    /** Says in words why a file cannot be read. */
    static void readable(Path file) throws IOException {
        String problem = !Files.exists(file) ? "does not exist" : Files.isDirectory(file) ? "is a directory"
                : !Files.isReadable(file) ? "cannot be read (permissions)" : null;
        if (problem != null) {
            throw new IOException("the client certificate file " + file + " " + problem);
        }
    }

    /** {@return the files, never the password} */
    @Override
    public String toString() {
        return "ClientCertificate[" + (key == null ? "PKCS12 " + certificate
                : "PEM " + certificate + (key.equals(certificate) ? "" : ", key " + key)) + "]";
    }
}
