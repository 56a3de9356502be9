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
        String scope = f.text("scope").orElseGet(() -> endpoint.flatMap(e -> scopeOf(e, provider)).orElse(null));
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

    private static Optional<URI> endpoint(Fields f, Provider provider) {
        String given = f.text("endpoint").orElse(null);
        String name = given == null ? null : given.strip().toLowerCase(Locale.ROOT);
        boolean microsoft = "microsoft".equals(name) || name == null && provider == Provider.OFFICE365;
        if (f.has("tenant") && !microsoft) {
            f.problem("tenant", "a tenant applies to Microsoft's endpoint only (endpoint: microsoft)");
        }
        if (microsoft) {
            String tenant = f.text("tenant").orElse("common");
            try {
                return Optional.of(Provider.microsoftTokenEndpoint(tenant));
            } catch (IllegalArgumentException e) {
                f.problem("tenant", e.getMessage());
                return Optional.empty();
            }
        }
        if ("google".equals(name) || name == null && provider.tokenEndpoint().isPresent()) {
            return provider == Provider.GMAIL || name != null ? Provider.GMAIL.tokenEndpoint()
                    : provider.tokenEndpoint();
        }
        if (name == null) {
            f.missing("endpoint", "the token endpoint: google, microsoft, or its https URL (the account's provider "
                    + "has none)");
            return Optional.empty();
        }
        try {
            URI uri = new URI(given.strip());
            SecretReading.checkTokenEndpoint(uri);
            return Optional.of(uri);
        } catch (URISyntaxException | IllegalArgumentException e) {
            f.problem("endpoint", "expected google, microsoft or an https URL: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<String> scopeOf(URI endpoint, Provider provider) {
        for (Provider p : List.of(Provider.GMAIL, Provider.OFFICE365)) {
            if (p.tokenEndpoint().map(URI::getHost).equals(Optional.ofNullable(endpoint.getHost()))) {
                return p.oauth2Scope();
            }
        }
        return provider.oauth2Scope();
    }
}
