package io.github.imapbackup.examples.cli;

import io.github.imapbackup.accounts.OAuth2Endpoint;
import io.github.imapbackup.accounts.OAuth2Refresher;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Turns the OAuth2 options into a credential whose access tokens are refreshed (docs/CLI.md, "OAuth2"). */
final class OAuth2Resolver {

    private OAuth2Resolver() { }

    /**
     * Refuses the settings of {@code --oauth2-refresh-token-file} given without it.
     *
     * @throws UsageException naming them
     */
    static void refuseStray(ServerOptions o) {
        List<String> stray = new ArrayList<>();
        if (o.oauth2Endpoint != null) {
            stray.add("--oauth2-token-endpoint");
        }
        if (o.oauth2ClientId != null) {
            stray.add("--oauth2-client-id");
        }
        if (o.oauth2ClientSecretFile != null) {
            stray.add("--oauth2-client-secret-file");
        }
        if (o.oauth2Scope != null) {
            stray.add("--oauth2-scope");
        }
        if (o.oauth2TokenCache != null) {
            stray.add("--oauth2-token-cache");
        }
        if (!stray.isEmpty()) {
            throw new UsageException(String.join(", ", stray) + " go with --oauth2-refresh-token-file FILE,"
                    + " which was not given");
        }
    }

    /**
     * Reads the refresh token (and the client secret) and makes the refreshing credential; no
     * connection is made.
     *
     * @param o the server options
     * @param refreshTokenFile the file of {@code --oauth2-refresh-token-file}
     * @param err where warnings go
     * @return the credential
     * @throws UsageException when a setting is missing or wrong, or a file cannot be read
     */
    static Credential credential(ServerOptions o, Path refreshTokenFile, PrintStream err) {
        if (o.oauth2Endpoint == null) {
            throw new UsageException("--oauth2-refresh-token-file needs --oauth2-token-endpoint: google, microsoft,"
                    + " microsoft:TENANT or the token endpoint's https URL");
        }
        OAuth2Endpoint endpoint;
        try {
            endpoint = OAuth2Endpoint.parse(o.oauth2Endpoint);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--oauth2-token-endpoint: " + e.getMessage(), e);
        }
        if (o.oauth2ClientId == null || o.oauth2ClientId.isBlank()) {
            throw new UsageException("--oauth2-refresh-token-file needs --oauth2-client-id ID: the OAuth2 client"
                    + " (application) the refresh token was granted to");
        }
        char[] refreshToken = ServerResolver.readSecretLine(refreshTokenFile, "--oauth2-refresh-token-file", err);
        char[] clientSecret = o.oauth2ClientSecretFile == null ? null
                : ServerResolver.readSecretLine(o.oauth2ClientSecretFile, "--oauth2-client-secret-file", err);
        Path cache = o.oauth2TokenCache != null ? o.oauth2TokenCache
                : OAuth2Refresher.defaultCacheFile(o.user, endpoint);
        OAuth2Refresher.Builder b = OAuth2Refresher.builder().endpoint(endpoint).clientId(o.oauth2ClientId)
                .refreshToken(refreshToken::clone).scope(o.oauth2Scope).cacheFile(cache);
        if (clientSecret != null) {
            b.clientSecret(clientSecret::clone);
        }
        if (o.timeoutSeconds != null) {
            b.timeout(Duration.ofSeconds(o.timeoutSeconds));
        }
        return new Credential.OAuth2Refresh(b.build(), "a refresh token for " + endpoint.name());
    }
}
