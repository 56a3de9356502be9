package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.Fault;
import io.github.imapbackup.testing.imap.FaultProxy;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Network faults through the command line, against Dovecot behind a {@link FaultProxy}: Ctrl-C
 * (SIGINT) while the program waits on a silent server ends it within a few seconds (its read
 * timeout is a minute), says it was interrupted, writes its report (exit 1) and leaves nothing a
 * rerun cannot complete; a fault the run gets over exits 0; a folder that fails under a fault exits
 * 1 with a report entry naming it and what the server's answer means.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NetFaultCliIT {

    static final String PASSWORD = "Net-s3cret";
    static final String FOLDER = "Net";
    static final int MESSAGES = 10;

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user("alice", PASSWORD).user("bob", PASSWORD)
            .user("carol", PASSWORD).build();

    @TempDir
    static Path shared;
    static Path password;
    /** A backup of alice's folder, for the restores. */
    static Path backup;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        List<ImapTestClient.Message> batch = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            StringBuilder m = new StringBuilder("Message-ID: <cli" + i + "@net>\r\nFrom: a@example.org\r\nSubject: "
                    + i + "\r\n\r\n");
            while (m.length() < 20_000 + 3_000 * i) {
                m.append("line ").append(m.length()).append(" of message ").append(i).append("\r\n");
            }
            batch.add(new ImapTestClient.Message(m.toString().getBytes(StandardCharsets.US_ASCII), Set.of(),
                    Instant.parse("2025-01-01T00:00:00Z")));
        }
        try (ImapTestClient c = DOVECOT.login("alice")) {
            c.createFolder(FOLDER);
            c.appendAll(FOLDER, batch);
        }
        password = Files.writeString(shared.resolve("pw"), PASSWORD + "\n");
        Files.setPosixFilePermissions(password, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        backup = shared.resolve("backup");
        CliRun first = CliRun.run(backup(DOVECOT.port(), backup));
        assertThat(first.status).as(first.toString()).isZero();
    }

    static String[] backup(int port, Path dir, String... more) {
        List<String> a = new ArrayList<>(List.of("backup", "--host", DOVECOT.host(), "--port", Integer.toString(port),
                "--security", "none", "--user", "alice", "--password-file", password.toString(), "--dir",
                dir.toString(), "--folder", FOLDER));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static String[] restore(int port, String prefix, String... more) {
        List<String> a = new ArrayList<>(List.of("restore", "--host", DOVECOT.host(), "--port", Integer.toString(port),
                "--security", "none", "--user", "bob", "--password-file", password.toString(), "--dir",
                backup.toString(), "--prefix", prefix));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static String[] migrate(int port1, String user2, String... more) {
        List<String> a = new ArrayList<>(List.of("migrate", "--host1", DOVECOT.host(), "--port1",
                Integer.toString(port1), "--security1", "none", "--user1", "alice", "--password-file1",
                password.toString(), "--host2", DOVECOT.host(), "--port2", Integer.toString(DOVECOT.port()),
                "--security2", "none", "--user2", user2, "--password-file2", password.toString(), "--folder", FOLDER));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** How many messages a folder of a user holds. */
    static long count(String user, String folder) throws Exception {
        try (ImapTestClient c = DOVECOT.login(user)) {
            for (ImapTestClient.Response r : c.command("STATUS " + ImapTestClient.quote(folder) + " (MESSAGES)")) {
                Matcher m = Pattern.compile("MESSAGES (\\d+)").matcher(r.text());
                if (r.text().startsWith("* STATUS") && m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
        }
        return -1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"backup", "restore", "migrate"})
    void ctrlCWhileTheServerIsSilentEndsTheRunAtOnce(String command) throws Exception {
        Path dir = tmp.resolve("dir");
        Path report = tmp.resolve("report.json");
        try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
            proxy.add(command.equals("restore") ? Fault.commandLiteral("APPEND", 3, 1000).stall()
                    : Fault.literal("FETCH", 3, 1000).stall());
            String timeout = command.equals("migrate") ? "--timeout1" : "--timeout";
            String[] more = {timeout, "60", "--report", report.toString()};
            String[] args = switch (command) {
                case "backup" -> backup(proxy.port(), dir, more);
                case "restore" -> restore(proxy.port(), "Interrupted", more);
                default -> migrate(proxy.port(), "carol", more);
            };
            ChildProgram child = ChildProgram.start(tmp, args);
            long[] stalledAt = {0};
            child.interruptWithin("INT", () -> {
                if (proxy.injected() > 0 && stalledAt[0]++ > 60) {
                    return true; // stalled for some 300 ms: the program is blocked in a read
                }
                sleepQuietly();
                return false;
            }, Duration.ofSeconds(5));
            // the JVM ends as a process ended by SIGINT does (130); the report says 1, as for any interrupted run
            assertThat(child.process().exitValue()).as(child.toString()).isNotZero();
            assertThat(child.err()).as(child.toString()).contains("imapbackup " + command + ": interrupted")
                    .doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(report).as(child.toString()).exists();
            assertThat(Files.readString(report)).contains("\"exitStatus\":1").contains("interrupted");
        }
        CliRun again = CliRun.run(switch (command) {
            case "backup" -> backup(DOVECOT.port(), dir);
            case "restore" -> restore(DOVECOT.port(), "Interrupted");
            default -> migrate(DOVECOT.port(), "carol");
        });
        assertThat(again.status).as(again.toString()).isZero();
        switch (command) {
            case "backup" -> {
                CliRun verify = CliRun.run("verify", "--dir", dir.toString());
                assertThat(verify.status).as(verify.toString()).isZero();
                assertThat(verify.out).as(verify.toString()).contains(Integer.toString(MESSAGES));
            }
            case "restore" -> assertThat(count("bob", "Interrupted/" + FOLDER)).isEqualTo(MESSAGES);
            default -> assertThat(count("carol", FOLDER)).isEqualTo(MESSAGES);
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aFaultTheRunGetsOverExitsZero() throws Exception {
        Path dir = tmp.resolve("dir");
        try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
            proxy.add(Fault.literal("FETCH", 4, 2500).cut());
            proxy.add(Fault.command("EXAMINE", 1).refuse("NO", "UNAVAILABLE"));
            CliRun run = CliRun.run(backup(proxy.port(), dir, "--timeout", "5"));
            assertThat(run.status).as(run + "\n" + proxy).isZero();
            assertThat(proxy.injected()).isEqualTo(2);
        }
        CliRun verify = CliRun.run("verify", "--dir", dir.toString());
        assertThat(verify.status).as(verify.toString()).isZero();
    }

    @Test
    void aFolderThatFailsUnderAFaultExitsOneAndTheReportNamesItAndWhatTheServerMeant() throws Exception {
        Path dir = tmp.resolve("dir");
        Path report = tmp.resolve("report.json");
        try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
            proxy.add(Fault.command("UID FETCH", 2).refuse("NO", "SERVERBUG").always());
            CliRun run = CliRun.run(backup(proxy.port(), dir, "--report", report.toString()));
            assertThat(run.status).as(run.toString()).isEqualTo(1);
            assertThat(run.err + run.out).as(run.toString()).doesNotContain("\tat ");
        }
        assertThat(Files.readString(report)).contains("\"exitStatus\":1").contains("\"folder\":\"" + FOLDER + "\"")
                .contains("[SERVERBUG]").contains("internal error");
        CliRun again = CliRun.run(backup(DOVECOT.port(), dir));
        assertThat(again.status).as(again.toString()).isZero();
        CliRun verify = CliRun.run("verify", "--dir", dir.toString());
        assertThat(verify.status).as(verify.toString()).isZero();
    }

    @Test
    void aRestoreWhoseTargetConnectionIsCutExitsOneAndARerunCompletesIt() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
            proxy.add(Fault.commandLiteral("APPEND", 5, 3000).reset());
            CliRun run = CliRun.run(restore(proxy.port(), "Cut"));
            assertThat(run.status).as(run.toString()).isEqualTo(1);
            assertThat(run.out + run.err).as(run.toString()).contains(FOLDER).contains("run again");
        }
        CliRun again = CliRun.run(restore(DOVECOT.port(), "Cut"));
        assertThat(again.status).as(again.toString()).isZero();
        assertThat(count("bob", "Cut/" + FOLDER)).isEqualTo(MESSAGES);
    }
}
