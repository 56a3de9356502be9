package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate}'s options as a user types them, GreenMail to GreenMail: the opt-in deletions
 * ({@code --delete2}, {@code --delete1}, {@code --delete2folders}) and their safety rules, and the
 * source filters ({@code --maxage}, {@code --minsize}, {@code --search}, ...).
 */
@Timeout(180)
class MigrateOptionsIT {

    private static final Map<String, String> ENV = Map.of("PW", "demo", "PW2", "other");
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path tmp;

    /** A message with this id and a body of {@code size} bytes, received {@code daysAgo} days ago. */
    static SampleMessage message(String folder, String id, int size, int daysAgo) {
        byte[] content = ("Message-ID: <" + id + "@example.org>\r\nSubject: " + id + "\r\nFrom: a@example.org\r\n\r\n"
                + "x".repeat(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return new SampleMessage(folder, content, Set.of(), NOW.minus(daysAgo, ChronoUnit.DAYS), null);
    }

    static void put(DemoServer server, String folder, String... ids) throws Exception {
        List<SampleMessage> all = new ArrayList<>();
        for (String id : ids) {
            all.add(message(folder, id, 10, 1));
        }
        server.load(all);
    }

    @Test
    void delete2AndDelete2foldersMakeHost2AMirrorAndSayWhatTheyDeleted() throws Exception {
        try (DemoServer host1 = DemoServer.start("demo", "demo"); DemoServer host2 = DemoServer.start("other", "other")) {
            put(host1, "INBOX", "a", "b", "c");
            put(host2, "INBOX", "a", "b", "b", "x");
            put(host2, "Old", "o");
            Path report = tmp.resolve("r.json");

            CliRun dry = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--delete2", "--delete2folders", "--dry"));
            assertThat(dry.status).as(dry.toString()).isZero();
            assertThat(dry.out).containsPattern("Messages deleted on host2 +: 2 \\(dry run: would be\\)");
            assertThat(host2.folder("INBOX").getMessageCount()).isEqualTo(4);
            assertThat(host2.folder("Old")).isNotNull();

            CliRun r = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--delete2", "--delete2folders",
                    "--report", report.toString()));

            assertThat(r.status).as(r.toString()).isZero();
            assertThat(host2.folder("INBOX").getMessageCount()).isEqualTo(3);
            assertThat(host2.folder("Old")).as("host1 has no folder Old").isNull();
            assertThat(host1.folder("INBOX").getMessageCount()).as("host1 is only read").isEqualTo(3);
            assertThat(r.out).containsPattern("Messages found in host2 not in host1 +: 1\\n")
                    .containsPattern("Messages found duplicate on host2 +: 1\\n")
                    .containsPattern("Messages deleted on host2 +: 2\\n")
                    .containsPattern("Folders deleted on host2 +: 1\\n")
                    .containsPattern("Folders synced +: 1/1 synced");
            String json = Files.readString(report);
            assertThat(MigrateIT.count(json, "deletedOnHost2")).isEqualTo(2);
            assertThat(MigrateIT.count(json, "foldersDeletedOnHost2")).isEqualTo(1);
        }
    }

    @Test
    void delete1DeletesFromHost1WhatHost2Holds() throws Exception {
        try (DemoServer host1 = DemoServer.start("demo", "demo"); DemoServer host2 = DemoServer.start("other", "other")) {
            put(host1, "INBOX", "a", "b");
            put(host1, "Sent", "s");

            CliRun r = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--delete1"));

            assertThat(r.status).as(r.toString()).isZero();
            assertThat(host2.folder("INBOX").getMessageCount()).isEqualTo(2);
            assertThat(host2.folder("Sent").getMessageCount()).isEqualTo(1);
            assertThat(host1.folder("INBOX").getMessageCount()).isZero();
            assertThat(host1.folder("Sent").getMessageCount()).isZero();
            assertThat(r.out).containsPattern("Messages deleted on host1 +: 3\\n");
        }
    }

    @Test
    void delete2WithASourceFilterIsRefusedBeforeAnythingIsDone() throws Exception {
        try (DemoServer host1 = DemoServer.start("demo", "demo"); DemoServer host2 = DemoServer.start("other", "other")) {
            put(host1, "INBOX", "a");
            put(host2, "INBOX", "x");

            CliRun r = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--delete2", "--maxage", "30"));

            assertThat(r.status).as(r.toString()).isEqualTo(2);
            assertThat(r.err).contains("--delete2").contains("every message the filter leaves out")
                    .doesNotContain("Exception");
            assertThat(host2.folder("INBOX").getMessageCount()).isEqualTo(1);
        }
    }

