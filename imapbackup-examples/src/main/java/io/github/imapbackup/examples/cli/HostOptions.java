package io.github.imapbackup.examples.cli;

import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.imap.Security;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One side of a two-server command ({@code migrate}): the {@link ServerOptions} with a suffix
 * ({@code --host1}, {@code --password-file2}, ...), made from {@link ServerOptions}' own
 * declarations rather than a copy of them, plus imapsync's spellings ({@code --passfile1},
 * {@code --password1}, {@code --ssl1}, {@code --tls1}). Resolved by {@link ServerResolver}, with
 * its messages naming the suffixed options.
 */
final class HostOptions {

    /** The server options of {@link ServerOptions} that exist once per command, not per host. */
    private static final List<String> SHARED = List.of("--connections");
    /** The option names that {@link ServerResolver}'s messages use. */
    private static final Pattern OPTION = Pattern.compile(
            "--(host|port|security|user|password-file|password-env|oauth2-token-file|oauth2-refresh-token-file"
            + "|oauth2-token-endpoint|oauth2-client-id|oauth2-client-secret-file|oauth2-scope|oauth2-token-cache"
            + "|trust-store|client-cert-password-file|client-cert|client-key|insecure|timeout|password"
            + "|max-bytes-per-second|max-messages-per-second)\\b");

    private final String suffix;
    private final String role;
    private final ServerOptions server = new ServerOptions();
    private OptionSpec password;
    private OptionSpec ssl;
    private OptionSpec tls;
    private OptionSpec authuser;

    /**
     * Creates the options of one host.
     *
     * @param suffix {@code 1} or {@code 2}
     * @param role what the host is, for the help ({@code the source}, {@code the destination})
     */
    HostOptions(String suffix, String role) {
        this.suffix = Objects.requireNonNull(suffix, "suffix");
        this.role = Objects.requireNonNull(role, "role");
        server.secret = new ServerOptions.Secret();
    }

    /** Returns {@code host1} or {@code host2}. */
    String name() {
        return "host" + suffix;
    }

    /**
     * Adds this host's options to a command.
     *
     * @param spec the command
     * @param order the help order of the first option
     */
    void addTo(CommandSpec spec, int order) {
        List<OptionSpec> declared = new ArrayList<>(CommandSpec.forAnnotatedObject(server).options());
        declared.addAll(CommandSpec.forAnnotatedObject(server.secret).options());
        int n = order;
        for (OptionSpec o : declared) {
            String longName = o.longestName();
            if (SHARED.contains(longName) || o.group() != null) {
                continue;
            }
            List<String> names = new ArrayList<>(List.of(longName + suffix));
            if (longName.equals("--password-file")) {
                names.add("--passfile" + suffix); // imapsync
            }
            spec.addOption(OptionSpec.builder(o).names(names.toArray(String[]::new)).order(n++)
                    .description(describe(o.description())).build());
        }
        password = OptionSpec.builder("--password" + suffix).paramLabel("PASSWORD").type(String.class).order(n++)
                .description(name() + ": imapsync's spelling: the password itself (visible to every user in `ps`;"
                        + " prefer --password-file" + suffix + ")").build();
        ssl = OptionSpec.builder("--ssl" + suffix).type(boolean.class).arity("0").order(n++)
                .description(name() + ": imapsync's spelling of --security" + suffix + " tls.").build();
        tls = OptionSpec.builder("--tls" + suffix).type(boolean.class).arity("0").order(n)
                .description(name() + ": imapsync's spelling of --security" + suffix + " starttls.").build();
        authuser = OptionSpec.builder("--authuser" + suffix).paramLabel("ADMIN").type(String.class).order(n + 1)
                .description(name() + ": log in as this administrator (Dovecot master user, Cyrus admin) with the"
                        + " administrator's password, acting on the mailbox of --user" + suffix
                        + " (SASL PLAIN authorisation identity; imapsync's meaning).").build();
        spec.addOption(password).addOption(ssl).addOption(tls).addOption(authuser);
    }

    /**
     * A user and the credential to log in with.
     *
     * @param user the login name
     * @param credential the password
     */
    record Login(String user, Credential credential) { }

    private String[] describe(String[] description) {
        String[] d = description.clone();
        if (d.length > 0) {
            d[0] = name() + " (" + role + "): " + d[0];
        }
        return d;
    }

