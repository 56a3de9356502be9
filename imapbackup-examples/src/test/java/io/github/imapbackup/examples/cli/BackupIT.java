package io.github.imapbackup.examples.cli;

import io.github.imapbackup.testing.OriginalScript;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import io.github.imapbackup.mbox.BackupLock;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class BackupIT {

    private static final Map<String, String> ENV = Map.of("PW", "demo");
    private static DemoServer server;
    private static int total;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        server = DemoServer.start("demo", "demo");
        total = server.load(SampleAccount.generate(3, 256 * 1024, 30)).values().stream().mapToInt(i -> i).sum();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String[] backup(Path dir, String... more) {
        List<String> a = new ArrayList<>(List.of("backup", "--host", DemoServer.HOST, "--port",
                Integer.toString(server.port()), "--security", "none", "--user", "demo", "--password-env", "PW",
                "--dir", dir.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static long count(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** A backup copies everything once, verifies, and reports; a dry run writes nothing. */
    @Nested
    class Runs {

        @Test
        void backupVerifiesAndASecondRunCopiesNothing() throws Exception {
            Path dir = tmp.resolve("backup");
            Path report = tmp.resolve("r1.json");
            CliRun first = CliRun.run(ENV, backup(dir, "--report", report.toString(), "--connections", "3"));
            assertThat(first.status).as(first.toString()).isZero();
            String json = Files.readString(report);
            for (String field : List.of("command", "startedAt", "finishedAt", "exitStatus", "messagesOnSource",
                    "messagesCopied", "messagesSkipped", "duplicatesOnSource", "bytesCopied", "errors", "folders", "name",
                    "file")) {
                assertThat(json).contains("\"" + field + "\":");
            }
            assertThat(count(json, "messagesOnSource")).isEqualTo(total);
            assertThat(count(json, "messagesCopied")).isEqualTo(total);
            assertThat(json).contains("\"exitStatus\":0").contains("\"name\":\"Entwürfe\"");
            assertThat(first.out).contains("Total").contains("On server");
            assertThat(first.err).as("no progress display without a terminal").isEmpty();
            for (String file : List.of("INBOX.mbox", "Sent.mbox", "Entwürfe.mbox", "Bills & Receipts.mbox", "Archive.mbox",
                    "Archive/2019.mbox", "Archive/2019/Q3.mbox")) {
                assertThat(dir.resolve(file)).isRegularFile();
            }

            CliRun verify = CliRun.run("verify", "--dir", dir.toString());
            assertThat(verify.status).as(verify.toString()).isZero();

            CliRun second = CliRun.run(ENV, backup(dir, "--report", report.toString()));
            assertThat(second.status).as(second.toString()).isZero();
            json = Files.readString(report);
            assertThat(count(json, "messagesCopied")).isZero();
            assertThat(count(json, "messagesSkipped")).isEqualTo(total);

            // The exported .eml files hold exactly what the server sends for each UID.
            Path eml = tmp.resolve("eml");
            CliRun export = CliRun.run("export", "--dir", dir.toString(), "--eml", eml.toString());
            assertThat(export.status).as(export.toString()).isZero();
            for (String folder : List.of("INBOX", "Archive", "Archive.2019.Q3", "Entwürfe")) {
                MailFolder f = server.folder(folder);
                Path out = eml.resolve(folder.replace('.', '/'));
                List<StoredMessage> messages = f.getMessages();
                assertThat(messages).isNotEmpty();
                int n = 0;
                for (StoredMessage m : messages) {
                    n++;
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    m.getMimeMessage().writeTo(bytes);
                    Path file = out.resolve(String.format("%06d-%d.eml", n, m.getUid()));
                    assertThat(MboxFiles.sha256(Files.readAllBytes(file))).as(file.toString())
                            .isEqualTo(MboxFiles.sha256(bytes.toByteArray()));
                }
            }
        }

        @Test
        void theIdentityCasesAreKeptAsTheServerHasThem() throws IOException {
            Path dir = tmp.resolve("backup");
            CliRun r = CliRun.run(ENV, backup(dir, "--folder", "INBOX", "--quiet"));
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(r.out).isEmpty();
            List<String> texts = new ArrayList<>();
            try (MboxReader reader = MboxReader.open(dir.resolve("INBOX.mbox"), Dialect.MBOXRD)) {
                for (MboxEntry e = reader.next(); e != null; e = reader.next()) {
                    try (InputStream in = e.content()) {
                        texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
            assertThat(texts.stream().filter(t -> t.contains("<twice.5@demo.example>"))).hasSize(2);
            assertThat(texts.stream().filter(t -> t.contains("<shared.6@demo.example>"))).hasSize(2);
            assertThat(texts.stream().filter(t -> t.contains("Subject: No Message-ID at all"))).hasSize(1);
            assertThat(texts.stream().filter(t -> t.contains("\r\nFrom here on\r\n>From a quoted line\r\n"))).hasSize(1);
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mbox")))
                        .containsExactly("INBOX.mbox");
            }
        }

        @Test
        void dryRunWritesNothing() throws IOException {
            Path dir = tmp.resolve("never");
            Path report = tmp.resolve("dry.json");
            CliRun r = CliRun.run(ENV, backup(dir, "--dry-run", "--report", report.toString()));
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(dir).doesNotExist();
            String json = Files.readString(report);
            assertThat(json).contains("\"dryRun\":true");
            assertThat(count(json, "messagesCopied")).isEqualTo(total);
            assertThat(r.out).contains("Dry run");
        }

        @Test
        void wrongPasswordExitsWith3AndWritesTheReport() throws IOException {
            Path report = tmp.resolve("r.json");
            CliRun r = CliRun.run(Map.of("PW", "not-the-password"), backup(tmp.resolve("b"), "--report", report.toString()));
            assertThat(r.status).as(r.toString()).isEqualTo(3);
            assertThat(r.err + r.out).doesNotContain("not-the-password");
            assertThat(Files.readString(report)).contains("\"exitStatus\":3").doesNotContain("not-the-password");
        }
    }

    /** One run at a time per backup directory. */
    @Nested
    class Lock {

        @Test
        void aSecondRunOnADirectoryInUseIsRefusedWithExit2NamingTheHolderAndWritesNothing() throws Exception {
            Path dir = tmp.resolve("busy");
            Path report = tmp.resolve("busy.json");
            try (BackupLock held = BackupLock.acquire(dir, "backup from cron")) {
                assertThat(held.tookOverFrom()).isEmpty();
                CliRun r = CliRun.run(ENV, backup(dir, "--report", report.toString()));
                assertThat(r.status).as(r.toString()).isEqualTo(2);
                assertThat(r.err).contains("the backup directory " + dir + " is in use by pid "
                        + ProcessHandle.current().pid()).contains("(backup from cron)").doesNotContain("--help");
                assertThat(Files.readString(report)).contains("\"exitStatus\":2").contains("is in use by");
                try (Stream<Path> files = Files.list(dir)) {
                    assertThat(files.map(f -> f.getFileName().toString())).containsExactly(BackupLock.FILE_NAME);
                }
                CliRun i = CliRun.run("import", "--dir", dir.toString(), report.toString());
                assertThat(i.status).as(i.toString()).isEqualTo(2);
                assertThat(i.err).contains("is in use by");
            }
            CliRun after = CliRun.run(ENV, backup(dir));
            assertThat(after.status).as(after.toString()).isZero();
            assertThat(dir.resolve(BackupLock.FILE_NAME)).isEmptyFile();
        }
    }

    /** The original script's spellings, layout and files. */
    @Nested
    class AsTheOriginalScript {

        @Test
        void originalScriptSpellingsBackUpWithFlatLayoutAndGzip() throws IOException {
            Path dir = tmp.resolve("flat");
            Path pw = tmp.resolve("pw");
            Files.writeString(pw, "demo\n");
            CliRun r = CliRun.run("backup", "-s", DemoServer.HOST + ":" + server.port(), "--security", "none", "-u", "demo",
                    "-p", "@" + pw, "-d", dir.toString(), "-f", "Archive.2019.Q3,Entwürfe", "--layout", "flat", "-z",
                    "--nospinner");
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(dir.resolve("Archive.2019.Q3.mbox.gz")).isRegularFile();
            assertThat(dir.resolve("Entwürfe.mbox.gz")).isRegularFile();
            assertThat(dir.resolve("INBOX.mbox.gz")).doesNotExist();
            CliRun verify = CliRun.run("verify", "--dir", dir.toString());
            assertThat(verify.status).as(verify.toString()).isZero();
            CliRun again = CliRun.run(ENV, backup(dir, "--folder", "Archive.2019.Q3", "--report", tmp.resolve("a.json").toString()));
            assertThat(again.status).as(again.toString()).isZero();
            assertThat(count(Files.readString(tmp.resolve("a.json")), "messagesCopied")).isZero();
            assertThat(dir.resolve("Archive")).doesNotExist();
        }

        @Test
        void theOtherLayoutIsRefusedWithExit2AndNothingIsStoredTwice() throws IOException {
            Path dir = tmp.resolve("nested");
            CliRun first = CliRun.run(ENV, backup(dir, "--folder", "Archive.2019.Q3", "--quiet"));
            assertThat(first.status).as(first.toString()).isZero();
            assertThat(dir.resolve("Archive/2019/Q3.mbox")).isRegularFile();
            for (boolean recorded : new boolean[] {true, false}) {
                if (!recorded) {
                    // a directory an older version wrote: no record, the layout is detected from the indexes
                    Files.delete(dir.resolve(".imapbackup"));
                }
                CliRun flat = CliRun.run(ENV, backup(dir, "--folder", "Archive.2019.Q3", "--layout", "flat"));
                assertThat(flat.status).as(flat.toString()).isEqualTo(2);
                assertThat(flat.err).contains(dir.toString()).contains("nested layout").contains("flat layout")
                        .contains("leave out --layout")
                        .doesNotContain("Exception").doesNotContain("\tat ");
                assertThat(dir.resolve("Archive.2019.Q3.mbox")).doesNotExist();
            }
            CliRun verify = CliRun.run("verify", "--dir", dir.toString(), "--layout", "flat");
            assertThat(verify.status).as(verify.toString()).isEqualTo(2);
            CliRun again = CliRun.run(ENV, backup(dir, "--folder", "Archive.2019.Q3", "--report", tmp.resolve("n.json").toString()));
            assertThat(again.status).as(again.toString()).isZero();
            assertThat(count(Files.readString(tmp.resolve("n.json")), "messagesCopied")).isZero();
            assertThat(Files.readString(dir.resolve(".imapbackup"))).contains("layout=nested");
        }

        @Test
        void anIndexLessFlatDirectoryOfTheOriginalScriptIsAdoptedWithTheDefaultLayout() throws IOException {
            Path dir = tmp.resolve("script");
            String[] folders = {"--folder", "Archive.2019.Q3", "--folder", "Sent", "--folder", "INBOX"};
            CliRun first = CliRun.run(ENV, backup(dir, concat(folders, "--layout", "flat", "--quiet")));
            assertThat(first.status).as(first.toString()).isZero();
            // what the original script leaves: flat mbox files in its own form, no index, no record
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    if (p.toString().endsWith(".mbox")) {
                        Files.write(p, asTheOriginalScriptWroteIt(p));
                    } else {
                        Files.delete(p);
                    }
                }
            }
            assertThat(dir.resolve("Archive.2019.Q3.mbox")).isRegularFile();
            Map<Path, byte[]> before = new java.util.HashMap<>();
            for (String f : List.of("Archive.2019.Q3.mbox", "Sent.mbox", "INBOX.mbox")) {
                before.put(dir.resolve(f), Files.readAllBytes(dir.resolve(f)));
            }
            assertThat(new String(before.get(dir.resolve("INBOX.mbox")), StandardCharsets.ISO_8859_1))
                    .contains("\nMessage-Id: <19AF1258-1AAF-44EF-9D9A-731079D6FAD7.").doesNotContain("\r");
            CliRun again = CliRun.run(ENV, backup(dir, concat(folders, "--report", tmp.resolve("s.json").toString())));
            assertThat(again.status).as(again.toString()).isZero();
            assertThat(count(Files.readString(tmp.resolve("s.json")), "messagesCopied")).isZero();
            for (Map.Entry<Path, byte[]> e : before.entrySet()) {
                assertThat(Files.readAllBytes(e.getKey())).as(e.getKey().toString()).isEqualTo(e.getValue());
            }
            assertThat(dir.resolve("Archive")).doesNotExist();
            assertThat(Files.readString(dir.resolve(".imapbackup"))).contains("layout=flat");
            CliRun verify = CliRun.run("verify", "--dir", dir.toString());
            assertThat(verify.status).as(verify.toString()).isZero();
            CliRun third = CliRun.run(ENV, backup(dir, concat(folders, "--report", tmp.resolve("t.json").toString())));
            assertThat(third.status).as(third.toString()).isZero();
            assertThat(count(Files.readString(tmp.resolve("t.json")), "messagesCopied")).isZero();
        }
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    /**
     * The messages of an mbox as imapbackup.py stores them (download_messages): {@code From nobody}
     * and the time (in the format of its Python 3 and of its Python 2 version), a {@code Message-Id:}
     * line of its own before a message without one, the text with every CR removed and stripped,
     * unquoted, then an empty line.
     */
    private static byte[] asTheOriginalScriptWroteIt(Path mbox) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 0;
        try (MboxReader reader = MboxReader.open(mbox, Dialect.MBOXRD)) {
            for (MboxEntry e = reader.next(); e != null; e = reader.next()) {
                byte[] m;
                try (InputStream in = e.content()) {
                    m = in.readAllBytes();
                }
                String text = new String(m, StandardCharsets.ISO_8859_1);
                out.writeBytes(("From nobody " + (n++ % 2 == 0 ? "Fri Dec  4 13:47:33 2026" : "Fri 12 04 13:47:33 2026")
                        + "\n").getBytes(StandardCharsets.ISO_8859_1));
                String header = text.split("\r?\n\r?\n", 2)[0];
                if (!header.toLowerCase(java.util.Locale.ROOT).matches("(?s)(.*\n)?message-id: .*")) {
                    out.writeBytes(("Message-Id: <19AF1258-1AAF-44EF-9D9A-731079D6FAD7."
                            + MboxFiles.sha256(header.getBytes(StandardCharsets.ISO_8859_1)).substring(0, 40) + ">\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                }
                out.writeBytes(OriginalScript.strip(text.replace("\r", "")).getBytes(StandardCharsets.ISO_8859_1));
                out.writeBytes("\n\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return out.toByteArray();
    }
}