    @Test
    void ageAndSizeFiltersSelectOnHost1AndTheSizingCountsOnlyWhatIsSelected() throws Exception {
        try (DemoServer host1 = DemoServer.start("demo", "demo"); DemoServer host2 = DemoServer.start("other", "other")) {
            host1.load(List.of(message("INBOX", "old-small", 10, 100), message("INBOX", "old-big", 2000, 100),
                    message("INBOX", "new-small", 10, 2), message("INBOX", "new-big", 2000, 2)));

            CliRun r = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--maxage", "30", "--minsize", "1000"));

            assertThat(r.status).as(r.toString()).isZero();
            assertThat(host2.folder("INBOX").getMessageCount()).isEqualTo(1);
            assertThat(r.out).containsPattern("Host1 messages +: 1\\n");

            CliRun old = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--minage", "30", "--maxsize", "1000"));
            assertThat(old.status).as(old.toString()).isZero();
            assertThat(host2.folder("INBOX").getMessageCount()).isEqualTo(2);
            assertThat(host1.folder("INBOX").getMessageCount()).isEqualTo(4);
        }
    }

    @Test
    void searchSelectsOnHost1AndARefusedExpressionIsBadUsageNamingFolderAndExpression() throws Exception {
        try (DemoServer host1 = DemoServer.start("demo", "demo"); DemoServer host2 = DemoServer.start("other", "other")) {
            put(host1, "INBOX", "keep-1", "drop-2", "keep-3");

            CliRun r = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--search", "SUBJECT keep"));
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(host2.folder("INBOX").getMessageCount()).isEqualTo(2);

            CliRun bad = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--search", "NOSUCHKEY 1"));
            assertThat(bad.status).as(bad.toString()).isEqualTo(2);
            assertThat(bad.err).contains("folder \"INBOX\"").contains("NOSUCHKEY 1").doesNotContain("Exception");
            CliRun negative = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--maxage", "-3"));
            assertThat(negative.status).as(negative.toString()).isEqualTo(2);
            assertThat(negative.err).contains("--maxage");
        }
    }

    /** host1 with INBOX and the folders Old1 and Old2, which {@code s/^Old.$/Attic/} maps to one. */
    private static void putOld1AndOld2(DemoServer host1) throws Exception {
        put(host1, "INBOX", "i");
        put(host1, "Old1", "a");
        put(host1, "Old2", "b");
    }

    @Test
    void twoHost1FoldersRenamedToOneAreRefusedBeforeAnythingIsCreatedWithStatus2() throws Exception {
        try (DemoServer host1 = DemoServer.start("demo", "demo"); DemoServer host2 = DemoServer.start("other", "other")) {
            putOld1AndOld2(host1);
            Path report = tmp.resolve("collision.json");

            for (String dry : new String[] {"--dry", "--nofoldersizes"}) {
                CliRun r = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--regextrans2", "s/^Old.$/Attic/", dry,
                        "--report", report.toString()));

                assertThat(r.status).as(r.toString()).isEqualTo(2);
                assertThat(r.err).contains("\"Old1\" and \"Old2\" would both go into \"Attic\"")
                        .contains("nothing was copied nor created").contains("--regextrans2").contains("--exclude")
                        .doesNotContain("Exception").doesNotContain("\tat ");
                assertThat(Files.readString(report)).contains("\"exitStatus\":2").contains("would both go into");
            }
            assertThat(host2.folder("Attic")).isNull();
            assertThat(host2.folder("INBOX").getMessageCount()).as("not even INBOX copied").isZero();

