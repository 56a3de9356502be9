package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate} as a user runs it, GreenMail to GreenMail: everything arrives, a rerun transfers
 * nothing, a dry run changes nothing, imapsync's spellings, and the usage and login errors naming
 * the host.
 */
@Timeout(180)
class MigrateIT {

    private static final Map<String, String> ENV = Map.of("PW", "demo", "PW2", "other");
    private static DemoServer source;
    private static int total;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        source = DemoServer.start("demo", "demo");
        total = source.load(SampleAccount.generate(5, 64 * 1024, 12)).values().stream().mapToInt(i -> i).sum();
    }

    @AfterAll
    static void stop() {
        source.close();
    }

    /** {@code migrate} from the source to {@code target}, then {@code more}. */
    static String[] migrate(DemoServer from, DemoServer target, String... more) {
        List<String> a = new ArrayList<>(List.of("migrate", "--host1", DemoServer.HOST, "--port1",
                Integer.toString(from.port()), "--security1", "none", "--user1", "demo", "--password-env1", "PW",
                "--host2", DemoServer.HOST, "--port2", Integer.toString(target.port()), "--security2", "none",
                "--user2", "other", "--password-env2", "PW2"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    static long count(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void everyMessageArrivesAndARerunTransfersNothing() throws Exception {
        try (DemoServer target = DemoServer.start("other", "other")) {
            Path report = tmp.resolve("r.json");
            CliRun r = CliRun.run(ENV, migrate(source, target, "--report", report.toString()));
            assertThat(r.status).as(r.toString()).isZero();
            String json = Files.readString(report);
            assertThat(json).contains("\"command\":\"migrate\"");
            assertThat(count(json, "messagesCopied")).isEqualTo(total);
            assertThat(target.folder("INBOX").getMessageCount()).isEqualTo(source.folder("INBOX").getMessageCount());

            CliRun again = CliRun.run(ENV, migrate(source, target, "--report", report.toString()));
            assertThat(again.status).as(again.toString()).isZero();
            json = Files.readString(report);
            assertThat(count(json, "messagesCopied")).isZero();
            assertThat(count(json, "messagesSkipped")).isEqualTo(total);
        }
    }

    @Test
    void theSizesComeBeforeAndTheStatisticsAndVerdictAfter() throws Exception {
        try (DemoServer target = DemoServer.start("other", "other")) {
            Path report = tmp.resolve("r.json");
            CliRun r = CliRun.run(ENV, migrate(source, target, "--report", report.toString()));
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(r.out).contains("Host1 messages", "Host2 messages", "Host1 biggest message")
                    .contains("Messages transferred", "Messages found in host1 not in host2 : 0",
                            "Memory consumption at the end", "Biggest message")
                    .contains("All " + total + " identified messages on host1 are on host2.");
            assertThat(r.out.indexOf("Host1 messages")).isLessThan(r.out.indexOf("Messages transferred"));
            assertThat(r.out).containsPattern("Host1 messages +: " + total + "\\R").containsPattern("Host2 messages +: 0\\R");
            String json = Files.readString(report);
            assertThat(json).contains("\"sizes\":{\"host1\":{\"folders\":").contains("\"missingOnHost2\":0");
            assertThat(count(json, "messagesTransferred")).isEqualTo(total);

            CliRun sizes = CliRun.run(ENV, migrate(source, target, "--justfoldersizes"));
            assertThat(sizes.status).as(sizes.toString()).isZero();
            assertThat(sizes.out).containsPattern("Host2 messages +: " + total + "\\R").doesNotContain("Statistics");
        }
    }

    @Test
    void justFoldersCreatesTheTreeAndCopiesNoMessage() throws Exception {
        try (DemoServer target = DemoServer.start("other", "other")) {
            CliRun r = CliRun.run(ENV, migrate(source, target, "--justfolders", "--nofoldersizes"));
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(r.out).doesNotContain("Host1 messages");
            assertThat(target.folder("Sent")).isNotNull();
            assertThat(target.folder("Sent").getMessageCount()).isZero();
            assertThat(target.folder("INBOX").getMessageCount()).isZero();
            assertThat(source.folder("Sent").getMessageCount()).isPositive();
        }
    }

    @Test
    void accountsRunEachLineAndOneFailingNeverStopsTheOthers() throws Exception {
        Path file = Files.writeString(tmp.resolve("accounts.txt"),
                "# imapsync users' file\n\ndemo;demo;other;wr0ngPassw0rd\ndemo;demo;other;other;\n");
        try (DemoServer target = DemoServer.start("other", "other")) {
            Path report = tmp.resolve("r.json");
            CliRun r = CliRun.run("migrate", "--host1", DemoServer.HOST, "--port1", Integer.toString(source.port()),
                    "--security1", "none", "--host2", DemoServer.HOST, "--port2", Integer.toString(target.port()),
                    "--security2", "none", "--accounts", file.toString(), "--report", report.toString());
            assertThat(r.status).as(r.toString()).isEqualTo(3);
            assertThat(target.folder("INBOX").getMessageCount()).isEqualTo(source.folder("INBOX").getMessageCount());
            assertThat(r.out).contains("++++ Accounts").contains("demo -> other (line 3): host2 (" + DemoServer.HOST + ")")
                    .contains("demo -> other (line 4): " + total + " transferred");
            assertThat(r.err).contains("line 3").doesNotContain("wr0ngPassw0rd");
            String json = Files.readString(report);
            assertThat(json).contains("\"accounts\":[{\"line\":3,").contains("\"exitStatus\":3")
                    .doesNotContain("wr0ngPassw0rd");
        }
    }

    @Test
    void aMalformedAccountsLineIsAUsageErrorNamingFileAndLine() throws Exception {
        Path file = Files.writeString(tmp.resolve("accounts.txt"), "demo;demo;other;other\ndemo;s3cretpw;other\n");
        try (DemoServer target = DemoServer.start("other", "other")) {
            CliRun r = CliRun.run("migrate", "--host1", DemoServer.HOST, "--port1", Integer.toString(source.port()),
                    "--security1", "none", "--host2", DemoServer.HOST, "--port2", Integer.toString(target.port()),
                    "--security2", "none", "--accounts", file.toString());
            assertThat(r.status).as(r.toString()).isEqualTo(2);
            assertThat(r.err).contains(file + " line 2").doesNotContain("s3cretpw");
            assertThat(target.folder("INBOX").getMessageCount()).isZero();
        }
    }

    @Test
    void aDryRunChangesNothingOnHost2() throws Exception {
        try (DemoServer target = DemoServer.start("other", "other")) {
            Path report = tmp.resolve("r.json");
            CliRun r = CliRun.run(ENV, migrate(source, target, "--dry", "--report", report.toString()));
            assertThat(r.status).as(r.toString()).isZero();
            String json = Files.readString(report);
            assertThat(json).contains("\"dryRun\":true");
            assertThat(count(json, "messagesCopied")).isEqualTo(total);
            assertThat(target.folder("INBOX").getMessageCount()).isZero();
            assertThat(target.folder("Sent")).as("no folder created on host2").isNull();
        }
    }

    @Test
    void imapsyncSpellingsWork() throws Exception {
        Path pw1 = Files.writeString(tmp.resolve("pw1"), "demo\n");
        try (DemoServer target = DemoServer.start("other", "other")) {
            List<String> a = new ArrayList<>(List.of("migrate", "--host1", DemoServer.HOST, "--port1",
                    Integer.toString(source.port()), "--security1", "none", "--user1", "demo", "--passfile1",
                    pw1.toString(), "--host2", DemoServer.HOST, "--port2", Integer.toString(target.port()),
                    "--security2", "none", "--user2", "other", "--password2", "other", "--folder", "INBOX"));
            CliRun r = CliRun.run(a.toArray(String[]::new));
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(r.err).contains("WARNING: a password given with --password2 shows in the process list");
            assertThat(r.err + r.out).doesNotContain("other\n").doesNotContain("--password2 other");
            assertThat(target.folder("INBOX").getMessageCount()).isEqualTo(source.folder("INBOX").getMessageCount());
            assertThat(target.folder("Sent")).isNull();
        }
    }

    @Test
    void includeSelectsFoldersByExpression() throws Exception {
        try (DemoServer target = DemoServer.start("other", "other")) {
            CliRun r = CliRun.run(ENV, migrate(source, target, "--include", "Sen.*", "--include", "INBOX"));
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(target.folder("INBOX").getMessageCount()).isEqualTo(source.folder("INBOX").getMessageCount());
            assertThat(target.folder("Sent").getMessageCount()).isEqualTo(source.folder("Sent").getMessageCount());
            assertThat(r.out).doesNotContain("Archive");
        }
    }

    @Test
    void aRefusedLoginExitsWith3NamingTheHost() {
        try (DemoServer target = DemoServer.start("other", "other")) {
            CliRun r = CliRun.run(Map.of("PW", "demo", "PW2", "wrong"), migrate(source, target));
            assertThat(r.status).as(r.toString()).isEqualTo(3);
            assertThat(r.err).contains("host2 (" + DemoServer.HOST + ")");
            CliRun one = CliRun.run(Map.of("PW", "wrong", "PW2", "other"), migrate(source, target));
            assertThat(one.status).as(one.toString()).isEqualTo(3);
            assertThat(one.err).contains("host1 (" + DemoServer.HOST + ")");
        }
    }

    @Test
    void usageErrorsNameTheHostsOption() {
        try (DemoServer target = DemoServer.start("other", "other")) {
            CliRun r = CliRun.run(ENV, "migrate", "--host1", DemoServer.HOST, "--user1", "demo", "--password-env1", "PW",
                    "--user2", "other", "--password-env2", "PW2");
            assertThat(r.status).as(r.toString()).isEqualTo(2);
            assertThat(r.err).contains("host2: no server given: use --host2 HOST");
            CliRun both = CliRun.run(ENV, migrate(source, target, "--ssl1", "--tls1"));
            assertThat(both.status).isEqualTo(2);
            assertThat(both.err).contains("--ssl1").contains("--tls1");
            CliRun bad = CliRun.run(ENV, migrate(source, target, "--include", "("));
            assertThat(bad.status).isEqualTo(2);
        }
    }
}
