package io.github.imapbackup.accounts;

import io.github.imapbackup.accounts.internal.SecretReading;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * An OAuth 2.0 token endpoint, where an {@link OAuth2Refresher} exchanges a refresh token for
 * access tokens: {@link #GOOGLE}, {@link #MICROSOFT} (or {@link #microsoft(String) a tenant}), or
 * {@link #of(URI) any server}. See {@code docs/CLI.md}, "OAuth2".
 *
 * <pre>{@code
 * OAuth2Endpoint google = OAuth2Endpoint.parse("google");          // as --oauth2-token-endpoint takes it
 * OAuth2Endpoint contoso = OAuth2Endpoint.microsoft("contoso.onmicrosoft.com");
 * OAuth2Endpoint own = OAuth2Endpoint.of(URI.create("https://sso.example.org/oauth2/token"));
 * }</pre>
 *
 * @param name a short name for messages and cache file names ({@code google}, {@code microsoft},
 *     or the endpoint's host)
 * @param tokenUri the token endpoint: https, or http on a loopback address only (tests, a local
 *     proxy)
 * @param scope the scope asked for when refreshing unless the refresher is given one, or null to
 *     ask for what was granted with the refresh token
 */
public record OAuth2Endpoint(String name, URI tokenUri, String scope) {

    /** Google (Gmail, Google Workspace): {@code https://oauth2.googleapis.com/token}; IMAP needs the scope {@code https://mail.google.com/}. */
    public static final OAuth2Endpoint GOOGLE = new OAuth2Endpoint("google",
            URI.create("https://oauth2.googleapis.com/token"), null);

    /** The scope that grants IMAP at Microsoft, and a new refresh token with each access token. */
    public static final String MICROSOFT_IMAP_SCOPE = "https://outlook.office.com/IMAP.AccessAsUser.All offline_access";

    /**
     * Microsoft (Microsoft 365, Outlook.com) for any tenant:
     * {@code https://login.microsoftonline.com/common/oauth2/v2.0/token}, asking for
     * {@link #MICROSOFT_IMAP_SCOPE}.
     */
    public static final OAuth2Endpoint MICROSOFT = microsoft("common");

    /**
     * Validates.
     *
     * @param name a short name
     * @param tokenUri the token endpoint
     * @param scope the scope to ask for, or null
     * @throws IllegalArgumentException if the endpoint is not an absolute https URL (http only on
     *     a loopback address), or the name is blank
     */
    public OAuth2Endpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenUri, "tokenUri");
        if (name.isBlank()) {
            throw new IllegalArgumentException("the token endpoint's name is blank");
        }
        String scheme = tokenUri.getScheme() == null ? "" : tokenUri.getScheme().toLowerCase(Locale.ROOT);
        if (!tokenUri.isAbsolute() || tokenUri.getHost() == null
                || !(scheme.equals("https") || scheme.equals("http") && SecretReading.isLoopback(tokenUri.getHost()))) {
            throw new IllegalArgumentException("an OAuth2 token endpoint must be an https URL (http only on this"
                    + " machine's loopback address): " + tokenUri);
        }
        if (scope != null && scope.isBlank()) {
            scope = null;
        }
    }

    /**
     * Microsoft's endpoint for one tenant.
     *
     * @param tenant the tenant's id or domain, or {@code common}, {@code organizations},
     *     {@code consumers}
     * @return {@code https://login.microsoftonline.com/TENANT/oauth2/v2.0/token}
     * @throws IllegalArgumentException if the tenant holds anything but letters, digits, {@code .},
     *     {@code -} and {@code _}
     */
    public static OAuth2Endpoint microsoft(String tenant) {
        if (tenant == null || !tenant.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a Microsoft tenant is an id or a domain name, such as"
                    + " contoso.onmicrosoft.com, or common: \"" + tenant + "\"");
        }
        return new OAuth2Endpoint("microsoft", URI.create("https://login.microsoftonline.com/" + tenant
                + "/oauth2/v2.0/token"), MICROSOFT_IMAP_SCOPE);
    }

    /**
     * Any OAuth 2.0 server's token endpoint, named by its host; no scope unless given with
     * {@link OAuth2Refresher.Builder#scope(String)}. Google's and Microsoft's URLs give their
     * presets ({@link #GOOGLE}, {@link #microsoft(String)}).
     *
     * @param tokenUri the endpoint
     * @return the endpoint
     * @throws IllegalArgumentException as the constructor
     */
    public static OAuth2Endpoint of(URI tokenUri) {
        Objects.requireNonNull(tokenUri, "tokenUri");
        if (tokenUri.equals(GOOGLE.tokenUri())) {
            return GOOGLE;
        }
        String path = tokenUri.getPath() == null ? "" : tokenUri.getPath();
        if ("login.microsoftonline.com".equalsIgnoreCase(tokenUri.getHost()) && "https".equals(tokenUri.getScheme())
                && tokenUri.getPort() == -1 && tokenUri.getQuery() == null
                && path.matches("/[A-Za-z0-9._-]+/oauth2/v2\\.0/token")) {
            return microsoft(path.substring(1, path.indexOf('/', 1)));
        }
        return new OAuth2Endpoint(tokenUri.getHost() == null ? "endpoint" : tokenUri.getHost(), tokenUri, null);
    }

    /**
     * Reads an endpoint as {@code --oauth2-token-endpoint} and configuration files give it:
     * {@code google} (or {@code gmail}), {@code microsoft} (or {@code office365}, {@code outlook}),
     * {@code microsoft:TENANT}, or a URL.
     *
     * @param text the preset's name (any case) or the URL
     * @return the endpoint
     * @throws IllegalArgumentException naming the text and what is accepted
     */
    public static OAuth2Endpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "google", "gmail" -> {
                return GOOGLE;
            }
            case "microsoft", "office365", "outlook" -> {
                return MICROSOFT;
            }
            default -> {
                if (lower.startsWith("microsoft:")) {
                    return microsoft(t.substring("microsoft:".length()));
                }
                if (lower.startsWith("https://") || lower.startsWith("http://")) {
                    try {
                        return of(new URI(t));
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalArgumentException("not a URL: \"" + t + "\" (" + e.getReason() + ")", e);
                    }
                }
                throw new IllegalArgumentException("unknown OAuth2 token endpoint \"" + t + "\": give google,"
                        + " microsoft, microsoft:TENANT or the endpoint's https URL");
            }
        }
    }

    /** Whether a host is this machine's loopback address, without asking DNS. */
    @Override
    public String toString() {
        return name + " (" + tokenUri + ")";
    }
}
