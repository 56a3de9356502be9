package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.BackupLock;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.StoredMessage;
import io.github.imapbackup.testing.http.PingServer;
import io.github.imapbackup.testing.imap.Dovecot;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup --config} end to end: accounts on two Dovecot instances and a GreenMail one, each
 * behind a proxy of the test's that counts the connections open at once, one account with a wrong
 * password and one whose server is unreachable. The others complete with every message exactly
 * once; the report and the exit status say exactly what failed; the connection limit holds at the
 * servers; the success URL of the test's own HTTP server is called once after a clean run and never
 * after a failed one; a directory in use is refused, a stale lock taken over; two shards together
 * back up every account exactly once.
 */
@Timeout(300)
class ConfigBackupIT {

    private static final String PW = "S3cret-pw";

    @RegisterExtension
    static final Dovecot ONE = Dovecot.builder().user("alice", PW).user("bob", PW).user("frank", PW).build();

    @RegisterExtension
    static final Dovecot TWO = Dovecot.builder().separator('.').user("carol", PW).user("dave", PW).build();

    private static GreenMail greenMail;
    private static final CountingProxy.Counter ALL = new CountingProxy.Counter();
    private static CountingProxy one;
    private static CountingProxy two;
    private static CountingProxy three;
    private static int closedPort;
    /** Messages on the server per account name. */
    private static final Map<String, Integer> HELD = new LinkedHashMap<>();

