package io.github.imapbackup.accounts;

import io.github.imapbackup.imap.Security;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One account of a {@link BackupConfig}: where the server is, who logs in and how the secret is
 * obtained, and what of the configuration's defaults this account changes. Immutable and
 * thread-safe; built with {@link #builder()}, which validates and does no I/O. A {@link Provider}
 * preset fills in what the account leaves out (server, protection, rate cap, folders to ignore);
 * an account that names no provider gets the one whose server it uses.
 *
 * <pre>{@code
 * AccountConfig alice = AccountConfig.builder()
 *         .email("alice@example.org")                  // also the user, the name and the directory
 *         .host("imap.example.org")                    // TLS on 993 unless said otherwise
 *         .credentials(Credentials.passwordFile(Path.of("/etc/imapbackup/alice.pass")))
 *         .build();
 * }</pre>
 */
public final class AccountConfig {

    /** The most connections one account may be given. */
    public static final int MAX_CONNECTIONS = 100;

    private final String name;
    private final String email;
    private final Provider provider;
    private final String host;
    private final int port;
    private final Security security;
    private final String user;
    private final Credentials credentials;
    private final ClientCertificateFiles clientCertificate;
    private final Path trustStore;
    private final boolean insecure;
    private final int connections;
    private final List<FolderRule> ignoreFolders;
    private final List<FolderRule> includeFolders;
    private final RateLimit rateLimit;
    private final String directory;
    private final boolean gmailLabelCopies;

    private AccountConfig(Builder b, Provider provider, String host, Security security, String user) {
        this.provider = provider;
        this.host = host;
        this.security = security;
        this.port = b.port > 0 ? b.port : security.defaultPort();
        this.user = user;
        this.email = b.email;
        this.name = b.name != null ? b.name : b.email != null ? b.email : user + "@" + host;
        this.credentials = b.credentials;
        this.clientCertificate = b.clientCertificate;
        this.trustStore = b.trustStore;
        this.insecure = b.insecure;
        this.connections = b.connections;
        this.ignoreFolders = List.copyOf(b.ignoreFolders);
        this.includeFolders = List.copyOf(b.includeFolders);
        this.rateLimit = b.rateLimit;
        this.directory = b.directory;
        this.gmailLabelCopies = b.gmailLabelCopies;
    }

    static AccountConfig of(Builder b) {
        Provider provider = b.provider != null ? b.provider : Provider.forHost(b.host);
        String host = b.host != null ? b.host.strip() : provider.host().orElse(null);
        if (host == null || host.isEmpty()) {
            throw new IllegalStateException("account " + label(b) + ": a host or a provider is required");
        }
        String user = b.user != null ? b.user : b.email;
        if (user == null || user.isEmpty()) {
            throw new IllegalStateException("account " + label(b) + ": a user (or an e-mail address) is required");
        }
        if (b.credentials == null) {
            throw new IllegalStateException("account " + label(b) + ": credentials are required (a password file,"
                    + " an environment variable, a command, or OAuth2)");
        }
        Security security = b.security != null ? b.security : provider.security();
        if (security == Security.NONE && (b.insecure || b.trustStore != null || b.clientCertificate != null)) {
            throw new IllegalStateException("account " + label(b) + ": security none has no TLS, so no trust store,"
                    + " client certificate or insecure setting applies");
        }
        return new AccountConfig(b, provider, host, security, user);
    }

    private static String label(Builder b) {
        return b.name != null ? b.name : b.email != null ? b.email : b.user != null ? b.user : "(unnamed)";
    }

    /**
     * {@return a new builder: security and port from the provider (TLS, 993) unless set}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this account's settings, for a variation} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.email = email;
        b.provider = provider;
        b.host = host;
        b.port = port;
        b.security = security;
        b.user = user;
        b.credentials = credentials;
        b.clientCertificate = clientCertificate;
        b.trustStore = trustStore;
        b.insecure = insecure;
        b.connections = connections;
        b.ignoreFolders = ignoreFolders;
        b.includeFolders = includeFolders;
        b.rateLimit = rateLimit;
        b.directory = directory;
        b.gmailLabelCopies = gmailLabelCopies;
        return b;
    }

    /** {@return the account's name, unique in its configuration: given, else the e-mail address, else user@host} */
    public String name() {
        return name;
    }

    /** {@return the account's e-mail address, if given} */
    public Optional<String> email() {
        return Optional.ofNullable(email);
    }

    /** {@return the preset: given, else the one whose server this is, else {@link Provider#NONE}} */
    public Provider provider() {
        return provider;
    }

    /** {@return the server: given, else the provider's} */
    public String host() {
        return host;
    }

    /** {@return the port: given, else the security's default} */
    public int port() {
        return port;
    }

    /** {@return how the connection is protected: given, else the provider's (TLS)} */
    public Security security() {
        return security;
    }

    /** {@return the user name: given, else the e-mail address} */
    public String user() {
        return user;
    }

    /** {@return how the secret is obtained} */
    public Credentials credentials() {
        return credentials;
    }

    /** {@return the TLS client certificate, for servers that require one} */
    public Optional<ClientCertificateFiles> clientCertificate() {
        return Optional.ofNullable(clientCertificate);
    }

    /** {@return the certificates trusted instead of the JDK's (a PEM file, or a PKCS12 or JKS store)} */
    public Optional<Path> trustStore() {
        return Optional.ofNullable(trustStore);
    }

    /** {@return whether certificate and host name checks are off} */
    public boolean insecure() {
        return insecure;
    }

    /** {@return the most connections for this account, 0 for the configuration's default} */
    public int connections() {
        return connections;
    }

    /** {@return folders to ignore in this account, besides the configuration's and the provider's} */
    public List<FolderRule> ignoreFolders() {
        return ignoreFolders;
    }

    /** {@return the only folders to back up (with their sub-folders); empty for all} */
    public List<FolderRule> includeFolders() {
        return includeFolders;
    }

    /** {@return this account's own rate cap, replacing the configuration's and the provider's} */
    public Optional<RateLimit> rateLimit() {
        return Optional.ofNullable(rateLimit);
    }

    /** {@return the name of the account's directory in the destination: given, else the e-mail address, else the name} */
    public String directory() {
        return directory != null ? directory : email != null ? email : name;
    }

    /**
     * {@return whether a Gmail account keeps a copy of a message in each label's folder, instead of
     * storing it once with its labels recorded (the default)}
     */
    public boolean gmailLabelCopies() {
        return gmailLabelCopies;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountConfig a && name.equals(a.name) && Objects.equals(email, a.email)
                && provider == a.provider && host.equals(a.host) && port == a.port && security == a.security
                && user.equals(a.user) && credentials.equals(a.credentials)
                && Objects.equals(clientCertificate, a.clientCertificate) && Objects.equals(trustStore, a.trustStore)
                && insecure == a.insecure && connections == a.connections && ignoreFolders.equals(a.ignoreFolders)
                && includeFolders.equals(a.includeFolders) && Objects.equals(rateLimit, a.rateLimit)
                && Objects.equals(directory, a.directory) && gmailLabelCopies == a.gmailLabelCopies;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, host, port, user);
    }

    /** Shows where and who, and where the secret is; never the secret. */
    @Override
    public String toString() {
        return "account " + name + " (" + user + " at " + host + ":" + port + " " + security.name().toLowerCase(
                java.util.Locale.ROOT) + ", " + credentials + ")";
    }

    /**
     * Builds an {@link AccountConfig}. Not thread-safe; {@link #build()} validates and copies, and
     * does no I/O.
     */
    public static final class Builder {

        private String name;
        private String email;
        private Provider provider;
        private String host;
        private int port;
        private Security security;
        private String user;
        private Credentials credentials;
        private ClientCertificateFiles clientCertificate;
        private Path trustStore;
        private boolean insecure;
        private int connections;
        private List<FolderRule> ignoreFolders = List.of();
        private List<FolderRule> includeFolders = List.of();
        private RateLimit rateLimit;
        private String directory;
        private boolean gmailLabelCopies;

        private Builder() { }

        /**
         * Sets the account's name (default: the e-mail address, else user@host).
         *
         * @param name a name unique in the configuration, without control characters, or null
         * @return this builder
         */
        public Builder name(String name) {
            if (name != null && (name.isBlank() || name.chars().anyMatch(Character::isISOControl))) {
                throw new IllegalArgumentException("an account name must not be blank nor hold control characters");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets the e-mail address; it is also the user, the name and the directory unless those are set.
         *
         * @param email the address, or null
         * @return this builder
         */
        public Builder email(String email) {
            if (email != null && (email.isBlank() || email.chars().anyMatch(ch -> ch <= ' ' || ch == 0x7f))) {
                throw new IllegalArgumentException("an e-mail address must not be blank nor hold spaces or control"
                        + " characters");
            }
            this.email = email;
            return this;
        }

        /**
         * Sets the preset (default: the one whose server {@link #host(String)} is, else none).
         *
         * @param provider the preset
         * @return this builder
         */
        public Builder provider(Provider provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        /**
         * Sets the server (required unless the provider has one).
         *
         * @param host the host name or address, or null for the provider's
         * @return this builder
         */
        public Builder host(String host) {
            if (host != null && (host.isBlank() || host.strip().chars().anyMatch(ch -> ch <= ' ' || ch == '/'))) {
                throw new IllegalArgumentException("a host must be a host name or an address, without spaces or"
                        + " slashes: \"" + host + "\"");
            }
            this.host = host;
            return this;
        }

        /**
         * Sets the port (default: the security's, 993 for TLS and 143 otherwise).
         *
         * @param port 1 to 65535, or 0 for the default
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("a port must be from 1 to 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets how the connection is protected (default: the provider's, TLS).
         *
         * @param security the protection, or null for the default
         * @return this builder
         */
        public Builder security(Security security) {
            this.security = security;
            return this;
        }

        /**
         * Sets the user name (default: the e-mail address).
         *
         * @param user the user name, or null
         * @return this builder
         */
        public Builder user(String user) {
            if (user != null && user.isEmpty()) {
                throw new IllegalArgumentException("a user name must not be empty");
            }
            this.user = user;
            return this;
        }

        /**
         * Sets how the secret is obtained (required).
         *
         * @param credentials the source
         * @return this builder
         */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * Sets a TLS client certificate, for servers that require one.
         *
         * @param certificate the files, or null for none
         * @return this builder
         */
        public Builder clientCertificate(ClientCertificateFiles certificate) {
            this.clientCertificate = certificate;
            return this;
        }

        /**
         * Trusts these certificates instead of the JDK's (a self-signed server).
         *
         * @param trustStore a PEM file of certificates, or a PKCS12 or JKS store, or null
         * @return this builder
         */
        public Builder trustStore(Path trustStore) {
            this.trustStore = trustStore;
            return this;
        }

        /**
         * Skips certificate and host name checks (default false; a warning is logged).
         *
         * @param insecure whether to skip them
         * @return this builder
         */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /**
         * Sets the most connections for this account (the original's per-account
         * {@code processes_per_account}).
         *
         * @param connections 1 to {@value AccountConfig#MAX_CONNECTIONS}, or 0 for the configuration's default
         * @return this builder
         */
        public Builder connections(int connections) {
            if (connections < 0 || connections > MAX_CONNECTIONS) {
                throw new IllegalArgumentException("connections must be from 1 to " + MAX_CONNECTIONS + ": "
                        + connections);
            }
            this.connections = connections;
            return this;
        }

        /**
         * Sets folders to ignore in this account, besides the configuration's and the provider's.
         *
         * @param rules the folders
         * @return this builder
         */
        public Builder ignoreFolders(List<FolderRule> rules) {
            this.ignoreFolders = List.copyOf(rules);
            return this;
        }

        /**
         * Backs up only these folders (with their sub-folders).
         *
         * @param rules the folders; empty for all (the default)
         * @return this builder
         */
        public Builder includeFolders(List<FolderRule> rules) {
            this.includeFolders = List.copyOf(rules);
            return this;
        }

        /**
         * Sets this account's own rate cap, replacing the configuration's and the provider's.
         *
         * @param limit the cap ({@link RateLimit#NONE} for none at all), or null to keep theirs
         * @return this builder
         */
        public Builder rateLimit(RateLimit limit) {
            this.rateLimit = limit;
            return this;
        }

        /**
         * Sets the name of the account's directory in the destination (default: the e-mail address,
         * else the account's name).
         *
         * @param directory one path segment (no separator, not {@code .} or {@code ..}), or null
         * @return this builder
         */
        public Builder directory(String directory) {
            if (directory != null && (directory.isBlank() || directory.equals(".") || directory.equals("..")
                    || directory.indexOf('/') >= 0 || directory.indexOf('\\') >= 0
                    || directory.chars().anyMatch(Character::isISOControl))) {
                throw new IllegalArgumentException("a directory must be one name inside the destination (no /, \\,"
                        + " . or ..): \"" + directory + "\"");
            }
            this.directory = directory;
            return this;
        }

        /**
         * Keeps a copy of each Gmail message in every label's folder instead of storing it once with
         * its labels recorded (default false: once).
         *
         * @param copies whether to keep a copy per label
         * @return this builder
         */
        public Builder gmailLabelCopies(boolean copies) {
            this.gmailLabelCopies = copies;
            return this;
        }

        /**
         * Validates and builds the account. Does no I/O.
         *
         * @return the account
         * @throws IllegalStateException if the host (and provider), the user (and e-mail address) or the
         *     credentials are missing, or TLS settings are given with security none
         */
        public AccountConfig build() {
            return AccountConfig.of(this);
        }
    }
}
