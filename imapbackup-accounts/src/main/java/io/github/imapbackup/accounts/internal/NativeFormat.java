package io.github.imapbackup.accounts.internal;

import io.github.imapbackup.accounts.AccountConfig;
import io.github.imapbackup.accounts.BackupConfig;
import io.github.imapbackup.accounts.Notifications;
import io.github.imapbackup.imap.Security;
import io.github.imapbackup.mbox.Layout;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads this project's configuration format (docs/CONFIG.md) into a {@link BackupConfig}. */
public final class NativeFormat {

    /** The keys at the top. */
    public static final List<String> TOP = List.of("destination", "compress", "layout", "connections",
            "ignoreFolders", "timeout", "batch", "rateLimit", "notify", "accounts");
    /** The keys of an account. */
    public static final List<String> ACCOUNT = List.of("name", "email", "provider", "host", "port", "security",
            "user", "password", "oauth2", "clientCertificate", "trustStore", "insecure", "connections",
            "ignoreFolders", "folders", "rateLimit", "directory", "gmailLabelCopies");

    private NativeFormat() { }

    /**
     * Reads the configuration.
     *
     * @param root the file's top map
     * @param cx the file's context
     * @return the builder, with what could be read (the mistakes are in the context)
     */
    public static BackupConfig.Builder read(Node.MapNode root, Context cx) {
        Fields f = new Fields(root, "", cx.problems(), TOP, "the configuration");
        BackupConfig.Builder b = BackupConfig.builder().file(cx.file());
        if (!f.has("destination")) {
            f.missing("destination", "the directory the backups go to (destination: /srv/mail-backup)");
        }
        f.path("destination", cx.base()).ifPresent(b::destination);
        CommonParsing.set(f, "compress", b::compress, f.text("compress").map(s -> s.toLowerCase(Locale.ROOT)));
        CommonParsing.set(f, "layout", b::layout, f.choice("layout", NativeFormat::layout));
        f.get("connections").ifPresent(n -> connections(n, b, cx));
        b.ignoreFolders(CommonParsing.folders(f, "ignoreFolders", cx));
        CommonParsing.set(f, "timeout", b::timeout, f.duration("timeout", Duration.ofSeconds(1), Duration.ofDays(1)));
        f.get("batch").map(n -> Fields.of(n, "batch", cx.problems(), List.of("metadata", "fetchSize"),
                "the batch sizes")).ifPresent(batch -> {
                    CommonParsing.set(batch, "metadata", b::metadataBatch, batch.integer("metadata", 1, 10_000));
                    CommonParsing.set(batch, "fetchSize", b::fetchSize,
                            batch.bytes("fetchSize", 4096, 64 << 20).map(Long::intValue));
                });
        f.get("rateLimit").flatMap(n -> CommonParsing.rateLimit(n, "rateLimit", cx)).ifPresent(b::rateLimit);
        f.get("notify").ifPresent(n -> notifications(n, b, cx));
        List<Map.Entry<AccountConfig, Node>> accounts = CommonParsing.accounts(f, ACCOUNT, "an account", cx,
                a -> account(a, cx));
        CommonParsing.addAccounts(b, accounts, "name", cx);
        return b;
    }