            CliRun excluded = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--regextrans2", "s/^Old.$/Attic/",
                    "--exclude", "Old2"));
            assertThat(excluded.status).as(excluded.toString()).isZero();
            assertThat(host2.folder("Attic").getMessageCount()).isEqualTo(1);
        }
    }

    @Test
    void withAccountsARefusedSearchOrACollisionIsBadUsageForThatAccount() throws Exception {
        try (DemoServer host1 = DemoServer.start("demo", "demo"); DemoServer host2 = DemoServer.start("other", "other")) {
            putOld1AndOld2(host1);
            Path file = Files.writeString(tmp.resolve("accounts.txt"), "demo;demo;other;other\n");
            List<String> base = List.of("migrate", "--host1", DemoServer.HOST, "--port1", Integer.toString(host1.port()),
                    "--security1", "none", "--host2", DemoServer.HOST, "--port2", Integer.toString(host2.port()),
                    "--security2", "none", "--accounts", file.toString());

            List<String> search = new ArrayList<>(base);
            search.addAll(List.of("--search", "NOSUCHKEY 1"));
            CliRun refused = CliRun.run(search.toArray(String[]::new));
            assertThat(refused.status).as(refused.toString()).isEqualTo(2);
            assertThat(refused.err).contains("NOSUCHKEY 1").contains("(exit status 2)").doesNotContain("Exception");

            List<String> rename = new ArrayList<>(base);
            rename.addAll(List.of("--regextrans2", "s/^Old.$/Attic/"));
            CliRun collision = CliRun.run(rename.toArray(String[]::new));
            assertThat(collision.status).as(collision.toString()).isEqualTo(2);
            assertThat(collision.err).contains("would both go into \"Attic\"").contains("(exit status 2)");
            assertThat(host2.folder("INBOX").getMessageCount()).isZero();
        }
    }

    @Test
    void prefixesRenameRulesAndTheirMistakes() throws Exception {
        try (DemoServer host1 = DemoServer.start("demo", "demo"); DemoServer host2 = DemoServer.start("other", "other");
                DemoServer other = DemoServer.start("other", "other")) {
            put(host1, "INBOX", "i");
            put(host1, "Sent", "s");
            put(host1, "Old.Stuff", "o");

            CliRun r = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--prefix2", "Moved.", "--noautomap",
                    "--regextrans2", "s/^Moved\\.Old\\./Moved.Attic./"));

            assertThat(r.status).as(r.toString()).isZero();
            assertThat(host2.folder("INBOX").getMessageCount()).isEqualTo(1);
            assertThat(host2.folder("Moved.Sent").getMessageCount()).isEqualTo(1);
            assertThat(host2.folder("Moved.Attic.Stuff").getMessageCount()).isEqualTo(1);
            assertThat(host2.folder("Sent")).isNull();

            CliRun stripped = CliRun.run(ENV, MigrateIT.migrate(host1, other, "--prefix1", "Old."));
            assertThat(stripped.status).as(stripped.toString()).isZero();
            assertThat(other.folder("Stuff").getMessageCount()).isEqualTo(1);
            assertThat(other.folder("INBOX").getMessageCount()).isEqualTo(1);

            CliRun bad = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--regextrans2", "s/^Sent$/Gone/",
                    "--regextrans2", "s/(/x/"));
            assertThat(bad.status).as(bad.toString()).isEqualTo(2);
            assertThat(bad.err).contains("--regextrans2").contains("\"s/(/x/\"").doesNotContain("Exception");
            CliRun sep = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--sep1", "ab"));
            assertThat(sep.status).as(sep.toString()).isEqualTo(2);
            assertThat(sep.err).contains("--sep1");
            assertThat(host2.folder("Gone")).isNull();
        }
    }

    @Test
    void justconnectShowsBothHostsAndDoesNothingElseOrExits3NamingTheHost() throws Exception {
        try (DemoServer host1 = DemoServer.start("demo", "demo"); DemoServer host2 = DemoServer.start("other", "other")) {
            put(host1, "INBOX", "a");
            put(host1, "Sent", "s");

            CliRun r = CliRun.run(ENV, MigrateIT.migrate(host1, host2, "--justconnect"));

            assertThat(r.status).as(r.toString()).isZero();
            assertThat(r.out).contains("Host1 greeting", "Host1 capabilities before login", "Host1 capabilities after login",
                    "Host2 greeting", "IMAP4rev1").doesNotContain("++++ Statistics", "Host1 messages");
            assertThat(host2.folder("INBOX").getMessageCount()).isZero();
            assertThat(host2.folder("Sent")).isNull();

            CliRun refused = CliRun.run(Map.of("PW", "demo", "PW2", "wrong"), MigrateIT.migrate(host1, host2, "--justconnect"));
            assertThat(refused.status).as(refused.toString()).isEqualTo(3);
            assertThat(refused.err).contains("host2 (" + DemoServer.HOST + ")");
            String[] args = MigrateIT.migrate(host1, host2, "--justconnect");
            DemoServer stopped = DemoServer.start("other", "other");
            args[List.of(args).indexOf("--port2") + 1] = Integer.toString(stopped.port());
            stopped.close();
            CliRun gone = CliRun.run(ENV, args);
            assertThat(gone.status).as(gone.toString()).isEqualTo(3);
            assertThat(gone.err).contains("host2");
        }
    }

    @Test
    void theHelpListsEveryOptionAndTheSafetyRules() {
        CliRun r = CliRun.run("migrate", "--help");
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).contains("--maxage", "--minage", "--maxsize", "--minsize", "--search", "--prefix1", "--prefix2",
                "--sep1", "--sep2", "--regextrans2", "--noautomap", "--delete2", "--delete1", "--delete2folders",
                "--authuser1", "--authuser2", "--justconnect", "Deletions are opt-in", "never in a dry run",
                "UID EXPUNGE", "--delete2 with a filter");
    }
}
