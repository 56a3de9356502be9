package io.github.imapbackup.accounts;

import io.github.imapbackup.accounts.internal.TokenCache;
import io.github.imapbackup.accounts.internal.TokenRequest;
import io.github.imapbackup.imap.OAuth2Tokens;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * OAuth 2.0 access tokens for XOAUTH2, got from a refresh token at a token endpoint (RFC 6749 §6)
 * and cached in a file, so that an unattended backup keeps logging in after the first token
 * expires: give it to {@link io.github.imapbackup.imap.ImapSource.Builder#oauth2(OAuth2Tokens)}.
 *
 * <pre>{@code
 * OAuth2Refresher tokens = OAuth2Refresher.builder()
 *         .endpoint(OAuth2Endpoint.GOOGLE)
 *         .clientId("1234-abc.apps.googleusercontent.com")
 *         .clientSecretFile(Path.of("/etc/imapbackup/client-secret"))
 *         .refreshTokenFile(Path.of("/etc/imapbackup/alice.refresh-token"))
 *         .cacheFile(OAuth2Refresher.defaultCacheFile("alice@gmail.com", OAuth2Endpoint.GOOGLE))
 *         .build();                                   // no I/O
 * ImapSource source = ImapSource.builder()
 *         .host("imap.gmail.com").user("alice@gmail.com").oauth2(tokens).build();
 * }</pre>
 *
 * <p>{@link #accessToken()} returns the token in memory or in the cache file while it has more
 * than {@link #MARGIN} left, else asks the endpoint for a new one; {@link #refresh(String)} asks
 * for a new one when the server refused a token (unless another connection already replaced it).
 * A new refresh token in the endpoint's answer (Microsoft sends one each time) replaces the
 * configured one and is kept in the cache file; the configured one is used again once the user
 * puts a new one in its place. The endpoint's 5xx answers, timeouts and refused connections are
 * retried with doubling pauses {@link Builder#retries(int) a few times}; a refused grant
 * ({@code invalid_grant}: the user must sign in again) is an
 * {@link io.github.imapbackup.AuthenticationException} at once. No message, log line or
 * {@code toString()} shows a token or the client secret. Thread-safe: one request at a time.
 * See {@code docs/CLI.md}, "OAuth2".
 */
public final class OAuth2Refresher implements OAuth2Tokens {

    /** A token is used until this long before it expires. */
    public static final Duration MARGIN = Duration.ofMinutes(2);
    /** The default timeout for connecting to the endpoint and for its answer: 30 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The default number of retries after a 5xx answer, a timeout or a refused connection. */
    public static final int DEFAULT_RETRIES = 3;
    /** The lifetime assumed when the endpoint does not say ({@code expires_in}). */
    static final Duration ASSUMED_LIFETIME = Duration.ofHours(1);

    /** Where a secret is read from, each time it is needed (a file that may change, a command, ...). */
    @FunctionalInterface
    public interface Secret {
        /**
         * Reads the secret; the caller overwrites the array once used.
         *
         * @return the secret
         * @throws IOException naming where it is (never the secret) when it cannot be read
         */
        char[] read() throws IOException;
    }

    private final OAuth2Endpoint endpoint;
    private final String clientId;
    private final TokenCache cache;
    private final RefreshingTokens tokens;

    private OAuth2Refresher(Builder b) {
        this.endpoint = b.endpoint;
        this.clientId = b.clientId;
        this.cache = b.cacheFile == null ? null
                : new TokenCache(b.cacheFile, endpoint.tokenUri().toString(), b.clientId);
        this.tokens = new RefreshingTokens(endpoint, b.clientId, b.clientSecret, b.refreshToken,
                b.scope != null ? b.scope : endpoint.scope(), cache, b.clock,
                new TokenRequest(endpoint.tokenUri(), b.timeout, b.retries, b.firstPause, b.sleeper));
    }

    /** {@return a new builder} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The cache file used when none is given: in the user's cache directory
     * ({@code $XDG_CACHE_HOME/imapbackup/oauth2}, else {@code ~/.cache/imapbackup/oauth2}, or
     * {@code %LOCALAPPDATA%\imapbackup\oauth2} on Windows), named by a hash of the user and the
     * endpoint, so that each account has its own.
     *
     * @param user the account's user name
     * @param endpoint the token endpoint
     * @return the file (not created)
     */
    public static Path defaultCacheFile(String user, OAuth2Endpoint endpoint) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(endpoint, "endpoint");
        String xdg = System.getenv("XDG_CACHE_HOME");
        String local = System.getenv("LOCALAPPDATA");
        Path base = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") && local != null
                        ? Path.of(local) : Path.of(System.getProperty("user.home"), ".cache");
        String name = "token-" + TokenCache.fingerprint(user + "\n" + endpoint.tokenUri()) + ".json";
        return base.resolve("imapbackup").resolve("oauth2").resolve(name);
    }

    @Override
    public String accessToken() throws IOException {
        return tokens.accessToken();
    }

    @Override
    public String refresh(String rejected) throws IOException {
        return tokens.refresh(rejected);
    }

    /** Builds an {@link OAuth2Refresher}; {@link #build()} validates and does no I/O. Not thread-safe. */
    public static final class Builder {
        private OAuth2Endpoint endpoint;
        private String clientId;
        private Secret clientSecret;
        private Secret refreshToken;
        private String scope;
        private Path cacheFile;
        private Clock clock = Clock.systemUTC();
        private Duration timeout = DEFAULT_TIMEOUT;
        private int retries = DEFAULT_RETRIES;
        private Duration firstPause = Duration.ofSeconds(1);
        private TokenRequest.Sleeper sleeper = pause -> Thread.sleep(pause.toMillis());

        private Builder() { }

        /**
         * Sets the token endpoint (required), e.g. {@link OAuth2Endpoint#GOOGLE}.
         *
         * @param endpoint the endpoint
         * @return this builder
         */
        public Builder endpoint(OAuth2Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * Sets the token endpoint by its URL: {@code endpoint(OAuth2Endpoint.of(uri))}.
         *
         * @param uri the endpoint's URL (https; http on a loopback address only)
         * @return this builder
         */
        public Builder tokenEndpoint(java.net.URI uri) {
            return endpoint(OAuth2Endpoint.of(uri));
        }

        /**
         * Sets the OAuth2 client's id (required): the application the user granted access to.
         *
         * @param clientId the id
         * @return this builder
         */
        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId, "clientId").strip();
            return this;
        }

        /**
         * Sets where the client's secret is read, each time a token is asked for; none (the
         * default) for a public client.
         *
         * @param secret the secret's source, or null
         * @return this builder
         */
        public Builder clientSecret(Secret secret) {
            this.clientSecret = secret;
            return this;
        }

        /**
         * Reads the client's secret from the first line of a file.
         *
         * @param file the file
         * @return this builder
         */
        public Builder clientSecretFile(Path file) {
            return clientSecret(RefreshingTokens.firstLine(file, "client secret"));
        }

        /**
         * Sets where the refresh token is read, each time a token is asked for (required).
         *
         * @param token the token's source
         * @return this builder
         */
        public Builder refreshToken(Secret token) {
            this.refreshToken = Objects.requireNonNull(token, "token");
            return this;
        }

        /**
         * Reads the refresh token from the first line of a file.
         *
         * @param file the file
         * @return this builder
         */
        public Builder refreshTokenFile(Path file) {
            return refreshToken(RefreshingTokens.firstLine(file, "refresh token"));
        }

        /**
         * Sets the scope asked for; by default the endpoint's ({@link OAuth2Endpoint#scope()}), or
         * none: what was granted with the refresh token.
         *
         * @param scope space-separated scopes, or null
         * @return this builder
         */
        public Builder scope(String scope) {
            this.scope = scope == null || scope.isBlank() ? null : scope.strip();
            return this;
        }

        /**
         * Keeps the access token (and a new refresh token) in this file, readable by the owner
         * only, e.g. {@link OAuth2Refresher#defaultCacheFile}; none (the default): in memory only.
         *
         * @param file the file, or null
         * @return this builder
         */
        public Builder cacheFile(Path file) {
            this.cacheFile = file;
            return this;
        }

        /**
         * Sets the clock that tells when a token expires (default: the system's).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the timeout for connecting to the endpoint and for its answer (default {@link #DEFAULT_TIMEOUT}).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets how many times a 5xx answer, a timeout or a refused connection is retried, after
         * pauses of 1 s, 2 s, 4 s, ... (default {@link #DEFAULT_RETRIES}).
         *
         * @param retries 0 to 10
         * @return this builder
         */
        public Builder retries(int retries) {
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("retries must be from 0 to 10: " + retries);
            }
            this.retries = retries;
            return this;
        }

        /** Replaces the pauses between retries (tests). */
        Builder sleeper(TokenRequest.Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Validates and builds; no I/O.
         *
         * @return the refresher
         * @throws IllegalStateException if the endpoint, the client id or the refresh token is missing
         */
        public OAuth2Refresher build() {
            if (endpoint == null) {
                throw new IllegalStateException("an OAuth2 token endpoint is required (google, microsoft, or a URL)");
            }
            if (clientId == null || clientId.isEmpty()) {
                throw new IllegalStateException("an OAuth2 client id is required");
            }
            if (refreshToken == null) {
                throw new IllegalStateException("an OAuth2 refresh token is required");
            }
            return new OAuth2Refresher(this);
        }
    }

    @Override
    public String toString() {
        return "OAuth2Refresher[" + endpoint + ", client " + clientId
                + (cache == null ? "" : ", cache " + cache.file()) + "]";
    }
}
