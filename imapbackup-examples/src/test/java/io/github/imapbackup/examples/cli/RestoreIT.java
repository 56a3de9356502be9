package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.StoredMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restore} as a user runs it, against GreenMail (the fast cases; the Dovecot round trips
 * are in imapbackup-imap): a backup restored into an empty account and backed up again holds the
 * same messages; a second restore adds nothing; a prefix, a dry run and the usage errors.
 */
@Timeout(180)
class RestoreIT {

    private static final Map<String, String> ENV = Map.of("PW", "demo");
    private static DemoServer source;
    private static int total;
    private static Path backup;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start(@TempDir Path dir) {
        source = DemoServer.start("demo", "demo");
        try {
            total = source.load(SampleAccount.generate(5, 64 * 1024, 12)).values().stream().mapToInt(i -> i).sum();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        backup = dir.resolve("backup");
        CliRun r = CliRun.run(ENV, server("backup", source, "--dir", backup.toString()));
        assertThat(r.status).as(r.toString()).isZero();
    }

    @AfterAll
    static void stop() {
        source.close();
    }

    private static String[] server(String command, DemoServer s, String... more) {
        List<String> a = new ArrayList<>(List.of(command, "--host", DemoServer.HOST, "--port",
                Integer.toString(s.port()), "--security", "none", "--user", "demo", "--password-env", "PW"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static long count(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Folder name → the sorted SHA-256 of its messages, copies counted. */
    private static Map<String, List<String>> contents(Path dir) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        try (BackupArchive a = MboxStore.builder(dir).build().read()) {
            a.folders().forEach(f -> out.put(f.name(), new ArrayList<>()));
            a.messages().forEach(m -> out.get(m.folder().name()).add(m.message().sha256()));
        }
        out.values().forEach(l -> l.sort(null));
        return out;
    }

    @Nested
    class RoundTrips {

        @Test
        void aRestoredAccountBacksUpToTheSameMessagesAndASecondRestoreAddsNothing() throws Exception {
            try (DemoServer target = DemoServer.start("demo", "demo")) {
                Path report = tmp.resolve("r.json");
                CliRun r = CliRun.run(ENV, server("restore", target, "--dir", backup.toString(),
                        "--report", report.toString()));
                assertThat(r.status).as(r.toString()).isZero();
                String json = Files.readString(report);
                assertThat(json).contains("\"command\":\"restore\"");
                assertThat(count(json, "messagesCopied")).isEqualTo(total);
                assertThat(r.out).contains("In backup");

                Path again = tmp.resolve("again");
                CliRun b = CliRun.run(ENV, server("backup", target, "--dir", again.toString()));
                assertThat(b.status).as(b.toString()).isZero();
                Map<String, List<String>> want = contents(backup);
                Map<String, List<String>> have = contents(again);
                want.forEach((folder, messages) -> {
                    if (!messages.isEmpty()) {
                        assertThat(have.get(folder)).as(folder).isEqualTo(messages);
                    }
                });

                CliRun second = CliRun.run(ENV, server("restore", target, "--dir", backup.toString(),
                        "--report", report.toString()));
                assertThat(second.status).as(second.toString()).isZero();
                json = Files.readString(report);
                assertThat(count(json, "messagesCopied")).isZero();
                assertThat(count(json, "messagesSkipped")).isEqualTo(total);
            }
        }

        @Test
        void underAPrefixEveryFolderGoesBelowIt() throws Exception {
            try (DemoServer target = DemoServer.start("demo", "demo")) {
                CliRun r = CliRun.run(ENV, server("restore", target, "--dir", backup.toString(), "--prefix",
                        "Restored", "--folder", "INBOX", "--folder", "Sent"));
                assertThat(r.status).as(r.toString()).isZero();
                Path again = tmp.resolve("again");
                CliRun b = CliRun.run(ENV, server("backup", target, "--dir", again.toString()));
                assertThat(b.status).as(b.toString()).isZero();
                Map<String, List<String>> have = contents(again);
                Map<String, List<String>> want = contents(backup);
                assertThat(have.get("Restored.INBOX")).isEqualTo(want.get("INBOX"));
                assertThat(have.get("Restored.Sent")).isEqualTo(want.get("Sent"));
                assertThat(have.get("INBOX")).isNullOrEmpty();
            }
        }

        @Test
        void aDryRunWritesNothing() throws Exception {
            try (DemoServer target = DemoServer.start("demo", "demo")) {
                Path report = tmp.resolve("r.json");
                CliRun r = CliRun.run(ENV, server("restore", target, "--dir", backup.toString(), "--dry-run",
                        "--report", report.toString()));
                assertThat(r.status).as(r.toString()).isZero();
                assertThat(count(Files.readString(report), "messagesCopied")).isEqualTo(total);
                Path again = tmp.resolve("again");
                CliRun b = CliRun.run(ENV, server("backup", target, "--dir", again.toString()));
                assertThat(b.status).as(b.toString()).isZero();
                assertThat(contents(again).values()).allMatch(List::isEmpty);
            }
        }
    }

    @Nested
    class Usage {

        @Test
        void badOptionsExitWith2NamingTheOption() {
            for (String[] bad : List.of(new String[] {"--as-of", "last tuesday"},
                    new String[] {"--since", "2026-02-01", "--before", "2026-01-01"},
                    new String[] {"--folder", "No such folder"},
                    new String[] {"--prefix", " "})) {
                List<String> a = new ArrayList<>(List.of(server("restore", source, "--dir", backup.toString())));
                a.addAll(List.of(bad));
                CliRun r = CliRun.run(ENV, a.toArray(String[]::new));
                assertThat(r.status).as(r.toString()).isEqualTo(2);
                assertThat(r.err).contains(bad[0].equals("--since") ? "--since" : bad[0].startsWith("--folder")
                        ? "No such folder" : bad[0]);
            }
        }

        @Test
        void aWrongPasswordExitsWith3() {
            CliRun r = CliRun.run(Map.of("PW", "wrong"), server("restore", source, "--dir", backup.toString()));
            assertThat(r.status).as(r.toString()).isEqualTo(3);
        }
    }
}
