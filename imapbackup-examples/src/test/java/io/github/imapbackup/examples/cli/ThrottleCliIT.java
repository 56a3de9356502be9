package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.imap.FakeImapServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a throttling server and with rate caps: a throttled run still exits 0
 * with every message and says how long it waited (statistics and JSON report); the caps' options
 * are read with their suffixes and refuse malformed values with exit 2 naming the option. The waits
 * here are real but short (one backoff of at most a second).
 */
@Timeout(120)
class ThrottleCliIT {

    private static final Map<String, String> ENV = Map.of("PW", "secret");
    private FakeImapServer server;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws Exception {
        server = FakeImapServer.start("alice", "secret");
        for (int i = 0; i < 12; i++) {
            String m = "Message-ID: <cli" + i + "@x>\r\nFrom: a@x\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n";
            server.append(i < 8 ? "INBOX" : "Other", m.getBytes(StandardCharsets.US_ASCII), Set.of(),
                    Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i));
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String[] backup(Path dir, String... more) {
        List<String> a = new ArrayList<>(List.of("backup", "--host", server.host(), "--port",
                Integer.toString(server.port()), "--security", "none", "--user", "alice", "--password-env", "PW",
                "--dir", dir.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void aThrottledBackupWaitsExitsZeroAndReportsTheWait() throws Exception {
        server.throttle("^UID FETCH .*BODY\\.PEEK\\[\\]", 0, 1, "NO [THROTTLED] Too many requests");
        Path report = tmp.resolve("r.json");
        CliRun run = CliRun.run(ENV, backup(tmp.resolve("b"), "--report", report.toString()));

        assertThat(run.status).as(run.toString()).isZero();
        String json = Files.readString(report);
        assertThat(json).contains("\"messagesCopied\":12", "\"throttleWaits\":1", "\"throttledSeconds\":1");
        assertThat(json).doesNotContain("pacedSeconds");
        assertThat(run.out).contains("The server throttled the run: 1 wait");
    }

    @Test
    void aMessageCapPacesTheBackupAndTheReportSaysSo() throws Exception {
        Path report = tmp.resolve("r.json");
        // 12 messages at 10 a second, with a burst of 10: the last two wait a fifth of a second in all
        CliRun run = CliRun.run(ENV, backup(tmp.resolve("b"), "--report", report.toString(),
                "--max-messages-per-second", "10", "--max-bytes-per-second", "64k"));

        assertThat(run.status).as(run.toString()).isZero();
        String json = Files.readString(report);
        assertThat(json).contains("\"messagesCopied\":12", "\"pacedSeconds\":1").doesNotContain("throttleWaits");
        assertThat(run.out).contains("The rate caps held the run back for");
    }

    @Test
    void malformedCapsExitTwoNamingTheOption() {
        CliRun bytes = CliRun.run(ENV, backup(tmp.resolve("b"), "--max-bytes-per-second", "12x"));
        assertThat(bytes.status).isEqualTo(2);
        assertThat(bytes.err).contains("--max-bytes-per-second", "12x");
        CliRun small = CliRun.run(ENV, backup(tmp.resolve("b"), "--max-bytes-per-second", "100"));
        assertThat(small.status).isEqualTo(2);
        assertThat(small.err).contains("--max-bytes-per-second must be at least 1024");
        CliRun messages = CliRun.run(ENV, backup(tmp.resolve("b"), "--max-messages-per-second", "0.0001"));
        assertThat(messages.status).isEqualTo(2);
        assertThat(messages.err).contains("--max-messages-per-second");
        CliRun host1 = CliRun.run(ENV, "migrate", "--host1", server.host(), "--port1", Integer.toString(server.port()),
                "--security1", "none", "--user1", "alice", "--password-env1", "PW", "--host2", server.host(),
                "--port2", Integer.toString(server.port()), "--security2", "none", "--user2", "alice",
                "--password-env2", "PW", "--max-bytes-per-second1", "1x");
        assertThat(host1.status).isEqualTo(2);
        assertThat(host1.err).contains("--max-bytes-per-second1");
        assertThat(server.commandNames()).as("nothing connected").isEmpty();
    }
}