    private static Layout layout(String name) {
        try {
            return Layout.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown layout \"" + name + "\" (known: nested, flat)", e);
        }
    }

    /**
     * The protection of a name: {@code tls}, {@code starttls} or {@code none}, any case ({@code ssl}
     * for tls too).
     *
     * @param name the name
     * @return the protection
     */
    static Security security(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("ssl")) {
            return Security.TLS;
        }
        for (Security s : Security.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown security \"" + name + "\" (known: tls, starttls, none)");
    }

    private static void connections(Node n, BackupConfig.Builder b, Context cx) {
        Fields c = Fields.of(n, "connections", cx.problems(), List.of("total", "perAccount", "perHost"),
                "the connection limits");
        if (c == null) {
            return;
        }
        CommonParsing.set(c, "total", b::totalConnections, c.integer("total", 1, BackupConfig.MAX_CONNECTIONS));
        CommonParsing.set(c, "perAccount", b::connectionsPerAccount,
                c.integer("perAccount", 1, AccountConfig.MAX_CONNECTIONS));
        CommonParsing.set(c, "perHost", b::connectionsPerHost,
                c.integer("perHost", 0, BackupConfig.MAX_CONNECTIONS));
    }

    private static void notifications(Node n, BackupConfig.Builder b, Context cx) {
        Fields f = Fields.of(n, "notify", cx.problems(), List.of("success", "failure", "timeout", "retries"),
                "the notifications");
        if (f == null) {
            return;
        }
        URI success = url(f, "success").orElse(null);
        URI failure = url(f, "failure").orElse(null);
        Duration timeout = f.duration("timeout", Duration.ofMillis(1), Duration.ofHours(1))
                .orElse(Notifications.DEFAULT_TIMEOUT);
        int retries = f.integer("retries", 0, 10).orElse(Notifications.DEFAULT_RETRIES);
        b.notifications(new Notifications(success, failure, timeout, retries));
    }

    /**
     * Reads an http or https URL.
     *
     * @param f the map
     * @param key the key
     * @return the URL, or empty when absent or wrong (reported)
     */
    static Optional<URI> url(Fields f, String key) {
        return f.text(key).flatMap(t -> {
            try {
                URI u = new URI(t.strip());
                new Notifications(u, null, Notifications.DEFAULT_TIMEOUT, 0);
                return Optional.of(u);
            } catch (URISyntaxException | IllegalArgumentException e) {
                f.problem(key, "expected an http or https URL, such as https://hc-ping.com/UUID: " + e.getMessage());
                return Optional.empty();
            }
        });
    }

    private static Optional<AccountConfig.Builder> account(Fields a, Context cx) {
        int before = cx.problems().size();
        AccountConfig.Builder b = AccountConfig.builder();
        CommonParsing.set(a, "name", b::name, a.text("name"));
        CommonParsing.set(a, "email", b::email, a.text("email"));
        a.choice("provider", io.github.imapbackup.accounts.Provider::byName).ifPresent(b::provider);
        CommonParsing.set(a, "host", b::host, a.text("host"));
        CommonParsing.set(a, "port", b::port, a.integer("port", 1, 65535));
        a.choice("security", NativeFormat::security).ifPresent(b::security);
        CommonParsing.set(a, "user", b::user, a.text("user"));
        if (!a.has("host") && !a.has("provider")) {
            a.missing("host", "the IMAP server (host: imap.example.org), or a provider (provider: gmail)");
        }
        if (!a.has("user") && !a.has("email")) {
            a.missing("user", "the user name to log in with (user: alice), or the e-mail address (email: …)");
        }
        if (a.has("password") && a.has("oauth2")) {
            a.problem("oauth2", "give a password or oauth2, not both");
        } else if (a.has("password")) {
            SecretParsing.source(a.get("password").orElseThrow(), a.path("password"), "the password", cx)
                    .ifPresent(b::credentials);
        } else if (a.has("oauth2")) {
            OAuth2Parsing.credentials(a, cx).ifPresent(b::credentials);
        } else {
            a.missing("password", "how to get the password: password: {file: PATH}, {env: VARIABLE} or "
                    + "{command: [...]}, or oauth2: {...}");
        }
        a.get("clientCertificate").flatMap(n -> ClientCertificateParsing.read(n, a.path("clientCertificate"), cx))
                .ifPresent(b::clientCertificate);
        SecretParsing.readableFile(a, "trustStore", "the trust store", cx).ifPresent(b::trustStore);
        a.bool("insecure").ifPresent(insecure -> {
            b.insecure(insecure);
            if (insecure) {
                cx.warn(a.get("insecure").orElse(null), a.path("insecure"), "the server's certificate and host "
                        + "name are NOT checked: anyone in between can read the password and the mail");
            }
        });
        CommonParsing.set(a, "connections", b::connections, a.integer("connections", 1, AccountConfig.MAX_CONNECTIONS));
        b.ignoreFolders(CommonParsing.folders(a, "ignoreFolders", cx));
        b.includeFolders(CommonParsing.folders(a, "folders", cx));
        a.get("rateLimit").flatMap(n -> CommonParsing.rateLimit(n, a.path("rateLimit"), cx)).ifPresent(b::rateLimit);
        CommonParsing.set(a, "directory", b::directory, a.text("directory"));
        a.bool("gmailLabelCopies").ifPresent(b::gmailLabelCopies);
        return cx.problems().size() == before ? Optional.of(b) : Optional.empty();
    }
}
