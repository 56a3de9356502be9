package io.github.imapbackup.examples.cli;

import io.github.imapbackup.imap.ClientCertificate;
import io.github.imapbackup.imap.Security;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach an IMAP account, as resolved from the options.
 *
 * @param host the host name
 * @param port the port
 * @param security TLS, STARTTLS or none
 * @param user the login name
 * @param credential the password or token
 * @param trustStore certificates to trust, or null for the JDK's
 * @param insecure whether certificate and host name checks are skipped
 * @param timeout the connect and read timeout, or null for the library's default
 * @param connections how many connections work in parallel
 * @param clientCertificate the TLS client certificate, or null for none
 * @param rates the rate caps ({@link RateCaps#NONE}: none)
 */
record ServerSettings(String host, int port, Security security, String user, Credential credential,
        Path trustStore, boolean insecure, Duration timeout, int connections, ClientCertificate clientCertificate,
        RateCaps rates) {

    /** Settings without a client certificate nor rate caps. */
    ServerSettings(String host, int port, Security security, String user, Credential credential,
            Path trustStore, boolean insecure, Duration timeout, int connections) {
        this(host, port, security, user, credential, trustStore, insecure, timeout, connections, null, RateCaps.NONE);
    }

    /** Settings without a client certificate. */
    ServerSettings(String host, int port, Security security, String user, Credential credential,
            Path trustStore, boolean insecure, Duration timeout, int connections, RateCaps rates) {
        this(host, port, security, user, credential, trustStore, insecure, timeout, connections, null, rates);
    }

    /** Validates. */
    ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(rates, "rates");
        ServerResolver.requireRange("--port", port, 1, 65535, "");
        ServerResolver.requireRange("--connections", connections, 1, ServerResolver.MAX_CONNECTIONS, "");
    }

    /** Returns {@code imaps://user@host:port} and the like, never a secret. */
    String describe() {
        String scheme = security == Security.TLS ? "imaps" : "imap";
        String suffix = security == Security.STARTTLS ? " (STARTTLS)" : security == Security.NONE ? " (no TLS)" : "";
        return scheme + "://" + user + "@" + host + ":" + port + suffix;
    }
}
