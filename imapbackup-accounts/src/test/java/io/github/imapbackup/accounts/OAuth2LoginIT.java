package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.accounts.internal.TokenCache;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.imap.Security;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.testing.oauth.FakeTokenEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * XOAUTH2 end to end: GreenMail (which takes the user's password as the bearer token) refuses the
 * cached access token, the source asks the refresher for a new one, the tests' own token endpoint
 * gives it, the login succeeds and the cache holds the new token.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OAuth2LoginIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    private static final String USER = "alice";
    private static final String GOOD = "ya29.good-token-of-alice";

    @TempDir
    Path dir;

    private ImapSource source(OAuth2Refresher tokens) {
        return ImapSource.builder().host("localhost").port(greenMail.getImap().getPort()).security(Security.NONE)
                .user(USER).oauth2(tokens).timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void aRefusedCachedTokenIsRefreshedAtTheEndpointAndTheLoginSucceeds() throws Exception {
        greenMail.setUser("alice@example.org", USER, GOOD);
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.then(FakeTokenEndpoint.Answer.json(200,
                    "{\"access_token\":\"" + GOOD + "\",\"token_type\":\"Bearer\",\"expires_in\":3599}"));
            Path cache = dir.resolve("alice.json");
            new TokenCache(cache, endpoint.uri().toString(), "client-1")
                    .write(new TokenCache.Entry("ya29.revoked-early", Instant.now().plusSeconds(3000), null, null));
            Path refresh = Files.writeString(dir.resolve("refresh"), "1//refresh\n");
            OAuth2Refresher tokens = OAuth2Refresher.builder().tokenEndpoint(endpoint.uri()).clientId("client-1")
                    .refreshTokenFile(refresh).cacheFile(cache).build();
            ImapSource source = source(tokens);
            try (SourceConnection c = source.connect()) {
                assertThat(c.folders()).isNotEmpty();
            }
            try (SourceConnection c = source.connect()) {
                assertThat(c.hasCapability("IMAP4rev1")).isTrue();
            }
            assertThat(endpoint.requests()).hasSize(1);
            assertThat(Files.readString(cache)).contains(GOOD).doesNotContain("ya29.revoked-early");
        }
    }

    @Test
    void aGrantTheEndpointRefusesIsAnAuthenticationFailureThatSaysWhatToDo() throws Exception {
        greenMail.setUser("alice@example.org", USER, GOOD);
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.then(FakeTokenEndpoint.Answer.json(400, "{\"error\":\"invalid_grant\"}"));
            Path refresh = Files.writeString(dir.resolve("refresh"), "1//revoked-refresh\n");
            OAuth2Refresher tokens = OAuth2Refresher.builder().tokenEndpoint(endpoint.uri()).clientId("client-1")
                    .refreshTokenFile(refresh).cacheFile(dir.resolve("c.json")).build();
            assertThatThrownBy(source(tokens)::connect).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("no OAuth2 access token for user alice")
                    .hasMessageContaining("sign in again")
                    .hasMessageNotContaining("1//revoked-refresh");
        }
    }
}
