package io.github.imapbackup.examples.cli;

import io.github.imapbackup.accounts.CredentialsException;
import io.github.imapbackup.accounts.SecretFiles;
import io.github.imapbackup.imap.Security;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns the server options (and the original script's spellings) into {@link ServerSettings}. */
final class ServerResolver {

    /** The longest --timeout: a day (a read that waits longer has failed). */
    static final int MAX_TIMEOUT_SECONDS = 86_400;
    /** The most --connections: servers allow far fewer per user (Dovecot 10, Gmail 15). */
    static final int MAX_CONNECTIONS = 100;

    private ServerResolver() { }

    /**
     * Checks a number given on the command line.
     *
     * @throws UsageException naming the option and the range
     */
    static void requireRange(String option, long value, long min, long max, String unit) {
        if (value < min || value > max) {
            throw new UsageException(option + " must be between " + min + " and " + max
                    + (unit.isEmpty() ? "" : " " + unit) + ", not " + value);
        }
    }

    /**
     * Resolves the settings; reads the password from where the options say (or prompts).
     *
     * @param o the server options
     * @param legacy the original script's options, or null for commands without them
     * @param env the environment
     * @param err where warnings go
     * @return the settings
     * @throws UsageException if something is missing or contradictory
     */
    static ServerSettings resolve(ServerOptions o, LegacyOptions legacy, Environment env, PrintStream err) {
        return resolve(o, legacy, null, env, err);
    }

    /**
     * Resolves the settings with a credential found elsewhere (imapsync's {@code --password1}).
     *
     * @param o the server options
     * @param legacy the original script's options, or null for commands without them
     * @param given the credential, or null to read it from where the options say (or prompt)
     * @param env the environment
     * @param err where warnings go
     * @return the settings
     * @throws UsageException if something is missing or contradictory
     */
    static ServerSettings resolve(ServerOptions o, LegacyOptions legacy, Credential given, Environment env,
            PrintStream err) {
        String host = o.host;
        Integer port = o.port;
        Security security = o.security;
        if (legacy != null && legacy.server != null) {
            if (host != null) {
                throw new UsageException("give the server once: --host or -s/--server, not both");
            }
            String[] hp = splitHostPort(legacy.server);
            host = hp[0];
            if (hp[1] != null) {
                if (port != null && port != parsePort(hp[1])) {
                    throw new UsageException("two different ports: --port " + port + " and -s " + legacy.server);
                }
                port = parsePort(hp[1]);
            }
        }
        if (legacy != null && legacy.ssl) {
            if (security != Security.TLS) {
                throw new UsageException("-e/--ssl contradicts --security " + security.name().toLowerCase());
            }
            security = Security.TLS;
        }
        if (host == null || host.isBlank()) {
            throw new UsageException("no server given: use --host HOST");
        }
        if (o.user == null || o.user.isEmpty()) {
            throw new UsageException("no user given: use --user USER");
        }
        if (o.timeoutSeconds != null) {
            requireRange("--timeout", o.timeoutSeconds, 1, MAX_TIMEOUT_SECONDS, "seconds");
        }
        if (port != null) {
            requireRange("--port", port, 1, 65535, "");
        }
        requireRange("--connections", o.connections, 1, MAX_CONNECTIONS, "");
        RateCaps rates = RateCaps.of(o.maxBytesPerSecond, o.maxMessagesPerSecond);
        if (o.insecure) {
            err.println("WARNING: --insecure: the server's certificate and host name are NOT checked.");
            err.println("WARNING: anyone between you and " + host + " can read your password and your mail.");
        }
        if (o.trustStore != null && FileProblem.ofReadableFile(o.trustStore) != null) {
            throw new UsageException("--trust-store: the file " + o.trustStore + " "
                    + FileProblem.ofReadableFile(o.trustStore) + " (give a PEM file of certificates, or a PKCS12 or JKS store)");
        }
        int p = port != null ? port : security.defaultPort();
        Credential credential = given != null ? given : credential(o, legacy, env, err, o.user + "@" + host);
        Duration timeout = o.timeoutSeconds == null ? null : Duration.ofSeconds(o.timeoutSeconds);
        return new ServerSettings(host, p, security, o.user, credential, o.trustStore, o.insecure,
                timeout, o.connections, ClientCertificates.resolve(o, security, err), rates);
    }

    static Credential credential(ServerOptions o, LegacyOptions legacy, Environment env, PrintStream err,
            String account) {
        ServerOptions.Secret s = o.secret;
        List<String> given = new ArrayList<>();
        if (s != null && s.passwordFile != null) {
            given.add("--password-file");
        }
        if (s != null && s.passwordEnv != null) {
            given.add("--password-env");
        }
        if (s != null && s.oauth2TokenFile != null) {
            given.add("--oauth2-token-file");
        }
        if (s != null && s.oauth2RefreshTokenFile != null) {
            given.add("--oauth2-refresh-token-file");
        }
        if (legacy != null && legacy.pass != null) {
            given.add("-p/--pass");
        }
        if (given.size() > 1) {
            throw new UsageException("give one password source, not " + String.join(" and ", given));
        }
        if (s == null || s.oauth2RefreshTokenFile == null) {
            OAuth2Resolver.refuseStray(o);
        }
        if (s != null && s.passwordFile != null) {
            return new Credential.Password(readSecretLine(s.passwordFile, "--password-file", err),
                    "file " + s.passwordFile);
        }
        if (s != null && s.passwordEnv != null) {
            return new Credential.Password(fromEnvironment(s.passwordEnv, "--password-env", env),
                    "environment variable " + s.passwordEnv);
        }
        if (s != null && s.oauth2RefreshTokenFile != null) {
            return OAuth2Resolver.credential(o, s.oauth2RefreshTokenFile, err);
        }
        if (s != null && s.oauth2TokenFile != null) {
            char[] token = readSecretLine(s.oauth2TokenFile, "--oauth2-token-file", err);
            try {
                return new Credential.OAuth2Token(new String(token).strip(), "file " + s.oauth2TokenFile);
            } finally {
                Arrays.fill(token, '\0');
            }
        }
        if (legacy != null && legacy.pass != null) {
            if (legacy.pass.startsWith("@")) {
                Path file = Path.of(legacy.pass.substring(1));
                return new Credential.Password(readSecretLine(file, "-p @FILE", err), "file " + file);
            }
            err.println("WARNING: a password given with -p/--pass shows in the process list (ps) of every "
                    + "user on this machine and in your shell's history; use --password-file FILE (or -p @FILE) or"
                    + " --password-env VAR instead.");
            return new Credential.Password(legacy.pass.toCharArray(), "the command line");
        }
        if (env.interactive()) {
            char[] pw = env.readPassword("Password for " + account + ": ");
            if (pw == null) {
                throw new UsageException("no password entered");
            }
            try {
                return new Credential.Password(pw, "the terminal");
            } finally {
                Arrays.fill(pw, '\0');
            }
        }
        throw new UsageException("no password given and no terminal to ask on: use --password-file FILE, "
                + "--password-env VAR, --oauth2-token-file FILE or --oauth2-refresh-token-file FILE");
    }

    /** A name the shell accepts for an environment variable. */
    private static final java.util.regex.Pattern VARIABLE_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * Reads a secret from an environment variable. The name is shown only when such a variable
     * exists: what the user gave may be the password itself ({@code --password-env "$IMAP_PW"}).
     *
     * @param name the variable's name
     * @param option the option that named it, for messages
     * @param env the environment
     * @return the secret
     * @throws UsageException if there is no such variable or it is empty
     */
    static char[] fromEnvironment(String name, String option, Environment env) {
        if (!VARIABLE_NAME.matcher(name).matches()) {
            throw new UsageException(option + ": what was given is not the name of an environment variable "
                    + "(give the variable's NAME, such as IMAP_PW, not its value; it is not shown here)");
        }
        String v = env.getenv(name);
        if (v == null) {
            throw new UsageException(option + ": no environment variable of that name is set "
                    + "(give the variable's NAME, not its value; the name is not shown here in case it was the password)");
        }
        if (v.isEmpty()) {
            throw new UsageException(option + ": that environment variable is set, but empty");
        }
        return v.toCharArray();
    }

    /**
     * Reads the first line of a file (without its line end) as the secret, as the configuration's
     * {@code {file: PATH}} is read ({@link SecretFiles}); warns when others may read the file. A
     * file that does not exist is not named: what was given may be the password itself.
     */
    static char[] readSecretLine(Path file, String what, PrintStream err) {
        if (!Files.exists(file)) {
            throw new UsageException(what + ": the file does not exist (give the path of a file whose first line "
                    + "is the secret; the path is not shown here in case it was the secret itself)");
        }
        char[] secret;
        try {
            secret = SecretFiles.firstLine(file, "the file");
        } catch (CredentialsException e) {
            throw new UsageException(what + ": " + e.getMessage(), e);
        }
        SecretFiles.exposure(file, "the file").ifPresent(w -> err.println("WARNING: " + what + ": " + w + "."));
        return secret;
    }

    /** Splits {@code host}, {@code host:port}, {@code [v6]:port}; the port is null when absent. */
    static String[] splitHostPort(String s) {
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new UsageException("bad server \"" + s + "\": missing ]");
            }
            String host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new String[] {host, null};
            }
            if (!rest.startsWith(":")) {
                throw new UsageException("bad server \"" + s + "\"");
            }
            return new String[] {host, rest.substring(1)};
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0 || s.indexOf(':') != colon) {
            return new String[] {s, null};
        }
        return new String[] {s.substring(0, colon), s.substring(colon + 1)};
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            requireRange("the port of -s/--server", p, 1, 65535, "");
            return p;
        } catch (NumberFormatException e) {
            throw new UsageException("-s/--server: the port \"" + s + "\" is not a number between 1 and 65535");
        }
    }
}
