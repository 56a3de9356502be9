package io.github.imapbackup.accounts.internal;

import io.github.imapbackup.accounts.Credentials;
import io.github.imapbackup.accounts.Provider;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an account's {@code oauth2}: {@code {tokenFile: FILE}} for a fixed access token, or the
 * refresh settings {@code {endpoint, tenant, clientId, clientSecret, refreshToken, scope, cache}}
 * with the endpoint and scope of the account's provider unless given.
 */
final class OAuth2Parsing {

    static final List<String> KEYS = List.of("endpoint", "tenant", "clientId", "clientSecret", "refreshToken",
            "scope", "cache", "tokenFile");

    private OAuth2Parsing() { }

    static Optional<Credentials> credentials(Fields account, Context cx) {
        String path = account.path("oauth2");
        Fields f = Fields.of(account.get("oauth2").orElseThrow(), path, cx.problems(), KEYS, "the OAuth2 settings");
        if (f == null) {
            return Optional.empty();
        }
        if (f.has("tokenFile")) {
            for (String k : KEYS) {
                if (!k.equals("tokenFile") && f.has(k)) {
                    f.problem(k, "a fixed token (tokenFile) is not refreshed: give tokenFile alone, or the refresh "
                            + "settings without it");
                }
            }
            return f.path("tokenFile", cx.base())
                    .flatMap(p -> SecretParsing.checkedFile(p, f, "tokenFile", "the OAuth2 access token", cx))
                    .map(Credentials::oauth2TokenFile);
        }
        Provider provider = account.has("provider") ? account.choice("provider", Provider::byName).orElse(Provider.NONE)
                : Provider.forHost(account.text("host").orElse(null));
        Optional<URI> endpoint = endpoint(f, provider);
        if (!f.has("clientId")) {
            f.missing("clientId", "the OAuth2 client's id (clientId: …), from the app registered with the provider");
        }
        if (!f.has("refreshToken")) {
            f.missing("refreshToken", "where the refresh token is: refreshToken: {file: PATH} (or {env: …}, "
                    + "{command: [...]})");
        }
        Optional<String> clientId = f.text("clientId");
        Optional<Credentials.SecretSource> refresh = f.get("refreshToken")
                .flatMap(n -> SecretParsing.source(n, f.path("refreshToken"), "the refresh token", cx));
        Credentials.SecretSource secret = f.get("clientSecret")
                .flatMap(n -> SecretParsing.source(n, f.path("clientSecret"), "the client secret", cx)).orElse(null);
        String scope = f.text("scope").orElseGet(() -> endpoint.flatMap(OAuth2Parsing::scopeOf).orElse(null));
        Path cache = f.path("cache", cx.base()).orElse(null);
        if (endpoint.isEmpty() || clientId.isEmpty() || refresh.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Credentials.OAuth2(endpoint.get(), clientId.get(), secret, refresh.get(), scope,
                    cache));
        } catch (IllegalArgumentException e) {
            f.problem("endpoint", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The endpoint: {@code google} (or {@code gmail}), {@code microsoft} (or {@code office365},
     * {@code outlook}, and {@code microsoft:TENANT}), a URL, or the provider's when not given.
     */
    private static Optional<URI> endpoint(Fields f, Provider provider) {
        String given = f.text("endpoint").map(String::strip).orElse(null);
        String name = given == null ? null : given.toLowerCase(Locale.ROOT);
        String tenant = null;
        if (name != null && name.startsWith("microsoft:")) {
            tenant = given.substring("microsoft:".length());
            name = "microsoft";
        }
        boolean microsoft = name != null && List.of("microsoft", "office365", "outlook").contains(name)
                || name == null && provider == Provider.OFFICE365;
        if (f.has("tenant") && (!microsoft || tenant != null)) {
            f.problem("tenant", tenant != null ? "the tenant is given twice: in endpoint and in tenant; keep one"
                    : "a tenant applies to Microsoft's endpoint only (endpoint: microsoft)");
        }
        if (microsoft) {
            try {
                return Optional.of(Provider.microsoftTokenEndpoint(tenant != null ? tenant
                        : f.text("tenant").orElse("common")));
            } catch (IllegalArgumentException e) {
                f.problem(tenant != null ? "endpoint" : "tenant", e.getMessage());
                return Optional.empty();
            }
        }
        if (name != null && List.of("google", "gmail").contains(name)) {
            return Provider.GMAIL.tokenEndpoint();
        }
        if (name == null) {
            if (provider.tokenEndpoint().isEmpty()) {
                f.missing("endpoint", "the token endpoint: google, microsoft, microsoft:TENANT, or its https URL "
                        + "(the account's provider has none)");
            }
            return provider.tokenEndpoint();
        }
        try {
            URI uri = new URI(given);
            SecretReading.checkTokenEndpoint(uri);
            return Optional.of(uri);
        } catch (URISyntaxException | IllegalArgumentException e) {
            f.problem("endpoint", "expected google, microsoft, microsoft:TENANT or an https URL: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Microsoft's endpoint needs the IMAP scope to be asked for; others grant what was consented to. */
    private static Optional<String> scopeOf(URI endpoint) {
        return "login.microsoftonline.com".equalsIgnoreCase(endpoint.getHost()) ? Provider.OFFICE365.oauth2Scope()
                : Optional.empty();
    }
}
