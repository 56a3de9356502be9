package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.oauth.FakeTokenEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The OAuth2 refresh options: what they need, what they refuse, and that their secrets show nowhere. */
@Timeout(20)
class OAuth2OptionsTest {

    private static final String REFRESH = "1//0refresh-token-xyz";
    private static final String CLIENT_SECRET = "GOCSPX-client-secret-xyz";

    @TempDir
    Path tmp;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content);
    }

    /** A folders run on a closed port (refused at once): the options are resolved before anything connects. */
    private CliRun folders(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("folders", "--host", "127.0.0.1", "--port", "1",
                "--security", "none", "--user", "alice@gmail.com"));
        args.addAll(List.of(more));
        return CliRun.run(args.toArray(String[]::new));
    }

    @Test
    void aRefreshTokenNeedsAnEndpointAndAClientId() throws IOException {
        Path refresh = file("refresh", REFRESH + "\n");
        CliRun noEndpoint = folders("--oauth2-refresh-token-file", refresh.toString(), "--oauth2-client-id", "c");
        assertThat(noEndpoint.status).as(noEndpoint.toString()).isEqualTo(2);
        assertThat(noEndpoint.err).contains("--oauth2-token-endpoint").contains("google, microsoft");
        CliRun noClient = folders("--oauth2-refresh-token-file", refresh.toString(), "--oauth2-token-endpoint", "google");
        assertThat(noClient.status).isEqualTo(2);
        assertThat(noClient.err).contains("--oauth2-client-id");
        CliRun badEndpoint = folders("--oauth2-refresh-token-file", refresh.toString(), "--oauth2-client-id", "c",
                "--oauth2-token-endpoint", "http://oauth.example.org/token");
        assertThat(badEndpoint.status).isEqualTo(2);
        assertThat(badEndpoint.err).contains("--oauth2-token-endpoint").contains("https");
        for (CliRun r : List.of(noEndpoint, noClient, badEndpoint)) {
            assertThat(r.out + r.err).doesNotContain(REFRESH);
        }
    }

    @Test
    void theOtherOAuth2OptionsGoWithARefreshToken() throws IOException {
        Path pw = file("pw", "secret\n");
        CliRun r = folders("--password-file", pw.toString(), "--oauth2-client-id", "c", "--oauth2-token-cache", "x");
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("--oauth2-client-id, --oauth2-token-cache go with --oauth2-refresh-token-file");
    }

    @Test
    void oneSecretSourceOnly() throws IOException {
        Path refresh = file("refresh", REFRESH + "\n");
        Path pw = file("pw", "secret\n");
        CliRun r = folders("--password-file", pw.toString(), "--oauth2-refresh-token-file", refresh.toString());
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("--password-file").contains("--oauth2-refresh-token-file");
    }

    @Test
    void aMissingRefreshTokenFileIsAUsageErrorThatDoesNotShowThePath() {
        CliRun r = folders("--oauth2-refresh-token-file", REFRESH, "--oauth2-token-endpoint", "google",
                "--oauth2-client-id", "c");
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("--oauth2-refresh-token-file: the file does not exist").doesNotContain(REFRESH);
    }

    @Test
    void aRefusedGrantExitsWith3SayingWhatToDoAndShowsNoSecret() throws IOException {
        Path refresh = file("refresh", REFRESH + "\n");
        Path secret = file("secret", CLIENT_SECRET + "\n");
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.then(FakeTokenEndpoint.Answer.json(400, "{\"error\":\"invalid_grant\","
                    + "\"error_description\":\"Token has been expired or revoked.\"}"));
            CliRun r = folders("--oauth2-refresh-token-file", refresh.toString(), "--oauth2-token-endpoint",
                    endpoint.uri().toString(), "--oauth2-client-id", "c", "--oauth2-client-secret-file",
                    secret.toString(), "--oauth2-token-cache", tmp.resolve("cache.json").toString());
            assertThat(r.status).as(r.toString()).isEqualTo(3);
            assertThat(r.err).contains("invalid_grant").contains("sign in again").contains(endpoint.uri().toString());
            assertThat(r.out + r.err).doesNotContain(REFRESH, CLIENT_SECRET);
            assertThat(endpoint.requests()).singleElement().satisfies(q -> assertThat(q.form())
                    .containsEntry("refresh_token", REFRESH).containsEntry("client_secret", CLIENT_SECRET)
                    .containsEntry("client_id", "c"));
        }
    }

    @Test
    void migrateHasTheOptionsForEachHost() {
        CliRun r = CliRun.run("migrate", "--help");
        assertThat(r.out).contains("--oauth2-refresh-token-file1", "--oauth2-token-endpoint1", "--oauth2-client-id1",
                "--oauth2-client-secret-file1", "--oauth2-scope1", "--oauth2-token-cache1",
                "--oauth2-refresh-token-file2", "--oauth2-token-endpoint2", "--oauth2-client-id2");
        CliRun b = CliRun.run("backup", "--help");
        assertThat(b.out).contains("--oauth2-refresh-token-file", "--oauth2-token-endpoint", "--oauth2-client-id",
                "--oauth2-client-secret-file", "--oauth2-token-cache");
    }

    @Test
    void migrateNamesTheHostsOptions() throws IOException {
        Path refresh = file("refresh", REFRESH + "\n");
        CliRun r = CliRun.run("migrate", "--host1", "127.0.0.1", "--port1", "1", "--security1", "none", "--user1", "a",
                "--oauth2-refresh-token-file1", refresh.toString(), "--oauth2-token-endpoint1", "google",
                "--host2", "127.0.0.1", "--port2", "1", "--security2", "none", "--user2", "b",
                "--password-file2", refresh.toString());
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("host1").contains("--oauth2-client-id1").doesNotContain(REFRESH);
    }
}
