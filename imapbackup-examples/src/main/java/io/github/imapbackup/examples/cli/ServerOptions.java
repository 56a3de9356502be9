package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupSession;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.imap.Security;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options of the commands that talk to a server (docs/CLI.md). */
final class ServerOptions {

    @Option(names = "--host", paramLabel = "HOST", description = "The IMAP server's host name.")
    String host;

    @Option(names = "--port", paramLabel = "N",
            description = "The port (default: 993 with tls, 143 with starttls or none).")
    Integer port;

    @Option(names = "--security", paramLabel = "tls|starttls|none",
            description = "How the connection is protected (default: ${DEFAULT-VALUE}).", defaultValue = "tls")
    Security security = Security.TLS;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "The login name.")
    String user;

    @ArgGroup(exclusive = true, multiplicity = "0..1", order = 50,
            heading = "%nPassword (at most one; without any, a terminal is asked):%n")
    Secret secret;

    @Option(names = "--trust-store", paramLabel = "FILE",
            description = "Trust the certificates in FILE (PEM, PKCS12 or JKS) instead of the JDK's.")
    Path trustStore;

    @Option(names = "--client-cert", paramLabel = "FILE",
            description = "Present this TLS client certificate: a PKCS12 file, or PEM (with the key in the same file"
                    + " unless --client-key gives it).")
    Path clientCert;

    @Option(names = "--client-key", paramLabel = "FILE",
            description = "The unencrypted PEM private key of a PEM --client-cert, when in a file of its own.")
    Path clientKey;

    @Option(names = "--client-cert-password-file", paramLabel = "FILE",
            description = "Read the password of a PKCS12 --client-cert from the first line of FILE.")
    Path clientCertPasswordFile;

    @Option(names = "--insecure",
            description = "Skip certificate and host name checks (dangerous: anyone on the way can read your mail).")
    boolean insecure;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS",
            description = "Connect and read timeout in seconds (default: the library's).")
    Integer timeoutSeconds;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "" + BackupSession.DEFAULT_CONNECTIONS,
            description = "Folders worked on in parallel, one connection each (default: ${DEFAULT-VALUE}; restore: "
                    + RestoreSession.DEFAULT_CONNECTIONS + ").")
    int connections = BackupSession.DEFAULT_CONNECTIONS;

    @Option(names = "--oauth2-token-endpoint", paramLabel = "URL|google|microsoft",
            description = "With --oauth2-refresh-token-file: where access tokens are got: google, microsoft,"
                    + " microsoft:TENANT, or the token endpoint's https URL.")
    String oauth2Endpoint;

    @Option(names = "--oauth2-client-id", paramLabel = "ID",
            description = "With --oauth2-refresh-token-file: the OAuth2 client (application) the refresh token was"
                    + " granted to.")
    String oauth2ClientId;

    @Option(names = "--oauth2-client-secret-file", paramLabel = "FILE",
            description = "With --oauth2-refresh-token-file: the client's secret, in the first line of FILE"
                    + " (none for a public client).")
    Path oauth2ClientSecretFile;

    @Option(names = "--oauth2-scope", paramLabel = "SCOPE",
            description = "With --oauth2-refresh-token-file: the scope to ask for (default: microsoft's IMAP scope"
                    + " for microsoft, else what was granted).")
    String oauth2Scope;

    @Option(names = "--oauth2-token-cache", paramLabel = "FILE",
            description = "With --oauth2-refresh-token-file: keep access tokens in FILE, readable by you only"
                    + " (default: in your cache directory, one file per user and endpoint).")
    Path oauth2TokenCache;

    @Option(names = "--max-bytes-per-second", paramLabel = "N[k|M|G]",
            description = "Transfer at most N bytes a second with this account, all connections together (k, M, G:"
                    + " times 1024, 1024^2, 1024^3; default: no cap).")
    String maxBytesPerSecond;

    @Option(names = "--max-messages-per-second", paramLabel = "N",
            description = "Transfer at most N messages a second with this account, e.g. 4 or 0.5 (default: no cap).")
    Double maxMessagesPerSecond;

    /** The password sources; at most one. */
    static final class Secret {

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "Read the password from the first line of FILE.")
        Path passwordFile;

        @Option(names = "--password-env", paramLabel = "VAR",
                description = "Read the password from the environment variable VAR.")
        String passwordEnv;

        @Option(names = "--oauth2-token-file", paramLabel = "FILE",
                description = "Log in with XOAUTH2, the access token read from FILE.")
        Path oauth2TokenFile;

        @Option(names = "--oauth2-refresh-token-file", paramLabel = "FILE",
                description = "Log in with XOAUTH2, access tokens got with the refresh token in FILE at"
                        + " --oauth2-token-endpoint, renewed when they expire (see the OAuth2 options).")
        Path oauth2RefreshTokenFile;
    }
}
