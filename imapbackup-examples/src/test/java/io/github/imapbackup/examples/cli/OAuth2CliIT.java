package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import io.github.imapbackup.testing.oauth.FakeTokenEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --oauth2-refresh-token-file} end to end: the demo server (GreenMail, which takes the
 * password as the XOAUTH2 bearer token) and the tests' own token endpoint, which gives that token.
 */
@Timeout(60)
class OAuth2CliIT {

    private static DemoServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        server = DemoServer.start("demo", "demo");
        server.load(SampleAccount.generate(3, 16 * 1024));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private String[] args(String command, FakeTokenEndpoint endpoint, Path cache, String... more) throws IOException {
        Path refresh = Files.writeString(tmp.resolve("refresh"), "1//refresh-of-demo\n");
        Files.setPosixFilePermissions(refresh, PosixFilePermissions.fromString("rw-------"));
        String[] base = {command, "--host", DemoServer.HOST, "--port", Integer.toString(server.port()),
            "--security", "none", "--user", "demo", "--oauth2-refresh-token-file", refresh.toString(),
            "--oauth2-token-endpoint", endpoint.uri().toString(), "--oauth2-client-id", "imapbackup-test",
            "--oauth2-token-cache", cache.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void aBackupLogsInWithATokenFromTheEndpointAndTheNextRunUsesTheCache() throws IOException {
        Path cache = tmp.resolve("cache/demo.json");
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.then(FakeTokenEndpoint.Answer.json(200, "{\"access_token\":\"demo\",\"expires_in\":3600}"));
            CliRun first = CliRun.run(args("backup", endpoint, cache, "--dir", tmp.resolve("b").toString()));
            assertThat(first.status).as(first.toString()).isZero();
            CliRun second = CliRun.run(args("folders", endpoint, cache));
            assertThat(second.status).as(second.toString()).isZero();
            assertThat(second.out).contains("INBOX");
            assertThat(endpoint.requests()).as("the second run took the cached token").hasSize(1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rw-------");
            assertThat(first.err + second.err).doesNotContain("1//refresh-of-demo");
        }
    }

    @Test
    void aCachedTokenTheServerRefusesIsRefreshed() throws IOException {
        Path cache = tmp.resolve("demo.json");
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            // the first token is one the server refuses (revoked before its time), the second is good
            endpoint.then(FakeTokenEndpoint.Answer.json(200, "{\"access_token\":\"revoked\",\"expires_in\":3600}"))
                    .then(FakeTokenEndpoint.Answer.json(200, "{\"access_token\":\"demo\",\"expires_in\":3600}"));
            CliRun r = CliRun.run(args("folders", endpoint, cache));
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(endpoint.requests()).hasSize(2);
            assertThat(Files.readString(cache)).contains("\"demo\"");
        }
    }

    @Test
    void anEndpointThatKeepsFailingExitsWith3() throws IOException {
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.then(FakeTokenEndpoint.Answer.json(401, "{\"error\":\"invalid_client\"}"));
            CliRun r = CliRun.run(args("folders", endpoint, tmp.resolve("c.json")));
            assertThat(r.status).as(r.toString()).isEqualTo(3);
            assertThat(r.err).contains("client id and the client secret");
        }
    }
}
