package io.github.imapbackup.accounts.internal;

import io.github.imapbackup.accounts.AccountConfig;
import io.github.imapbackup.accounts.BackupConfig;
import io.github.imapbackup.accounts.ClientCertificateFiles;
import io.github.imapbackup.accounts.Credentials;
import io.github.imapbackup.accounts.Notifications;
import io.github.imapbackup.accounts.Provider;
import io.github.imapbackup.imap.Security;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the original multi-account script's {@code config.json} as it is (docs/CONFIG.md maps
 * each key): its defaults (4 connections in all, 2 per account, 120 s), {@code ssl} true unless
 * false (then plain IMAP, warned unless on this machine), passwords in the file (warned), and
 * Office 365 OAuth2 with the one key it lacks, a refresh token file.
 */
public final class OriginalFormat {

    /** The keys at the top. */
    public static final List<String> TOP = List.of("destination", "total_processes", "processes_per_account",
            "success_url", "ignore_mailboxes", "timeout", "header_batch_size", "email_batch_size", "accounts",
            "oauth2", "oauth2_cache");
    /** The keys of an account. */
    public static final List<String> ACCOUNT = List.of("email", "username", "password", "host", "port", "ssl",
            "keyfile", "certfile", "processes_per_account", "ignore_mailboxes", "oauth2");
    private static final List<String> CONNECTION = List.of("type", "client_id", "tenant_id", "email",
            "refresh_token_file");

    private OriginalFormat() { }

    /**
     * Reads the configuration.
     *
     * @param root the file's top map
     * @param cx the file's context
     * @return the builder, with what could be read (the mistakes are in the context)
     */
    public static BackupConfig.Builder read(Node.MapNode root, Context cx) {
        Fields f = new Fields(root, "", cx.problems(), TOP, "the original script's config.json");
        BackupConfig.Builder b = BackupConfig.builder().file(cx.file());
        if (!f.has("destination")) {
            f.missing("destination", "the directory the backups go to (\"destination\": \"/path/to/email_backup\")");
        }
        f.path("destination", cx.base()).ifPresent(b::destination);
        CommonParsing.set(f, "total_processes", b::totalConnections,
                f.integer("total_processes", 1, BackupConfig.MAX_CONNECTIONS));
        CommonParsing.set(f, "processes_per_account", b::connectionsPerAccount,
                f.integer("processes_per_account", 1, AccountConfig.MAX_CONNECTIONS));
        NativeFormat.url(f, "success_url").ifPresent(u -> b.notifications(Notifications.NONE.withSuccess(u)));
        b.ignoreFolders(CommonParsing.folders(f, "ignore_mailboxes", cx));
        CommonParsing.set(f, "timeout", b::timeout, f.duration("timeout", Duration.ofSeconds(1), Duration.ofDays(1)));
        CommonParsing.set(f, "header_batch_size", b::metadataBatch, f.integer("header_batch_size", 1, 10_000));
        if (f.integer("email_batch_size", 1, 100_000).isPresent()) {
            cx.warn(f.get("email_batch_size").orElseThrow(), "email_batch_size", "has no effect here: messages are"
                    + " streamed one by one in chunks of a fixed size, so memory stays small whatever their size");
        }
        Optional<Node.MapNode> connections = f.get("oauth2").flatMap(n -> {
            if (n instanceof Node.MapNode m) {
                return Optional.of(m);
            }
            f.problem("oauth2", "expected the OAuth2 connections by name, not " + n.kind());
            return Optional.empty();
        });
        Path cacheDir = f.path("oauth2_cache", cx.base()).orElse(cx.base());
        Node.MapNode named = connections.orElse(null);
        List<Map.Entry<AccountConfig, Node>> accounts = CommonParsing.accounts(f, ACCOUNT,
                "an account of the original config.json", cx, a -> account(a, named, cacheDir, cx));
        CommonParsing.addAccounts(b, accounts, "email", cx);
        return b;
    }

