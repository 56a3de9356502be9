package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FoldersIT {

    private static DemoServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        server = DemoServer.start("demo", "demo");
        server.load(SampleAccount.generate(7, 64 * 1024));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private String[] args(String command, String... more) {
        String[] base = {command, "--host", DemoServer.HOST, "--port", Integer.toString(server.port()),
            "--security", "none", "--user", "demo", "--password-env", "PW"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void listsFoldersWithCountsAndSizes() throws IOException {
        Path report = tmp.resolve("folders.json");
        CliRun r = CliRun.run(Map.of("PW", "demo"), args("folders", "--report", report.toString()));
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).contains("Entwürfe").contains("Archive.2019.Q3").contains("Bills & Receipts");
        assertThat(r.out).containsPattern("INBOX\\s+\\.\\s+1\\d\\d\\s+\\d");
        assertThat(r.out).containsPattern("Archive\\s+\\.\\s+31\\s+\\d+(\\.\\d)? KB");
        assertThat(Files.readString(report)).contains("\"command\":\"folders\"").contains("\"name\":\"Entwürfe\"");
    }

    @Test
    void wrongPasswordExitsWith3() {
        CliRun r = CliRun.run(Map.of("PW", "wrong"), args("folders"));
        assertThat(r.status).as(r.toString()).isEqualTo(3);
        assertThat(r.err).contains("authentication").doesNotContain("wrong");
    }

    @Test
    void closedPortExitsWith3() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun r = CliRun.run(Map.of("PW", "demo"), "folders", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--security", "none", "--user", "demo", "--password-env", "PW", "--timeout", "5");
        assertThat(r.status).as(r.toString()).isEqualTo(3);
        assertThat(r.err).contains("cannot connect");
    }

    // a --folder that names no folder fails and names the similar ones, with --quiet too; INBOX in any case

    @Test
    void foldersWithAFolderThatIsNotThereFails() {
        CliRun r = CliRun.run(Map.of("PW", "demo"), args("folders", "--folder", "Sent", "--folder", "Snet"));
        assertThat(r.status).as(r.toString()).isEqualTo(1);
        assertThat(r.err).contains("\"Snet\" not found on the server").contains("similar: \"Sent\"");
        assertThat(r.out).contains("Sent");
    }

    @Test
    void aQuietBackupOfAFolderThatIsNotThereSaysSoOnStderr() {
        for (String quiet : List.of("--quiet", "--nospinner")) {
            CliRun r = CliRun.run(Map.of("PW", "demo"), args("backup", "--dir", tmp.resolve("b").toString(), quiet,
                    "--folder", "NoSuch"));
            assertThat(r.status).as(r.toString()).isEqualTo(1);
            assertThat(r.out).isEmpty();
            assertThat(r.err).as(r.toString()).contains("\"NoSuch\" not found on the server");
        }
    }

    @Test
    void inboxInAnyCaseIsTheInbox() throws IOException {
        CliRun folders = CliRun.run(Map.of("PW", "demo"), args("folders", "--folder", "inbox"));
        assertThat(folders.status).as(folders.toString()).isZero();
        assertThat(folders.out).contains("INBOX").doesNotContain("Sent");
        Path dir = tmp.resolve("b");
        CliRun backup = CliRun.run(Map.of("PW", "demo"), args("backup", "--dir", dir.toString(), "--folder", "Inbox"));
        assertThat(backup.status).as(backup.toString()).isZero();
        assertThat(dir.resolve("INBOX.mbox")).exists();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("Inbox"));
        }
        CliRun excluded = CliRun.run(Map.of("PW", "demo"), args("folders", "--exclude", "Inbox"));
        assertThat(excluded.out).doesNotContain("INBOX");
    }
}
