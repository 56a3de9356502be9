package io.github.imapbackup.accounts;

import io.github.imapbackup.imap.Security;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Presets for the common mail providers: server, protection, a rate cap, folders to ignore, the
 * OAuth2 token endpoint, and whether the server has Gmail's labels. An account's own settings
 * override its preset's; an account that names no provider gets the preset whose server it uses
 * ({@link #forHost(String)}). Each preset is documented in {@code docs/CONFIG.md}.
 *
 * <pre>{@code
 * AccountConfig gmail = AccountConfig.builder()
 *         .provider(Provider.GMAIL)                 // imap.gmail.com:993, TLS, 23,000 bytes/s
 *         .user("alice@gmail.com")
 *         .credentials(Credentials.passwordFile(Path.of("alice.pass")))   // an app password
 *         .build();
 * }</pre>
 */
public enum Provider {

    /**
     * Gmail and Google Workspace: {@code imap.gmail.com:993} over TLS; labels stored once
     * ({@code [Gmail]/All Mail} and the label folders hold the same messages); a cap of
     * {@value #GMAIL_BYTES_PER_SECOND} bytes/s, which keeps a day's download at 1.99 GB, below
     * Google's limit of 2,500 MB a day for IMAP downloads with a margin of a fifth
     * (2,500,000,000 × 0.8 / 86,400 s = 23,148 bytes/s, rounded down); OAuth2 at Google's
     * token endpoint, or an app password.
     */
    GMAIL("Gmail", "imap.gmail.com", new RateLimit(Provider.GMAIL_BYTES_PER_SECOND, 0), List.of(),
            "https://oauth2.googleapis.com/token", "https://mail.google.com/", true),

    /**
     * Microsoft 365 / Office 365 / Outlook.com (Exchange Online): {@code outlook.office365.com:993}
     * over TLS; the folders that hold no mail (the original script's list: Calendar, Contacts,
     * Conversation History, Journal, Quick Step Settings, RSS Feeds, Suggested Contacts, Sync
     * Issues, Tasks, Working Set, each with its sub-folders) ignored; OAuth2 at Microsoft's token
     * endpoint ({@code common} tenant unless one is given).
     */
    OFFICE365("Office 365", "outlook.office365.com", RateLimit.NONE, List.of("Calendar", "Contacts",
            "Conversation History", "Journal", "Quick Step Settings", "RSS Feeds", "Suggested Contacts",
            "Sync Issues", "Tasks", "Working Set"),
            "https://login.microsoftonline.com/common/oauth2/v2.0/token",
            "https://outlook.office.com/IMAP.AccessAsUser.All offline_access", false),

    /** iCloud Mail: {@code imap.mail.me.com:993} over TLS, with an app-specific password. */
    ICLOUD("iCloud", "imap.mail.me.com", RateLimit.NONE, List.of(), null, null, false),

    /** Fastmail: {@code imap.fastmail.com:993} over TLS, with an app password. */
    FASTMAIL("Fastmail", "imap.fastmail.com", RateLimit.NONE, List.of(), null, null, false),

    /** Yahoo Mail: {@code imap.mail.yahoo.com:993} over TLS, with an app password. */
    YAHOO("Yahoo", "imap.mail.yahoo.com", RateLimit.NONE, List.of(), null, null, false),

    /** No preset: the account gives its own server, and nothing else is assumed. */
    NONE("none", null, RateLimit.NONE, List.of(), null, null, false);

    /** Gmail's cap in bytes per second: 80% of 2,500 MB a day. */
    public static final long GMAIL_BYTES_PER_SECOND = 23_000;

    private final String displayName;
    private final String host;
    private final RateLimit rateLimit;
    private final List<FolderRule> ignoreFolders;
    private final URI tokenEndpoint;
    private final String oauth2Scope;
    private final boolean gmailLabels;

    Provider(String displayName, String host, RateLimit rateLimit, List<String> ignore, String tokenEndpoint,
            String oauth2Scope, boolean gmailLabels) {
        this.displayName = displayName;
        this.host = host;
        this.rateLimit = rateLimit;
        this.ignoreFolders = ignore.stream().map(FolderRule::name).toList();
        this.tokenEndpoint = tokenEndpoint == null ? null : URI.create(tokenEndpoint);
        this.oauth2Scope = oauth2Scope;
        this.gmailLabels = gmailLabels;
    }

    /** {@return the provider's name for people, such as {@code Office 365}} */
    public String displayName() {
        return displayName;
    }

    /** {@return the IMAP server, empty for {@link #NONE}} */
    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    /** {@return the port: 993 for every preset} */
    public int port() {
        return security().defaultPort();
    }

    /** {@return the protection: TLS for every preset} */
    public Security security() {
        return Security.TLS;
    }

    /** {@return the provider's rate cap per account ({@link RateLimit#NONE} when it has none)} */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    /** {@return the folders that hold no mail at this provider, ignored with their sub-folders} */
    public List<FolderRule> ignoreFolders() {
        return ignoreFolders;
    }

    /** {@return the OAuth2 token endpoint, when the provider offers OAuth2 for IMAP} */
    public Optional<URI> tokenEndpoint() {
        return Optional.ofNullable(tokenEndpoint);
    }

    /**
     * {@return the OAuth2 scope that grants IMAP access, when the provider offers OAuth2: the scope to
     * consent to when getting the refresh token; asked for again when refreshing at Microsoft only}
     */
    public Optional<String> oauth2Scope() {
        return Optional.ofNullable(oauth2Scope);
    }

    /** {@return whether the server has Gmail's labels ({@code X-GM-EXT-1}), stored once by default} */
    public boolean gmailLabels() {
        return gmailLabels;
    }

    /**
     * The token endpoint of a Microsoft tenant.
     *
     * @param tenant the tenant's id or domain, or {@code common}, {@code organizations},
     *     {@code consumers}
     * @return {@code https://login.microsoftonline.com/TENANT/oauth2/v2.0/token}
     * @throws IllegalArgumentException if the tenant holds anything but letters, digits, {@code .},
     *     {@code -} and {@code _}
     */
    public static URI microsoftTokenEndpoint(String tenant) {
        return OAuth2Endpoint.microsoft(tenant).tokenUri();
    }

    /**
     * The preset of a name, as a configuration file gives it: {@code gmail} (or {@code google}),
     * {@code office365} (or {@code outlook}, {@code o365}, {@code microsoft}), {@code icloud},
     * {@code fastmail}, {@code yahoo}, {@code none}; any case.
     *
     * @param name the name
     * @return the preset
     * @throws IllegalArgumentException naming the known presets, if there is none of that name
     */
    public static Provider byName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
        switch (n) {
            case "google":
            case "googleworkspace":
                return GMAIL;
            case "outlook":
            case "o365":
            case "microsoft":
            case "microsoft365":
            case "exchangeonline":
                return OFFICE365;
            default:
                return Arrays.stream(values()).filter(p -> p.name().toLowerCase(Locale.ROOT).equals(n)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown provider \"" + name + "\" (known: "
                                + String.join(", ", names()) + ")"));
        }
    }

    /** {@return the names {@link #byName(String)} knows first, in lower case} */
    public static List<String> names() {
        return Stream.of(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The preset whose server this is, for an account that names no provider.
     *
     * @param host a server's host name
     * @return the preset, or {@link #NONE}
     */
    public static Provider forHost(String host) {
        if (host == null) {
            return NONE;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        for (Provider p : values()) {
            if (p.host != null && p.host.equals(h)) {
                return p;
            }
        }
        if (h.equals("imap.googlemail.com")) {
            return GMAIL;
        }
        if (h.equals("outlook.office.com") || h.equals("imap-mail.outlook.com")) {
            return OFFICE365;
        }
        return NONE;
    }
}