    private static Optional<AccountConfig.Builder> account(Fields a, Node.MapNode connections, Path cacheDir,
            Context cx) {
        int before = cx.problems().size();
        AccountConfig.Builder b = AccountConfig.builder();
        if (!a.has("email")) {
            a.missing("email", "the account's e-mail address (\"email\": \"john@example.com\"); it names the "
                    + "account's directory");
        }
        if (!a.has("host")) {
            a.missing("host", "the IMAP server (\"host\": \"outlook.office365.com\")");
        }
        CommonParsing.set(a, "email", b::email, a.text("email"));
        CommonParsing.set(a, "username", b::user, a.text("username"));
        CommonParsing.set(a, "host", b::host, a.text("host"));
        CommonParsing.set(a, "port", b::port, a.integer("port", 1, 65535));
        boolean ssl = a.bool("ssl").orElse(true);
        b.security(ssl ? Security.TLS : Security.NONE);
        if (!ssl && !a.text("host").map(SecretReading::isLoopback).orElse(true)) {
            cx.warn(a.get("ssl").orElseThrow(), a.path("ssl"), "\"ssl\": false sends the password and the mail "
                    + "unencrypted over the network (plain IMAP, port 143 unless \"port\" says otherwise); use "
                    + "TLS unless the server is on a network you trust");
        }
        if (!ssl && (a.has("certfile") || a.has("keyfile"))) {
            cx.warn(a.get(a.has("certfile") ? "certfile" : "keyfile").orElseThrow(), a.path("certfile"),
                    "a client certificate needs TLS: it is not used with \"ssl\": false (nor was it by the original)");
        } else if (a.has("certfile")) {
            Optional<Path> cert = SecretParsing.readableFile(a, "certfile", "the client certificate", cx);
            Optional<Path> key = a.has("keyfile")
                    ? a.path("keyfile", cx.base()).flatMap(p -> SecretParsing.checkedFile(p, a, "keyfile",
                            "the client certificate's private key", cx))
                    : cert;
            cert.flatMap(c -> key.map(k -> ClientCertificateFiles.pem(c, k))).ifPresent(b::clientCertificate);
        } else if (a.has("keyfile")) {
            a.problem("keyfile", "a key file goes with a certificate: add \"certfile\"");
        }
        CommonParsing.set(a, "processes_per_account", b::connections,
                a.integer("processes_per_account", 1, AccountConfig.MAX_CONNECTIONS));
        b.ignoreFolders(CommonParsing.folders(a, "ignore_mailboxes", cx));
        if (a.has("password") && a.has("oauth2")) {
            a.problem("oauth2", "give a password or oauth2, not both");
        } else if (a.has("password")) {
            SecretParsing.source(a.get("password").orElseThrow(), a.path("password"), "the password", cx)
                    .ifPresent(b::credentials);
        } else if (a.has("oauth2")) {
            a.text("oauth2").flatMap(name -> oauth2(a, name, connections, cacheDir, cx)).ifPresent(b::credentials);
        } else {
            a.missing("password", "the account's password (better: {\"file\": \"PATH\"}, see docs/CONFIG.md)");
        }
        return cx.problems().size() == before ? Optional.of(b) : Optional.empty();
    }

    private static Optional<Credentials> oauth2(Fields a, String name, Node.MapNode connections, Path cacheDir,
            Context cx) {
        Node c = connections == null ? null : connections.entries().get(name);
        if (c == null) {
            a.problem("oauth2", "no OAuth2 connection named \"" + name + "\" in the top-level \"oauth2\"");
            return Optional.empty();
        }
        Fields f = Fields.of(c, "oauth2." + name, cx.problems(), CONNECTION, "an OAuth2 connection");
        if (f == null) {
            return Optional.empty();
        }
        Optional<String> type = f.text("type");
        if (type.isPresent() && !type.get().equals("o365")) {
            f.problem("type", "unknown OAuth2 type \"" + type.get() + "\" (known: o365)");
            return Optional.empty();
        }
        for (String k : List.of("type", "client_id", "tenant_id")) {
            if (!f.has(k)) {
                f.missing(k, "the original script's " + k);
            }
        }
        if (!f.has("refresh_token_file")) {
            f.missing("refresh_token_file", "the original script signs in to Office 365 interactively in a browser;"
                    + " this program runs unattended and needs a refresh token instead: add \"refresh_token_file\":"
                    + " \"PATH\" with a refresh token for this client_id (docs/CONFIG.md says how to get one)");
        }
        Optional<String> client = f.text("client_id");
        Optional<URI> endpoint = f.text("tenant_id").flatMap(t -> {
            try {
                return Optional.of(Provider.microsoftTokenEndpoint(t));
            } catch (IllegalArgumentException e) {
                f.problem("tenant_id", e.getMessage());
                return Optional.empty();
            }
        });
        Optional<Credentials.SecretSource> refresh = f.path("refresh_token_file", cx.base())
                .flatMap(p -> SecretParsing.checkedFile(p, f, "refresh_token_file", "the refresh token", cx))
                .map(Credentials::passwordFile);
        if (client.isEmpty() || endpoint.isEmpty() || refresh.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Credentials.OAuth2(endpoint.get(), client.get(), null, refresh.get(),
                Provider.OFFICE365.oauth2Scope().orElseThrow(),
                cacheDir.resolve("oauth2_o365_" + name + ".imapbackup.json")));
    }

}
