package io.github.imapbackup.accounts;

import io.github.imapbackup.accounts.internal.SecretReading;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How an account's secret is obtained: a password from a file, an environment variable, a
 * command's output or (the original script's {@code config.json}) the configuration itself; a
 * fixed OAuth2 access token from a file; or OAuth2 with a refresh token, refreshed at a token
 * endpoint. Only where the secret is: nothing is read until {@link SecretSource#read()}, and
 * {@code toString()} never shows a secret.
 *
 * <pre>{@code
 * Credentials.SecretSource pw = Credentials.passwordFile(Path.of("/etc/imapbackup/alice.pass"));
 * char[] secret = pw.read();            // the first line of the file
 * try {
 *     login(secret);
 * } finally {
 *     Arrays.fill(secret, '\0');
 * }
 * }</pre>
 */
public sealed interface Credentials {

    /** The time a {@link #command(List) command} has to print the secret when none is given: 30 s. */
    Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);

    /**
     * {@return a password in the first line of a file}
     *
     * @param file the file; a warning is logged when other users may read it
     */
    static SecretSource passwordFile(Path file) {
        return new PasswordFile(file);
    }

    /**
     * {@return a password in an environment variable}
     *
     * @param variable the variable's name, such as {@code IMAP_PASSWORD}
     */
    static SecretSource environment(String variable) {
        return new Environment(variable);
    }

    /**
     * {@return a password printed by a command on the first line of its standard output}
     *
     * @param argv the program and its arguments, run without a shell, such as
     *     {@code List.of("pass", "show", "mail/alice")}
     */
    static SecretSource command(List<String> argv) {
        return new Command(argv, DEFAULT_COMMAND_TIMEOUT);
    }

    /**
     * {@return a password written in the configuration itself (the original script's
     * {@code config.json} has no other way); prefer any other source}
     *
     * @param password the password; copied
     */
    static SecretSource inline(char[] password) {
        return new Inline(password);
    }

    /**
     * {@return a fixed OAuth2 access token in the first line of a file (it is not refreshed)}
     *
     * @param file the file
     */
    static SecretSource oauth2TokenFile(Path file) {
        return new OAuth2TokenFile(file);
    }

    /**
     * {@return OAuth2 with a refresh token, refreshed at a token endpoint}
     *
     * @param tokenEndpoint the token endpoint, such as {@code Provider.GMAIL.tokenEndpoint()}
     * @param clientId the OAuth2 client's id
     * @param refreshToken where the refresh token is
     */
    static OAuth2 oauth2(URI tokenEndpoint, String clientId, SecretSource refreshToken) {
        return new OAuth2(tokenEndpoint, clientId, null, refreshToken, null, null);
    }

    /** A source that yields a secret: a password, or a fixed access token. */
    sealed interface SecretSource extends Credentials {

        /**
         * Reads the secret. The caller owns the array and should overwrite it once used.
         *
         * @return the secret, never empty
         * @throws CredentialsException naming the source (never the secret) and what to do, when
         *     it cannot be read, is empty, or the command fails or takes too long
         */
        char[] read() throws CredentialsException;

        /** {@return whether the secret is an OAuth2 access token rather than a password} */
        default boolean isAccessToken() {
            return false;
        }
    }

    /**
     * A password in the first line of a file.
     *
     * @param file the file
     */
    record PasswordFile(Path file) implements SecretSource {

        /**
         * A password file.
         *
         * @param file the file
         */
        public PasswordFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public char[] read() throws CredentialsException {
            return SecretReading.firstLine(file, "the password file");
        }

        @Override
        public String toString() {
            return "password file " + file;
        }
    }

    /**
     * A password in an environment variable.
     *
     * @param variable the variable's name
     */
    record Environment(String variable) implements SecretSource {

        /**
         * An environment variable.
         *
         * @param variable the variable's name: letters, digits and {@code _}, not starting
         *     with a digit
         * @throws IllegalArgumentException otherwise (without the text: it may be the password)
         */
        public Environment {
            Objects.requireNonNull(variable, "variable");
            if (!SecretReading.isVariableName(variable)) {
                throw new IllegalArgumentException("not the name of an environment variable (give the variable's "
                        + "NAME, such as IMAP_PASSWORD, not its value; it is not shown here)");
            }
        }

        @Override
        public char[] read() throws CredentialsException {
            return SecretReading.environment(variable);
        }

        @Override
        public String toString() {
            return "environment variable " + variable;
        }
    }

    /**
     * A password printed by a command.
     *
     * @param argv the program and its arguments, run without a shell
     * @param timeout how long the command may take
     */
    record Command(List<String> argv, Duration timeout) implements SecretSource {

        /**
         * A command.
         *
         * @param argv the program and its arguments, run without a shell; not empty
         * @param timeout how long the command may take, from 1 ms to 1 hour
         */
        public Command {
            argv = List.copyOf(argv);
            if (argv.isEmpty() || argv.get(0).isBlank()) {
                throw new IllegalArgumentException("a password command needs at least a program");
            }
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("a password command's timeout must be from 1 ms to 1 hour: "
                        + timeout);
            }
        }

        @Override
        public char[] read() throws CredentialsException {
            return SecretReading.command(argv, timeout);
        }

        /** Shows the program only: an argument may hold a secret. */
        @Override
        public String toString() {
            return "command " + argv.get(0);
        }
    }

    /** A password written in the configuration itself. */
    final class Inline implements SecretSource {

        private final char[] password;

        private Inline(char[] password) {
            if (password.length == 0) {
                throw new IllegalArgumentException("the password is empty");
            }
            this.password = password.clone();
        }

        @Override
        public char[] read() {
            return password.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Inline i && Arrays.equals(password, i.password);
        }

        @Override
        public int hashCode() {
            return Inline.class.hashCode();
        }

        @Override
        public String toString() {
            return "password in the configuration (hidden)";
        }
    }

    /**
     * A fixed OAuth2 access token in the first line of a file.
     *
     * @param file the file
     */
    record OAuth2TokenFile(Path file) implements SecretSource {

        /**
         * A token file.
         *
         * @param file the file
         */
        public OAuth2TokenFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public char[] read() throws CredentialsException {
            return SecretReading.firstLine(file, "the OAuth2 token file");
        }

        @Override
        public boolean isAccessToken() {
            return true;
        }

        @Override
        public String toString() {
            return "OAuth2 token file " + file;
        }
    }

    /**
     * OAuth2 with a refresh token (RFC 6749 §6): access tokens are got from the token endpoint
     * and cached.
     *
     * @param tokenEndpoint the token endpoint (https, or http on a loopback address for tests)
     * @param clientId the client's id
     * @param clientSecret where the client's secret is, or null for a public client
     * @param refreshToken where the refresh token is
     * @param scope the scope to ask for, or null for the one granted with the refresh token
     * @param cacheFile where access tokens are cached, or null for the runner's default
     */
    record OAuth2(URI tokenEndpoint, String clientId, SecretSource clientSecret, SecretSource refreshToken,
            String scope, Path cacheFile) implements Credentials {

        /**
         * OAuth2 settings.
         *
         * @param tokenEndpoint the token endpoint
         * @param clientId the client's id
         * @param clientSecret where the client's secret is, or null for a public client
         * @param refreshToken where the refresh token is
         * @param scope the scope to ask for, or null
         * @param cacheFile where access tokens are cached, or null for the default
         * @throws IllegalArgumentException if the endpoint is not an absolute https URL (http
         *     only on a loopback address), or the client id is empty
         */
        public OAuth2 {
            Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(refreshToken, "refreshToken");
            SecretReading.checkTokenEndpoint(tokenEndpoint);
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("the OAuth2 client id is empty");
            }
            if (scope != null && scope.isBlank()) {
                scope = null;
            }
        }

        /** {@return where the client's secret is, if the client has one} */
        public Optional<SecretSource> clientSecretSource() {
            return Optional.ofNullable(clientSecret);
        }

        /** {@return the scope to ask for, if any} */
        public Optional<String> scopeValue() {
            return Optional.ofNullable(scope);
        }

        /** {@return where access tokens are cached, if not the runner's default} */
        public Optional<Path> cache() {
            return Optional.ofNullable(cacheFile);
        }

        /**
         * {@return a copy with a client secret}
         *
         * @param secret where the client's secret is, or null
         */
        public OAuth2 withClientSecret(SecretSource secret) {
            return new OAuth2(tokenEndpoint, clientId, secret, refreshToken, scope, cacheFile);
        }

        /**
         * {@return a copy with a scope}
         *
         * @param value the scope, or null
         */
        public OAuth2 withScope(String value) {
            return new OAuth2(tokenEndpoint, clientId, clientSecret, refreshToken, value, cacheFile);
        }

        /**
         * {@return a copy with a cache file}
         *
         * @param file the cache file, or null for the default
         */
        public OAuth2 withCacheFile(Path file) {
            return new OAuth2(tokenEndpoint, clientId, clientSecret, refreshToken, scope, file);
        }

        @Override
        public String toString() {
            return "OAuth2 at " + tokenEndpoint + " for client " + clientId + ", refresh token from " + refreshToken
                    + (clientSecret == null ? "" : ", client secret from " + clientSecret);
        }
    }
}
