package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An IMAP account as a {@link MessageSource}: immutable, thread-safe, built without I/O. Each
 * {@link #connect()} opens one authenticated connection; folders are opened read-only (EXAMINE)
 * and bodies are fetched with {@code BODY.PEEK}, so reading never changes the server.
 *
 * <pre>{@code
 * char[] secret = readPassword();
 * MessageSource source = ImapSource.builder()
 *         .host("imap.example.org")
 *         .security(Security.TLS)                 // port 993 unless port(...) says otherwise
 *         .user("alice")
 *         .password(() -> secret.clone())         // called once per connection; cleared after login
 *         .timeout(Duration.ofSeconds(60))
 *         .build();                               // validates, no I/O
 * try (SourceConnection connection = source.connect()) {
 *     for (FolderInfo folder : connection.folders()) {
 *         log.info("{} {}", folder.name(), connection.status(folder).messages());
 *     }
 * }
 * }</pre>
 *
 * <p>TLS (implicit or STARTTLS) checks the server certificate against the JDK's trust anchors, or
 * against {@link Builder#trustStore(Path)} when given, and checks that the certificate names the
 * host. STARTTLS is required when chosen: a server that does not offer it is refused rather than
 * used in clear. {@link Builder#insecure(boolean)} turns both checks off.
 *
 * <p>Secrets never appear in {@link #toString()}, {@link #describe()}, log lines or exception
 * messages.
 */
public final class ImapSource implements MessageSource {

    /** The default connect, read and write timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** The default size of one body chunk ({@code BODY.PEEK[]<offset.size>}): 1 MiB. */
    public static final int DEFAULT_FETCH_SIZE = 1 << 20;
    /**
     * The default number of messages whose metadata one {@code UID FETCH} asks for: each batch waits
     * one round trip for its first answer, so a folder of 15,000 messages over a 20 ms link listed in
     * 1.5–1.8 s with 500 and 0.9–1.1 s with 2,000 (docs/benchmarks-imap.md, "Metadata batches"); a
     * batch's answers are held until it ends (about 1 KiB each).
     */
    public static final int DEFAULT_METADATA_BATCH = 2000;

    private final String host;
    private final int port;
    private final Security security;
    private final String user;
    private final Supplier<char[]> password;
    private final OAuth2Tokens oauth2;
    private final Path trustStore;
    private final Supplier<char[]> trustStorePassword;
    private final ClientCertificate clientCertificate;
    private final boolean insecure;
    private final Duration timeout;
    private final int fetchSize;
    private final int metadataBatch;
    private final List<String> authMechanisms;
    private final SourceFilter filter;
    private final String authorizationId;
    private final GmailLabels gmailLabels;
    private final Connector connector;
    private final Throttling throttling;
    private final Sleeper sleeper;
    private final long maxBytesPerSecond;
    private final double maxMessagesPerSecond;
    private final WaitGate gate;
    private final Throttle throttle;
    private final RateLimiter byteLimiter;
    private final RateLimiter messageLimiter;

    private ImapSource(Builder b) {
        this.host = b.host;
        this.port = b.port > 0 ? b.port : b.security.defaultPort();
        this.security = b.security;
        this.user = b.user;
        this.password = b.password;
        this.oauth2 = b.oauth2;
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.clientCertificate = b.clientCertificate;
        this.insecure = b.insecure;
        this.timeout = b.timeout;
        this.fetchSize = b.fetchSize;
        this.metadataBatch = b.metadataBatch;
        this.authMechanisms = List.copyOf(b.authMechanisms);
        this.filter = new SourceFilter(b.search, b.maxAge, b.minAge, b.maxSize, b.minSize);
        this.authorizationId = b.authorizationId;
        this.gmailLabels = b.gmailLabels;
        this.connector = new Connector(this);
        this.throttling = b.throttling;
        this.sleeper = b.sleeper;
        this.maxBytesPerSecond = b.maxBytesPerSecond;
        this.maxMessagesPerSecond = b.maxMessagesPerSecond;
        this.gate = new WaitGate(sleeper);
        this.throttle = new Throttle(throttling, gate);
        this.byteLimiter = maxBytesPerSecond > 0 ? new RateLimiter(maxBytesPerSecond, sleeper) : null;
        this.messageLimiter = maxMessagesPerSecond > 0 ? new RateLimiter(maxMessagesPerSecond, sleeper) : null;
    }

    /**
     * Returns a new builder.
     *
     * @return a builder with the defaults: {@link Security#TLS}, the security's default port,
     *     {@link #DEFAULT_TIMEOUT}, {@link #DEFAULT_FETCH_SIZE}, {@link #DEFAULT_METADATA_BATCH}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding this source's settings, for a variation.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.security = security;
        b.user = user;
        b.password = password;
        b.oauth2 = oauth2;
        b.trustStore = trustStore;
        b.trustStorePassword = trustStorePassword;
        b.clientCertificate = clientCertificate;
        b.insecure = insecure;
        b.timeout = timeout;
        b.fetchSize = fetchSize;
        b.metadataBatch = metadataBatch;
        b.authMechanisms = authMechanisms;
        b.search = filter.search();
        b.maxAge = filter.maxAgeDays();
        b.minAge = filter.minAgeDays();
        b.maxSize = filter.maxSize();
        b.minSize = filter.minSize();
        b.authorizationId = authorizationId;
        b.gmailLabels = gmailLabels;
        b.throttling = throttling;
        b.sleeper = sleeper;
        b.maxBytesPerSecond = maxBytesPerSecond;
        b.maxMessagesPerSecond = maxMessagesPerSecond;
        return b;
    }

    /**
     * {@inheritDoc} With a {@link Builder#search(String) search expression}, the first connection
     * also tries it on INBOX once, so that an expression the server refuses fails here, before any
     * folder, with a {@link SearchRejectedException}.
     */
    @Override
    public SourceConnection connect() throws BackupException {
        return connector.connect();
    }

    /**
     * Connects, logs in, and returns what the server says of itself ({@code --justconnect}); reads
     * no folder. The connection is closed before this returns.
     *
     * @return the greeting and the capabilities before and after login
     * @throws io.github.imapbackup.ConnectionException if the server cannot be reached
     * @throws io.github.imapbackup.AuthenticationException if the credentials are refused
     * @throws BackupException for other failures
     */
    public Probe probe() throws BackupException {
        return connector.probe();
    }

    /**
     * What a server says of itself ({@link #probe()}); never a secret.
     *
     * @param greeting the server's greeting line, e.g. {@code * OK [CAPABILITY IMAP4rev1 ...] Dovecot ready.}
     * @param capabilitiesBeforeLogin the capabilities announced before login (after STARTTLS), sorted
     * @param capabilitiesAfterLogin the capabilities announced after login, sorted
     */
    public record Probe(String greeting, List<String> capabilitiesBeforeLogin, List<String> capabilitiesAfterLogin) {

        /**
         * Validates and copies.
         *
         * @param greeting the greeting line
         * @param capabilitiesBeforeLogin the capabilities before login
         * @param capabilitiesAfterLogin the capabilities after login
         */
        public Probe {
            Objects.requireNonNull(greeting, "greeting");
            capabilitiesBeforeLogin = List.copyOf(capabilitiesBeforeLogin);
            capabilitiesAfterLogin = List.copyOf(capabilitiesAfterLogin);
        }
    }

    /** {@return true: every connection can EXAMINE the same folder and fetch its messages} */
    @Override
    public boolean parallelFetch() {
        return true;
    }

    /** {@return whether a search, age or size filter leaves messages out} */
    @Override
    public boolean filtered() {
        return filter.active();
    }

    /**
     * {@inheritDoc} The account as {@link #describe()} gives it, with the size and maximum age
     * filters (a message leaves those only as its folder changes, or by ageing out); empty with a
     * {@link Builder#search search} or a {@link Builder#minAge minimum age}, whose listing can grow
     * while the folder's STATUS stays the same (a flag change without CONDSTORE, a message ageing in).
     */
    @Override
    public Optional<String> stateKey() {
        if (filter.search() != null || filter.minAgeDays() >= 0) {
            return Optional.empty();
        }
        return Optional.of(describe() + (filter.active() ? " maxage " + filter.maxAgeDays() + " maxsize "
                + filter.maxSize() + " minsize " + filter.minSize() : ""));
    }

    /**
     * Returns {@code imaps://user@host:993} for TLS, {@code imap://user@host:143} for no
     * protection, and {@code imap://user@host:143 (STARTTLS)} for STARTTLS; with an
     * {@link Builder#authorizationId authorisation identity}, {@code (as alice)} after the port.
     */
    @Override
    public String describe() {
        String scheme = security == Security.TLS ? "imaps" : "imap";
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String s = scheme + "://" + user + "@" + h + ":" + port;
        s = authorizationId == null ? s : s + " (as " + authorizationId + ")";
        return security == Security.STARTTLS ? s + " (STARTTLS)" : s;
    }

    @Override
    public String toString() {
        return "ImapSource[" + describe() + (oauth2 != null ? ", XOAUTH2" : "")
                + (clientCertificate != null ? ", client certificate" : "") + (insecure ? ", insecure" : "") + "]";
    }

    /** {@return the host name} */
    public String host() {
        return host;
    }

    /** {@return the port} */
    public int port() {
        return port;
    }

    /** {@return how the connection is protected} */
    public Security security() {
        return security;
    }

    /** {@return the user name} */
    public String user() {
        return user;
    }

    /** {@return the connect, read and write timeout} */
    public Duration timeout() {
        return timeout;
    }

    /** {@return the size of one body chunk in bytes} */
    public int fetchSize() {
        return fetchSize;
    }

    /** {@return the number of messages per metadata {@code UID FETCH}} */
    public int metadataBatch() {
        return metadataBatch;
    }

    /** {@return whether certificate and host name checks are off} */
    public boolean insecure() {
        return insecure;
    }

    /** {@return how Gmail's label folders are treated} */
    public GmailLabels gmailLabels() {
        return gmailLabels;
    }

    Connector connector() {
        return connector;
    }

    /** {@return how this source backs off when the server throttles it} */
    public Throttling throttling() {
        return throttling;
    }

    /** {@return the cap on bytes read per second, all connections together; 0: none} */
    public long maxBytesPerSecond() {
        return maxBytesPerSecond;
    }

    /** {@return the cap on messages fetched per second, all connections together; 0: none} */
    public double maxMessagesPerSecond() {
        return maxMessagesPerSecond;
    }

    Throttle throttle() {
        return throttle;
    }

    /** {@return the rate caps as one connection meets them, or null without caps} */
    Pacer pacer(WaitTally tally) {
        return byteLimiter == null && messageLimiter == null ? null
                : new Pacer(byteLimiter, messageLimiter, gate, tally);
    }

    /**
     * {@inheritDoc} The backoffs after throttling answers end with a
     * {@link io.github.imapbackup.CancelledException}; the rate caps' pacing ends early; and the
     * connections of this account open now (of every run that uses it, as a source or as a
     * target's account) are closed, so that a read blocked on a silent server ends at once, not at
     * the read timeout.
     */
    @Override
    public void cancelWaits() {
        gate.cancel();
        connector.closeSockets();
    }

    SourceFilter filter() {
        return filter;
    }

    String authorizationId() {
        return authorizationId;
    }

    Supplier<char[]> password() {
        return password;
    }

    OAuth2Tokens oauth2() {
        return oauth2;
    }

    /** {@return a copy that logs in with XOAUTH2 and these tokens instead of this source's credentials} */
    ImapSource withOAuth2(OAuth2Tokens tokens) {
        Builder b = toBuilder();
        b.password = null;
        b.authMechanisms = List.of();
        b.oauth2 = Objects.requireNonNull(tokens, "tokens");
        return b.build();
    }

    Path trustStore() {
        return trustStore;
    }

    Supplier<char[]> trustStorePassword() {
        return trustStorePassword;
    }

    /** {@return the TLS client certificate presented to the server, if one is set} */
    public Optional<ClientCertificate> clientCertificate() {
        return Optional.ofNullable(clientCertificate);
    }

    List<String> authMechanisms() {
        return authMechanisms;
    }

    /**
     * Builds an {@link ImapSource}. Not thread-safe; {@link #build()} validates and copies, and
     * does no I/O.
     */
    public static final class Builder {

        private String host;
        private int port;
        private Security security = Security.TLS;
        private String user;
        private Supplier<char[]> password;
        private OAuth2Tokens oauth2;
        private Path trustStore;
        private Supplier<char[]> trustStorePassword;
        private ClientCertificate clientCertificate;
        private boolean insecure;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int fetchSize = DEFAULT_FETCH_SIZE;
        private int metadataBatch = DEFAULT_METADATA_BATCH;
        private List<String> authMechanisms = List.of();
        private String search;
        private int maxAge = -1;
        private int minAge = -1;
        private long maxSize = -1;
        private long minSize = -1;
        private String authorizationId;
        private GmailLabels gmailLabels = GmailLabels.PER_LABEL_COPIES;
        private Throttling throttling = Throttling.DEFAULT;
        private Sleeper sleeper = Sleeper.system();
        private long maxBytesPerSecond;
        private double maxMessagesPerSecond;

        private Builder() { }

        /**
         * Sets how Gmail's label folders are treated (default {@link GmailLabels#PER_LABEL_COPIES}:
         * every folder is a folder). {@link GmailLabels#STORE_ONCE} lists only All Mail, Spam and
         * Trash on a server with Gmail's extensions, and records each message's labels.
         *
         * @param mode the treatment
         * @return this builder
         */
        public Builder gmailLabels(GmailLabels mode) {
            this.gmailLabels = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Lists only the messages matching an IMAP SEARCH expression ({@code --search}), sent as
         * {@code UID SEARCH} on each folder, e.g. {@code SINCE 1-Jan-2020 FROM "x"}; combined with
         * the other filters by AND. For a migration: a backup refuses a filtered source.
         *
         * @param imapSearchKey the expression (RFC 3501 search keys, ASCII), or null for none
         * @return this builder
         * @throws IllegalArgumentException if it is blank, or holds a control or non-ASCII character
         */
        public Builder search(String imapSearchKey) {
            if (imapSearchKey != null && (imapSearchKey.isBlank()
                    || imapSearchKey.chars().anyMatch(ch -> ch < 0x20 || ch >= 0x7f))) {
                throw new IllegalArgumentException("the search expression must be ASCII without control"
                        + " characters and not blank: \"" + imapSearchKey + "\"");
            }
            this.search = imapSearchKey == null ? null : imapSearchKey.strip();
            return this;
        }

        /**
         * Lists only messages not older than this many days by INTERNALDATE ({@code --maxage}).
         *
         * @param days 0 or more, or -1 for no limit (the default)
         * @return this builder
         */
        public Builder maxAge(int days) {
            this.maxAge = limit(days, "maxAge");
            return this;
        }

        /**
         * Lists only messages older than this many days by INTERNALDATE ({@code --minage}).
         *
         * @param days 0 or more, or -1 for no limit (the default)
         * @return this builder
         */
        public Builder minAge(int days) {
            this.minAge = limit(days, "minAge");
            return this;
        }

        /**
         * Lists only messages of at most this many bytes by RFC822.SIZE ({@code --maxsize}).
         *
         * @param bytes 0 or more, or -1 for no limit (the default)
         * @return this builder
         */
        public Builder maxSize(long bytes) {
            this.maxSize = limit(bytes, "maxSize");
            return this;
        }

        /**
         * Lists only messages of at least this many bytes by RFC822.SIZE ({@code --minsize}).
         *
         * @param bytes 0 or more, or -1 for no limit (the default)
         * @return this builder
         */
        public Builder minSize(long bytes) {
            this.minSize = limit(bytes, "minSize");
            return this;
        }

        private static int limit(int value, String what) {
            return (int) limit((long) value, what);
        }

        private static long limit(long value, String what) {
            if (value < -1) {
                throw new IllegalArgumentException(what + " must be -1 (no limit) or more: " + value);
            }
            return value;
        }

        /**
         * Logs in as {@link #user} with its password and acts as this user: the SASL PLAIN
         * authorisation identity ({@code --authuser1/2}), for an administrator or master user
         * migrating other accounts. The user name and password are then the administrator's.
         *
         * @param user the account to act as, or null for the login user itself (the default)
         * @return this builder
         */
        public Builder authorizationId(String user) {
            if (user != null && (user.isEmpty() || user.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f))) {
                throw new IllegalArgumentException("the authorisation identity must be a user name");
            }
            this.authorizationId = user;
            return this;
        }

        /**
         * Sets the server's host name or address (required).
         *
         * @param host the host
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the port; 0 (the default) means {@link Security#defaultPort()}.
         *
         * @param port 0, or 1 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets how the connection is protected (default {@link Security#TLS}).
         *
         * @param security the protection
         * @return this builder
         */
        public Builder security(Security security) {
            this.security = Objects.requireNonNull(security, "security");
            return this;
        }

        /**
         * Sets the user name (required).
         *
         * @param user the user name
         * @return this builder
         */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user");
            return this;
        }

        /**
         * Sets the password. The supplier is called once per connection, and the returned array
         * is overwritten with zeros once the login is done, so it must return a fresh array
         * (e.g. {@code () -> secret.clone()}) each time. Exclusive with {@link #oauth2}.
         *
         * @param password supplies the password
         * @return this builder
         */
        public Builder password(Supplier<char[]> password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Authenticates with SASL XOAUTH2 and a fixed OAuth 2.0 access token instead of a
         * password: the same as {@code oauth2(OAuth2Tokens.of(token))}. The supplier is called
         * once per connection, and again when the server refuses the token. Exclusive with
         * {@link #password}.
         *
         * @param token supplies the access token
         * @return this builder
         */
        public Builder oauth2Token(Supplier<String> token) {
            return oauth2(OAuth2Tokens.of(token));
        }

        /**
         * Authenticates with SASL XOAUTH2 and OAuth 2.0 access tokens from {@code tokens} instead
         * of a password: every connection asks {@link OAuth2Tokens#accessToken()}; when the server
         * refuses the token (a tagged {@code NO}, or Gmail's error challenge), the source calls
         * {@link OAuth2Tokens#refresh(String)} once and logs in again on a new connection; a
         * second refusal is an {@link io.github.imapbackup.AuthenticationException}. Exclusive
         * with {@link #password}.
         *
         * @param tokens the access tokens, e.g. an {@code OAuth2Refresher} of the module
         *     {@code io.github.imapbackup.accounts}
         * @return this builder
         */
        public Builder oauth2(OAuth2Tokens tokens) {
            this.oauth2 = Objects.requireNonNull(tokens, "tokens");
            return this;
        }

        /**
         * Trusts the certificates of this file instead of the JDK's default trust anchors: a PEM
         * file of one or more certificates, or a PKCS12 or JKS key store (detected from the
         * content). Host names are still checked.
         *
         * @param trustStore the file, or null for the JDK default
         * @return this builder
         */
        public Builder trustStore(Path trustStore) {
            this.trustStore = trustStore;
            return this;
        }

        /**
         * Sets the password of a PKCS12 or JKS {@link #trustStore(Path)}. Without one the store
         * is read without checking its integrity; a PKCS12 store whose certificates are
         * encrypted then falls back to the JDK's customary {@code changeit}.
         *
         * @param password supplies the store password, or null
         * @return this builder
         */
        public Builder trustStorePassword(Supplier<char[]> password) {
            this.trustStorePassword = password;
            return this;
        }

        /**
         * Presents this certificate when the server asks for one during the TLS handshake (implicit
         * TLS or STARTTLS), for servers that require a client certificate. The files are read when
         * the first connection is set up: a problem with them fails {@link ImapSource#connect()}
         * with a {@link io.github.imapbackup.ConnectionException} naming the file, before anything
         * is sent. The server's certificate and host name are checked as without it.
         *
         * @param certificate the certificate and key, or null for none (the default)
         * @return this builder
         */
        public Builder clientCertificate(ClientCertificate certificate) {
            this.clientCertificate = certificate;
            return this;
        }

        /**
         * Skips certificate and host name checks (default false). Anyone between here and the
         * server can then read the password and the mail; a warning is logged once per source.
         *
         * @param insecure whether to skip the checks
         * @return this builder
         */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /**
         * Sets the connect, read and write timeout (default {@link ImapSource#DEFAULT_TIMEOUT}).
         *
         * @param timeout a positive duration of at most {@link Integer#MAX_VALUE} milliseconds
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE
                    || timeout.toMillis() == 0) {
                throw new IllegalArgumentException("timeout must be between 1 ms and 24 days: "
                        + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets the size of one body chunk (default {@link ImapSource#DEFAULT_FETCH_SIZE}). The
         * memory used per message is about this size, whatever the message's size.
         *
         * @param bytes from 4096 to 64 MiB
         * @return this builder
         */
        public Builder fetchSize(int bytes) {
            if (bytes < 4096 || bytes > (64 << 20)) {
                throw new IllegalArgumentException("fetch size must be from 4 KiB to 64 MiB: "
                        + bytes);
            }
            this.fetchSize = bytes;
            return this;
        }

        /**
         * Sets how many messages one metadata {@code UID FETCH} asks for (default
         * {@link ImapSource#DEFAULT_METADATA_BATCH}).
         *
         * @param messages from 1 to 10000
         * @return this builder
         */
        public Builder metadataBatch(int messages) {
            if (messages < 1 || messages > 10_000) {
                throw new IllegalArgumentException("metadata batch must be from 1 to 10000: "
                        + messages);
            }
            this.metadataBatch = messages;
            return this;
        }

        /**
         * Restricts and orders the authentication mechanisms tried, e.g. {@code "PLAIN",
         * "LOGIN"}. Supported: {@code PLAIN}, {@code LOGIN} (AUTHENTICATE LOGIN), {@code
         * CRAM-MD5} and {@code DIGEST-MD5} (through the JDK's SASL), {@code XOAUTH2} (set by
         * {@link #oauth2}). Empty (the default) means PLAIN then LOGIN as the server offers
         * them. The plain IMAP {@code LOGIN} command is used when the server offers none of them
         * and does not announce {@code LOGINDISABLED}.
         *
         * @param mechanisms the mechanism names
         * @return this builder
         */
        public Builder authMechanisms(String... mechanisms) {
            List<String> list = List.of(mechanisms);
            for (String m : list) {
                String u = m.toUpperCase(Locale.ROOT);
                if (!Connector.MECHANISMS.contains(u)) {
                    throw new IllegalArgumentException("unsupported authentication mechanism: "
                            + m + " (supported: " + String.join(", ", Connector.MECHANISMS) + ")");
                }
            }
            this.authMechanisms = list.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
            return this;
        }

        /**
         * Sets how the source backs off when the server throttles it (default
         * {@link Throttling#DEFAULT}; {@link Throttling#NONE} fails at the first throttling answer).
         * Applies to every connection of this account, a restore's or migration's target
         * ({@link ImapTarget#builder(ImapSource)}) included.
         *
         * @param throttling the backoff settings
         * @return this builder
         */
        public Builder throttling(Throttling throttling) {
            this.throttling = Objects.requireNonNull(throttling, "throttling");
            return this;
        }

        /**
         * Caps the bytes read from this account per second, all its connections together ({@code
         * --max-bytes-per-second}): a token bucket with bursts of at most one second's worth, fed as
         * each response (a message, or one chunk of a big one) is read, so a large message is paced
         * too. For a provider's daily download limit (Gmail's), or to leave bandwidth to others.
         *
         * @param bytes the cap, at least 1024; 0 (the default) for none
         * @return this builder
         */
        public Builder maxBytesPerSecond(long bytes) {
            if (bytes != 0 && bytes < 1024) {
                throw new IllegalArgumentException("maxBytesPerSecond must be 0 (no cap) or at least 1024: " + bytes);
            }
            this.maxBytesPerSecond = bytes;
            return this;
        }

        /**
         * Caps the messages fetched from this account per second, all its connections together
         * ({@code --max-messages-per-second}; imapsync's {@code --maxmessagespersecond}, which it
         * sets to 4 for Office 365).
         *
         * @param messages the cap, from 0.001 to 1000000; 0 (the default) for none
         * @return this builder
         */
        public Builder maxMessagesPerSecond(double messages) {
            if (messages != 0 && !(messages >= 0.001 && messages <= 1_000_000)) {
                throw new IllegalArgumentException("maxMessagesPerSecond must be 0 (no cap) or from 0.001 to"
                        + " 1000000: " + messages);
            }
            this.maxMessagesPerSecond = messages;
            return this;
        }

        /**
         * Sets the clock and sleep of the backoff and the rate caps (default {@link Sleeper#system()});
         * tests pass one that does not wait.
         *
         * @param sleeper the clock and sleep
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Validates the settings and builds the source. Does no I/O.
         *
         * @return the source
         * @throws IllegalStateException if the host, the user or the credentials are missing, or
         *     both a password and a token are set
         */
        public ImapSource build() {
            if (host == null || host.isBlank()) {
                throw new IllegalStateException("host is required");
            }
            if (user == null || user.isEmpty()) {
                throw new IllegalStateException("user is required");
            }
            if (password == null && oauth2 == null) {
                throw new IllegalStateException("a password or an OAuth 2.0 token is required");
            }
            if (password != null && oauth2 != null) {
                throw new IllegalStateException("set a password or an OAuth 2.0 token, not both");
            }
            if (oauth2 != null && !authMechanisms.isEmpty()
                    && !authMechanisms.equals(List.of("XOAUTH2"))) {
                throw new IllegalStateException("an OAuth 2.0 token authenticates with XOAUTH2 only");
            }
            if (password != null && authMechanisms.contains("XOAUTH2")) {
                throw new IllegalStateException("XOAUTH2 needs oauth2(...) or oauth2Token(...), not a password");
            }
            if (insecure && security == Security.NONE) {
                throw new IllegalStateException("insecure applies to TLS and STARTTLS only");
            }
            if (clientCertificate != null && security == Security.NONE) {
                throw new IllegalStateException("a client certificate applies to TLS and STARTTLS only");
            }
            if (trustStore != null && security == Security.NONE) {
                throw new IllegalStateException("a trust store applies to TLS and STARTTLS only");
            }
            if (maxAge >= 0 && minAge >= 0 && minAge >= maxAge) {
                throw new IllegalStateException("minAge " + minAge + " and maxAge " + maxAge
                        + " leave no message: minAge must be below maxAge");
            }
            if (maxSize >= 0 && minSize > maxSize) {
                throw new IllegalStateException("minSize " + minSize + " above maxSize " + maxSize + " leaves no message");
            }
            if (authorizationId != null && !authMechanisms.isEmpty() && !authMechanisms.equals(List.of("PLAIN"))) {
                throw new IllegalStateException("an authorisation identity needs SASL PLAIN, not "
                        + String.join(", ", authMechanisms));
            }
            if (authorizationId != null && oauth2 != null) {
                throw new IllegalStateException("an authorisation identity goes with a password (SASL PLAIN),"
                        + " not with an OAuth 2.0 token");
            }
            host = host.strip();
            return new ImapSource(this);
        }
    }
}