    /**
     * Resolves the settings of this host; its warnings go to {@code err}, naming its options.
     *
     * @param connections the command's connections
     * @param securityGiven whether {@code --security1}/{@code 2} was given
     * @param env the environment
     * @param err where warnings go
     * @return the settings
     * @throws UsageException naming this host's options
     */
    ServerSettings resolve(int connections, boolean securityGiven, Environment env, PrintStream err) {
        return resolve(connections, securityGiven, env, err, null);
    }

    /** {@return the user given with {@code --user1}/{@code 2}, or null} */
    String user() {
        return server.user;
    }

    /** {@return whether a password source was given on the command line for this host} */
    boolean hasSecret() {
        ServerOptions.Secret s = server.secret;
        return password.getValue() != null || s.passwordFile != null || s.passwordEnv != null
                || s.oauth2TokenFile != null || s.oauth2RefreshTokenFile != null;
    }

    /**
     * Resolves the settings of this host for one account of {@code --accounts}: its user and
     * password, the other options as given.
     *
     * @param connections the command's connections
     * @param securityGiven whether {@code --security1}/{@code 2} was given
     * @param env the environment
     * @param err where warnings go
     * @param user the account's user and password, or null for the options' own
     * @return the settings
     * @throws UsageException naming this host's options
     */
    ServerSettings resolve(int connections, boolean securityGiven, Environment env, PrintStream err,
            Login user) {
        if (user != null) {
            server.user = user.user();
        }
        server.connections = connections;
        boolean wantsTls = Boolean.TRUE.equals(ssl.getValue());
        boolean wantsStarttls = Boolean.TRUE.equals(tls.getValue());
        if (wantsTls && wantsStarttls) {
            throw new UsageException("give one of --ssl" + suffix + " and --tls" + suffix + ", not both");
        }
        Security implied = wantsTls ? Security.TLS : wantsStarttls ? Security.STARTTLS : null;
        if (implied != null) {
            if (securityGiven && server.security != implied) {
                throw new UsageException((wantsTls ? "--ssl" : "--tls") + suffix + " contradicts --security" + suffix
                        + " " + server.security.name().toLowerCase(java.util.Locale.ROOT));
            }
            server.security = implied;
        }
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        PrintStream w = new PrintStream(warnings, true, StandardCharsets.UTF_8);
        try {
            return ServerResolver.resolve(server, null, user != null ? user.credential() : inline(w), env, w);
        } catch (UsageException e) {
            throw new UsageException(name() + ": " + suffixed(e.getMessage()), e);
        } finally {
            String text = warnings.toString(StandardCharsets.UTF_8);
            if (!text.isEmpty()) {
                err.print(suffixed(text));
            }
        }
    }

    /**
     * Returns the source of this host's resolved settings: with {@code --authuser1/2}, the
     * administrator logs in with the password given and acts as {@code --user1/2}.
     *
     * @param s the settings {@link #resolve} made
     * @return the source (no I/O)
     * @throws UsageException naming this host's options, when the administrator cannot be used
     */
    ImapSource source(ServerSettings s) {
        ImapSource source = Sources.imap(s);
        String admin = (String) authuser.getValue();
        if (admin == null) {
            return source;
        }
        try {
            return source.toBuilder().user(admin).authorizationId(s.user()).build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(name() + ": --authuser" + suffix + ": " + e.getMessage(), e);
        }
    }

    /** The password of {@code --password1}, or null; refuses it beside another password source. */
    private Credential inline(PrintStream err) {
        String given = (String) password.getValue();
        if (given == null) {
            return null;
        }
        ServerOptions.Secret s = server.secret;
        if (s.passwordFile != null || s.passwordEnv != null || s.oauth2TokenFile != null
                || s.oauth2RefreshTokenFile != null) {
            throw new UsageException("give one password source, not --password and another");
        }
        err.println("WARNING: a password given with --password shows in the process list (ps) of every "
                + "user on this machine and in your shell's history; use --password-file FILE or --password-env VAR"
                + " instead.");
        char[] chars = given.toCharArray();
        try {
            return new Credential.Password(chars, "the command line");
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Puts this host's suffix on the option names in a message of {@link ServerResolver}. */
    private String suffixed(String message) {
        return OPTION.matcher(message).replaceAll(m -> Matcher.quoteReplacement(m.group() + suffix));
    }
}
