package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.testing.oauth.FakeTokenEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OAuth2RefresherTest {

    static final String REFRESH = "1//refresh-token-of-alice";
    static final String CLIENT_SECRET = "GOCSPX-client-secret";

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-04T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    @TempDir
    Path dir;
    FakeTokenEndpoint endpoint;
    final MovingClock clock = new MovingClock();
    final List<Duration> pauses = new CopyOnWriteArrayList<>();
    Path refreshFile;
    Path cache;

    @BeforeEach
    void start() throws IOException {
        endpoint = FakeTokenEndpoint.start();
        refreshFile = Files.writeString(dir.resolve("refresh-token"), REFRESH + "\n");
        cache = dir.resolve("cache/alice.json");
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    OAuth2Refresher.Builder refresher() {
        return OAuth2Refresher.builder().tokenEndpoint(endpoint.uri()).clientId("client-1")
                .clientSecret(CLIENT_SECRET::toCharArray).refreshTokenFile(refreshFile).cacheFile(cache)
                .clock(clock).sleeper(pauses::add);
    }

    static void assertNoSecret(Throwable e, String... secrets) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (String s : secrets) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(s);
            }
        }
    }

    @Test
    void postsTheRefreshGrantAsAFormAndCachesTheTokenForTheOwnerOnly() throws IOException {
        OAuth2Refresher tokens = refresher().scope("https://mail.google.com/").build();
        assertThat(tokens.accessToken()).isEqualTo("token-1");
        assertThat(tokens.accessToken()).isEqualTo("token-1");
        assertThat(endpoint.requests()).hasSize(1);
        FakeTokenEndpoint.Request r = endpoint.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(r.form()).containsEntry("grant_type", "refresh_token").containsEntry("refresh_token", REFRESH)
                .containsEntry("client_id", "client-1").containsEntry("client_secret", CLIENT_SECRET)
                .containsEntry("scope", "https://mail.google.com/");
        assertThat(Files.readString(cache)).contains("token-1").doesNotContain(REFRESH, CLIENT_SECRET);
        if (Files.getFileStore(cache).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.getParent())))
                    .isEqualTo("rwx------");
        }
        assertThat(tokens.toString()).doesNotContain(REFRESH, CLIENT_SECRET, "token-1");
    }

    @Test
    void aCachedTokenIsReusedByTheNextRunWithoutARequest() throws IOException {
        assertThat(refresher().build().accessToken()).isEqualTo("token-1");
        clock.advance(Duration.ofMinutes(50));
        assertThat(refresher().build().accessToken()).isEqualTo("token-1");
        assertThat(endpoint.requests()).hasSize(1);
    }

    @Test
    void aTokenAboutToExpireIsRefreshed() throws IOException {
        OAuth2Refresher tokens = refresher().build();
        assertThat(tokens.accessToken()).isEqualTo("token-1");
        clock.advance(Duration.ofHours(1).minus(OAuth2Refresher.MARGIN));
        assertThat(tokens.accessToken()).isEqualTo("token-2");
        assertThat(refresher().build().accessToken()).as("the next run reads the new one").isEqualTo("token-2");
        assertThat(endpoint.requests()).hasSize(2);
    }

    @Test
    void aRejectedTokenIsRefreshedOnceHoweverManyConnectionsReportIt() throws IOException {
        OAuth2Refresher tokens = refresher().build();
        String first = tokens.accessToken();
        assertThat(tokens.refresh(first)).isEqualTo("token-2");
        assertThat(tokens.refresh(first)).isEqualTo("token-2");
        assertThat(endpoint.requests()).hasSize(2);
        OAuth2Refresher otherRun = refresher().build();
        assertThat(otherRun.refresh(first)).as("another process refreshed it already").isEqualTo("token-2");
        assertThat(endpoint.requests()).hasSize(2);
    }

    @Test
    void aRotatedRefreshTokenIsSavedAndUsedUntilTheUserGivesANewOne() throws IOException {
        endpoint.then(FakeTokenEndpoint.Answer.json(200,
                "{\"access_token\":\"a-1\",\"expires_in\":3600,\"refresh_token\":\"rotated-2\"}"));
        assertThat(refresher().build().accessToken()).isEqualTo("a-1");
        assertThat(Files.readString(cache)).contains("rotated-2");
        clock.advance(Duration.ofHours(2));
        assertThat(refresher().build().accessToken()).isEqualTo("token-1");
        assertThat(endpoint.requests().get(1).form()).containsEntry("refresh_token", "rotated-2");
        Files.writeString(refreshFile, "signed-in-again-3\n");
        clock.advance(Duration.ofHours(2));
        assertThat(refresher().build().accessToken()).isEqualTo("token-2");
        assertThat(endpoint.requests().get(2).form()).containsEntry("refresh_token", "signed-in-again-3");
    }

    @Test
    void aRefusedRotatedTokenFallsBackToTheConfiguredOne() throws IOException {
        endpoint.then(FakeTokenEndpoint.Answer.json(200, "{\"access_token\":\"a-1\",\"refresh_token\":\"rotated-2\"}"))
                .then(FakeTokenEndpoint.Answer.json(400, "{\"error\":\"invalid_grant\"}"));
        refresher().build().accessToken();
        clock.advance(Duration.ofHours(2));
        assertThat(refresher().build().accessToken()).isEqualTo("token-1");
        assertThat(endpoint.requests()).extracting(r -> r.form().get("refresh_token"))
                .containsExactly(REFRESH, "rotated-2", REFRESH);
    }

    @Test
    void invalidGrantSaysToSignInAgainWithoutAnySecret() {
        endpoint.then(FakeTokenEndpoint.Answer.json(400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked: " + REFRESH + "\"}"));
        assertThatThrownBy(() -> refresher().build().accessToken()).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining(endpoint.uri().toString())
                .hasMessageContaining("invalid_grant")
                .hasMessageContaining("sign in again")
                .satisfies(e -> assertNoSecret(e, REFRESH, CLIENT_SECRET));
        assertThat(endpoint.requests()).hasSize(1);
        assertThat(pauses).as("a refused grant is not retried").isEmpty();
    }

    @Test
    void aRefusalThatQuotesTheRequestShowsNoSecret() {
        String form = "grant_type=refresh_token&refresh_token=" + java.net.URLEncoder.encode(REFRESH,
                java.nio.charset.StandardCharsets.UTF_8) + "&client_secret=" + CLIENT_SECRET;
        endpoint.then(FakeTokenEndpoint.Answer.json(400, "{\"error\":\"invalid_request\",\"error_description\":"
                + "\"cannot parse " + form + " nor " + form.replace("%2F", "%2f") + "\"}"));
        assertThatThrownBy(() -> refresher().build().accessToken()).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("invalid_request: cannot parse grant_type=refresh_token&refresh_token=***&")
                .satisfies(e -> assertNoSecret(e, REFRESH, CLIENT_SECRET, "1%2F%2Frefresh-token-of-alice",
                        "1%2f%2frefresh-token-of-alice"));
    }

    @Test
    void aWrongClientIsNamed() {
        endpoint.then(FakeTokenEndpoint.Answer.json(401, "{\"error\":\"invalid_client\"}"));
        assertThatThrownBy(() -> refresher().build().accessToken()).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("client id and the client secret");
    }

    @Test
    void aServerErrorIsRetriedAfterAPause() throws IOException {
        endpoint.then(FakeTokenEndpoint.Answer.json(503, "busy")).then(FakeTokenEndpoint.Answer.json(502, "busy"));
        assertThat(refresher().build().accessToken()).isEqualTo("token-1");
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void retriesAreBounded() {
        for (int i = 0; i < 5; i++) {
            endpoint.then(FakeTokenEndpoint.Answer.json(500, "down"));
        }
        assertThatThrownBy(() -> refresher().retries(2).build().accessToken()).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("HTTP 500, 3 times").hasMessageContaining(endpoint.uri().toString());
        assertThat(endpoint.requests()).hasSize(3);
        assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void anAnswerThatIsNotJsonIsNamed() {
        endpoint.then(FakeTokenEndpoint.Answer.json(200, "<html>login page</html>"));
        assertThatThrownBy(() -> refresher().build().accessToken()).isInstanceOf(BackupException.class)
                .hasMessageContaining("not JSON").hasMessageContaining(endpoint.uri().toString());
        endpoint.then(FakeTokenEndpoint.Answer.json(200, "{\"id_token\":\"x\"}"));
        assertThatThrownBy(() -> refresher().build().accessToken()).hasMessageContaining("without an access_token")
                .hasMessageContaining("id_token");
        endpoint.then(FakeTokenEndpoint.Answer.json(200, "{\"access_token\":\"mac\",\"token_type\":\"mac\"}"));
        assertThatThrownBy(() -> refresher().build().accessToken()).hasMessageContaining("not Bearer");
    }

    @Test
    void anEndpointThatDoesNotAnswerTimesOut() {
        endpoint.then(FakeTokenEndpoint.Answer.never());
        assertThatThrownBy(() -> refresher().timeout(Duration.ofSeconds(1)).retries(0).build().accessToken())
                .isInstanceOf(ConnectionException.class).hasMessageContaining("did not answer within 1 s");
    }

    @Test
    void anUnreachableEndpointIsAConnectionFailure() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> refresher().tokenEndpoint(URI.create("http://127.0.0.1:" + port + "/token"))
                .retries(1).build().accessToken())
                .isInstanceOf(ConnectionException.class).hasMessageContaining("cannot be reached")
                .hasMessageContaining("2 times");
    }

    @Test
    void aCacheOthersCanReadIsNotUsedAndIsReplaced() throws IOException {
        refresher().build().accessToken();
        if (!Files.getFileStore(cache).supportsFileAttributeView("posix")) {
            return;
        }
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(refresher().build().accessToken()).isEqualTo("token-2");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
    }

    @Test
    void aDamagedCacheIsReplaced() throws IOException {
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, "{\"access_token\": trunc");
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rw-------"));
        assertThat(refresher().build().accessToken()).isEqualTo("token-1");
        assertThat(Files.readString(cache)).contains("token-1");
    }

    @Test
    void aCacheThatCannotBeWrittenDoesNotStopTheLogin() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        OAuth2Refresher tokens = refresher().cacheFile(notADirectory.resolve("cache.json")).build();
        assertThat(tokens.accessToken()).isEqualTo("token-1");
        assertThat(tokens.accessToken()).isEqualTo("token-1");
        assertThat(endpoint.requests()).hasSize(1);
    }

    @Test
    void aMissingRefreshTokenFileIsNamed() {
        assertThatThrownBy(() -> refresher().refreshTokenFile(dir.resolve("nope")).build().accessToken())
                .isInstanceOf(BackupException.class).hasMessageContaining("refresh token file")
                .hasMessageContaining("nope").hasMessageContaining("does not exist");
        assertThat(endpoint.requests()).isEmpty();
    }

    @Test
    void theBuilderNamesWhatIsMissing() {
        assertThatThrownBy(() -> OAuth2Refresher.builder().clientId("c").refreshToken("r"::toCharArray).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> OAuth2Refresher.builder().endpoint(OAuth2Endpoint.GOOGLE)
                .refreshToken("r"::toCharArray).build()).hasMessageContaining("client id");
        assertThatThrownBy(() -> OAuth2Refresher.builder().endpoint(OAuth2Endpoint.GOOGLE).clientId("c").build())
                .hasMessageContaining("refresh token");
    }

    /** The snippet of {@link OAuth2Refresher}, kept compiling. */
    static io.github.imapbackup.imap.ImapSource snippet() {
        OAuth2Refresher tokens = OAuth2Refresher.builder()
                .endpoint(OAuth2Endpoint.GOOGLE)
                .clientId("1234-abc.apps.googleusercontent.com")
                .clientSecretFile(Path.of("/etc/imapbackup/client-secret"))
                .refreshTokenFile(Path.of("/etc/imapbackup/alice.refresh-token"))
                .cacheFile(OAuth2Refresher.defaultCacheFile("alice@gmail.com", OAuth2Endpoint.GOOGLE))
                .build();                                   // no I/O
        io.github.imapbackup.imap.ImapSource source = io.github.imapbackup.imap.ImapSource.builder()
                .host("imap.gmail.com").user("alice@gmail.com").oauth2(tokens).build();
        return source;
    }

    @Test
    void theSnippetBuildsWithoutIo() {
        assertThat(snippet().toString()).contains("XOAUTH2");
    }

    @Test
    void theDefaultCacheIsPerUserAndEndpoint() {
        Path a = OAuth2Refresher.defaultCacheFile("alice@gmail.com", OAuth2Endpoint.GOOGLE);
        assertThat(a.toString()).contains("imapbackup").endsWith(".json");
        assertThat(a).isNotEqualTo(OAuth2Refresher.defaultCacheFile("bob@gmail.com", OAuth2Endpoint.GOOGLE))
                .isNotEqualTo(OAuth2Refresher.defaultCacheFile("alice@gmail.com", OAuth2Endpoint.MICROSOFT))
                .isEqualTo(OAuth2Refresher.defaultCacheFile("alice@gmail.com", OAuth2Endpoint.GOOGLE));
    }
}