    private static PingServer http;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        greenMail = new GreenMail(ServerSetupTest.IMAP.dynamicPort());
        greenMail.start();
        GreenMailUser erin = greenMail.setUser("erin@example.org", "erin", PW);
        for (int i = 0; i < 5; i++) {
            erin.deliver(new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(
                    MboxFiles.message("erin" + i + "@example.org", "m" + i, "body " + i + "\r\n"))));
        }
        HELD.put("erin@example.org", 5);
        fill(ONE, "alice", 6);
        fill(ONE, "bob", 4);
        fill(ONE, "frank", 2);
        fill(TWO, "carol", 5);
        fill(TWO, "dave", 3);
        one = new CountingProxy("127.0.0.1", ONE.port(), ALL);
        two = new CountingProxy("127.0.0.2", TWO.port(), ALL);
        three = new CountingProxy("127.0.0.3", greenMail.getImap().getPort(), ALL);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        http = PingServer.start();
    }

    @AfterAll
    static void stop() throws IOException {
        http.close();
        one.close();
        two.close();
        three.close();
        greenMail.stop();
    }

    @BeforeEach
    void clear() {
        http.clear();
    }

    /** INBOX and Archive, the same message twice in Archive (a copy is kept as a copy). */
    private static void fill(Dovecot server, String user, int messages) throws IOException {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < messages; i++) {
            server.append(user, i % 2 == 0 ? "INBOX" : "Archive", MboxFiles.message(user + i + "@example.org",
                    "m" + i, "body " + i + "\r\n"), Set.of(), t.plusSeconds(i));
        }
        server.append(user, "Archive", MboxFiles.message(user + "0@example.org", "m0", "body 0\r\n"), Set.of(), t);
        HELD.put(user + "@example.org", messages + 1);
    }

    private static String account(String user, String password, String host, int port) {
        return "    {\"email\": \"" + user + "@example.org\", \"username\": \"" + user + "\", \"password\": \""
                + password + "\", \"host\": \"" + host + "\", \"port\": " + port + ", \"ssl\": false}";
    }

    /** The original script's config.json (its keys, plus port), 4 connections in all, 2 per account. */
    private Path originalConfig(Path dest, List<String> accounts) throws IOException {
        return Files.writeString(tmp.resolve("config.json"), "{\n"
                + "    \"destination\": \"" + dest + "\",\n"
                + "    \"total_processes\": 4,\n"
                + "    \"processes_per_account\": 2,\n"
                + "    \"timeout\": 30,\n"
                + "    \"success_url\": \"" + http.url("/ping/c0ffee-uuid") + "\",\n"
                + "    \"ignore_mailboxes\": [\"Calendar\", \"Contacts\"],\n"
                + "    \"accounts\": [\n" + String.join(",\n", accounts) + "\n    ]\n}\n", StandardCharsets.UTF_8);
    }

    private static List<String> fleet() {
        List<String> a = new ArrayList<>();
        a.add(account("alice", PW, "127.0.0.1", one.port()));
        a.add(account("bob", PW, "127.0.0.1", one.port()));
        a.add(account("frank", "not-franks-password", "127.0.0.1", one.port()));
        a.add(account("carol", PW, "127.0.0.2", two.port()));
        a.add(account("dave", PW, "127.0.0.2", two.port()));
        a.add(account("erin", PW, "127.0.0.3", three.port()));
        a.add(account("gina", PW, "127.0.0.1", closedPort));
        return a;
    }

    /** The messages of a backup directory by Message-ID, each once per copy, after verifying it. */
    private static List<String> stored(Path dir) throws IOException {
        try (BackupArchive archive = MboxStore.builder(dir).build().read()) {
            assertThat(archive.verify().ok()).as("verify " + dir).isTrue();
            try (Stream<StoredMessage> all = archive.messages()) {
                return all.map(m -> m.message().identity().toString()).toList();
            }
        }
    }

    @Test
    void theOthersCompleteWhileAWrongPasswordAndAnUnreachableServerFailAlone() throws Exception {
        Path dest = tmp.resolve("mail");
        Path report = tmp.resolve("run.json");
        int before = ALL.total();
        CliRun r = CliRun.run("backup", "--config", originalConfig(dest, fleet()).toString(), "--report",
                report.toString());

        assertThat(r.status).as(r.toString()).isEqualTo(3);
        for (String ok : List.of("alice", "bob", "carol", "dave", "erin")) {
            String name = ok + "@example.org";
            assertThat(r.out).as(r.toString()).containsPattern("(?m)^" + name + ": ok, " + (ok.equals("erin") ? "1 folder"
                    : "2 folders") + ", " + HELD.get(name)
                    + " new messages, .* s$");
            List<String> ids = stored(dest.resolve(name));
            assertThat(ids).as(name + ": every message exactly once, the copy kept").hasSize(HELD.get(name));
            assertThat(new HashSet<>(ids)).hasSize(HELD.get(name) - (ok.equals("erin") ? 0 : 1));
        }
        assertThat(r.out).containsPattern("(?m)^frank@example.org: FAILED \\(authentication refused: 127.0.0.1:")
                .containsPattern("(?m)^gina@example.org: FAILED \\(cannot connect: 127.0.0.1:")
                .contains("Total: 7 accounts, 5 ok, 2 failed; 27 new messages")
                .doesNotContain("not-franks-password");
        assertThat(r.err).contains("account frank@example.org: authentication refused")
                .contains("account gina@example.org: cannot connect").doesNotContain("not-franks-password");
        assertThat(dest.resolve("frank@example.org").resolve("INBOX.mbox")).doesNotExist();
        assertThat(http.requests()).as("no success URL after a failed run").isEmpty();

        String json = Files.readString(report);
        assertThat(json).contains("\"exitStatus\":3").contains("\"messagesCopied\":27")
                .contains("\"name\":\"frank@example.org\",\"directory\":\"" + dest.resolve("frank@example.org") + "\","
                        + "\"exitStatus\":3,\"failure\":\"authentication refused: 127.0.0.1:")
                .contains("\"name\":\"alice@example.org: INBOX\",\"file\":\"alice@example.org/INBOX.mbox\"")
                .doesNotContain("not-franks-password");
        assertThat(ALL.total() - before).as("connections were made").isPositive();
        System.out.println("peaks: all " + ALL.peak() + ", hosts " + one.peak() + " " + two.peak() + " " + three.peak());
        assertThat(ALL.peak()).as("never more than total_processes connections at the servers").isLessThanOrEqualTo(4);
        assertThat(List.of(one.peak(), two.peak(), three.peak())).as("2 per account, 4 per host when two run")
                .allSatisfy(p -> assertThat(p).isLessThanOrEqualTo(4));

        CliRun clean = CliRun.run("backup", "--config", originalConfig(dest, fleet()).toString(),
                "--account", "alice@example.org", "--account", "erin@example.org", "--quiet");
        assertThat(clean.status).as(clean.toString()).isZero();
        assertThat(clean.out).as("--quiet: nothing when every account succeeded").isEmpty();
        assertThat(http.requests()).as("one GET of the success URL after a clean run").containsExactly("GET /ping/c0ffee-uuid");
        assertThat(stored(dest.resolve("alice@example.org"))).as("nothing stored twice").hasSize(HELD.get("alice@example.org"));
    }

    @Test
    void aDirectoryInUseIsRefusedAndAStaleLockIsTakenOver() throws Exception {
        Path dest = tmp.resolve("mail");
        Path config = originalConfig(dest, List.of(account("alice", PW, "127.0.0.1", one.port()),
                account("carol", PW, "127.0.0.2", two.port())));
        Files.createDirectories(dest.resolve("carol@example.org"));
        Files.writeString(dest.resolve("carol@example.org").resolve(BackupLock.FILE_NAME),
                "pid=999999999\nhost=elsewhere\nstarted=2026-12-01T03:00:00Z\ncommand=backup --config old.json\n");
        CliRun r;
        try (BackupLock held = BackupLock.acquire(dest.resolve("alice@example.org"), "backup from another cron job")) {
            assertThat(held.tookOverFrom()).isEmpty();
            r = CliRun.run("backup", "--config", config.toString(), "--quiet");
        }
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.out).contains("alice@example.org: FAILED (the backup directory " + dest.resolve("alice@example.org")
                + " is in use by pid " + ProcessHandle.current().pid()).doesNotContain("carol@example.org");
        // the stale lock's holder is named in a WARN log line (BackupLockTest); here: taken over and released
        assertThat(dest.resolve("carol@example.org").resolve(BackupLock.FILE_NAME)).isEmptyFile();
        assertThat(stored(dest.resolve("carol@example.org"))).hasSize(HELD.get("carol@example.org"));
        assertThat(http.requests()).isEmpty();
    }

    @Test
    void twoShardsTogetherBackUpEveryAccountExactlyOnce() throws Exception {
        Path dest = tmp.resolve("mail");
        List<String> ok = List.of(account("alice", PW, "127.0.0.1", one.port()), account("bob", PW, "127.0.0.1", one.port()),
                account("carol", PW, "127.0.0.2", two.port()), account("dave", PW, "127.0.0.2", two.port()),
                account("erin", PW, "127.0.0.3", three.port()));
        Path config = originalConfig(dest, ok);
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String shard : List.of("0/2", "1/2")) {
            Path report = tmp.resolve("shard" + shard.charAt(0) + ".json");
            CliRun r = CliRun.run("backup", "--config", config.toString(), "--shard", shard, "--report", report.toString());
            assertThat(r.status).as(r.toString()).isZero();
            for (String line : r.out.lines().filter(l -> l.contains("@example.org: ok")).toList()) {
                seen.merge(line.substring(0, line.indexOf(':')), 1, Integer::sum);
            }
        }
        assertThat(seen).as("each account in exactly one shard").containsOnlyKeys("alice@example.org",
                "bob@example.org", "carol@example.org", "dave@example.org", "erin@example.org")
                .allSatisfy((k, v) -> assertThat(v).isEqualTo(1));
        try (Stream<Path> dirs = Files.list(dest)) {
            assertThat(dirs.map(d -> d.getFileName().toString()).collect(Collectors.toSet())).hasSize(5);
        }
        assertThat(http.requests()).as("each clean shard pings").hasSize(2);
    }

    /**
     * The JSON report of a run with one account done and one refused, byte for byte (times, the
     * temporary directory and the ports replaced): the whole run's object with {@code accounts}.
     */
    @Test
    void theJsonReportIsTheGoldenFile() throws Exception {
        Path dest = tmp.resolve("mail");
        Path report = tmp.resolve("golden.json");
        Path config = originalConfig(dest, List.of(account("bob", PW, "127.0.0.1", one.port()),
                account("frank", "wrong", "127.0.0.1", one.port())));
        CliRun r = CliRun.run("backup", "--config", config.toString(), "--report", report.toString(), "--quiet");
        assertThat(r.status).as(r.toString()).isEqualTo(3);
        String json = Files.readString(report, StandardCharsets.UTF_8)
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "TIME")
                .replace(dest.toString(), "DEST")
                .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT");
        String golden;
        try (var in = ConfigBackupIT.class.getResourceAsStream("/report/config-run.json")) {
            golden = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!json.equals(golden)) {
            Files.writeString(Path.of("target", "config-run.json"), json, StandardCharsets.UTF_8);
        }
        assertThat(json).as("target/config-run.json has what was written").isEqualTo(golden);
    }
}
