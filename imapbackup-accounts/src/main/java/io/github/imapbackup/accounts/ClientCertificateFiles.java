package io.github.imapbackup.accounts;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The files of a TLS client certificate, for servers that require one: a PKCS12 store with the
 * source of its password, or a PEM certificate (chain) and its PEM private key. Only the files
 * and where the password comes from; nothing is read here.
 *
 * <pre>{@code
 * ClientCertificateFiles p12 = ClientCertificateFiles.pkcs12(Path.of("me.p12"),
 *         Credentials.passwordFile(Path.of("me.p12.pass")));
 * ClientCertificateFiles pem = ClientCertificateFiles.pem(Path.of("me.crt"), Path.of("me.key"));
 * }</pre>
 */
public sealed interface ClientCertificateFiles {

    /**
     * {@return a PKCS12 store}
     *
     * @param file the {@code .p12}/{@code .pfx} file
     * @param password where its password comes from, or null for a store without a password
     */
    static ClientCertificateFiles pkcs12(Path file, Credentials.SecretSource password) {
        return new Pkcs12(file, password);
    }

    /**
     * {@return a PEM certificate and key}
     *
     * @param certificate the certificate, or the chain beginning with it, in PEM
     * @param key its private key in PEM (PKCS#8, unencrypted)
     */
    static ClientCertificateFiles pem(Path certificate, Path key) {
        return new Pem(certificate, key);
    }

    /**
     * A PKCS12 store.
     *
     * @param file the store
     * @param password where its password comes from, or null for none
     */
    record Pkcs12(Path file, Credentials.SecretSource password) implements ClientCertificateFiles {

        /**
         * A PKCS12 store.
         *
         * @param file the store
         * @param password where its password comes from, or null for none
         */
        public Pkcs12 {
            Objects.requireNonNull(file, "file");
        }

        /** {@return where the store's password comes from} */
        public Optional<Credentials.SecretSource> passwordSource() {
            return Optional.ofNullable(password);
        }
    }

    /**
     * A PEM certificate and key.
     *
     * @param certificate the certificate (chain)
     * @param key the private key
     */
    record Pem(Path certificate, Path key) implements ClientCertificateFiles {

        /**
         * A PEM certificate and key.
         *
         * @param certificate the certificate (chain)
         * @param key the private key
         */
        public Pem {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }
    }
}
