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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup --gmail-labels once} against a Gmail-shaped fake server stores All Mail, Spam and
 * Trash only, each message once; a second run copies nothing; {@code restore --labels-as-folders}
 * puts the messages back into one folder per label; a wrong value is a usage error.
 */
@Timeout(120)
class GmailLabelsCliIT {

    private static final Map<String, String> ENV = Map.of("PW", "secret");
    private static final Instant DATE = Instant.parse("2026-05-05T05:05:05Z");

    @TempDir
    Path tmp;

    private FakeImapServer gmail;

    @BeforeEach
    void start() throws Exception {
        gmail = FakeImapServer.start("alice", "secret");
        List<String> caps = new ArrayList<>(FakeImapServer.DEFAULT_CAPABILITIES);
        caps.add("X-GM-EXT-1");
        gmail.capabilities(caps.toArray(String[]::new));
        gmail.listAttribute("[Gmail]/All Mail", "\\All").listAttribute("[Gmail]/Spam", "\\Junk")
                .listAttribute("[Gmail]/Trash", "\\Trash");
        add("inbox", List.of("\\Inbox", "Work"), "INBOX", "Work");
        add("archived", List.of(), new String[0]);
        add("work", List.of("Work"), "Work");
        gmail.append("[Gmail]/Spam", message("spam"), Set.of(), DATE);
    }

    private static byte[] message(String id) {
        return ("Message-ID: <" + id + "@x>\r\nFrom: a@x\r\nSubject: " + id + "\r\n\r\n" + id + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private void add(String id, List<String> labels, String... folders) {
        long uid = gmail.append("[Gmail]/All Mail", message(id), Set.of("\\Seen"), DATE);
        gmail.labels("[Gmail]/All Mail", uid, labels);
        for (String f : folders) {
            gmail.append(f, message(id), Set.of("\\Seen"), DATE);
        }
    }

    @AfterEach
    void stop() throws Exception {
        gmail.close();
    }

    /** {@code command}, then the options that reach the account of {@code user} on {@code s}, then {@code more}. */
    private static CliRun run(String command, FakeImapServer s, String user, String... more) {
        Stream<String> account = Stream.of(command, "--host", s.host(), "--port", String.valueOf(s.port()),
                "--security", "none", "--user", user, "--password-env", "PW");
        return CliRun.run(ENV, Stream.concat(account, Stream.of(more)).toArray(String[]::new));
    }

    @Test
    void onceStoresEachMessageOnceAndRestoresOneFolderPerLabel() throws Exception {
        Path dir = tmp.resolve("gmail");
        Path report = tmp.resolve("r.json");
        CliRun first = run("backup", gmail, "alice", "--dir", dir.toString(), "--gmail-labels", "once",
                "--report", report.toString());
        assertThat(first.status).as(first.toString()).isZero();
        assertThat(Files.readString(report)).contains("\"messagesCopied\":4,"); // the totals: 3 in All Mail, 1 in Spam
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".mbox")).map(p -> dir.relativize(p).toString()).sorted())
                    .containsExactly("[Gmail]/All Mail.mbox", "[Gmail]/Spam.mbox", "[Gmail]/Trash.mbox");
        }
        CliRun second = run("backup", gmail, "alice", "--dir", dir.toString(), "--gmail-labels", "ONCE",
                "--report", report.toString());
        assertThat(second.status).as(second.toString()).isZero();
        assertThat(Files.readString(report)).contains("\"messagesCopied\":0").doesNotContainPattern("\"messagesCopied\":[1-9]");

        try (FakeImapServer target = FakeImapServer.start("bob", "secret")) {
            CliRun restore = run("restore", target, "bob", "--dir", dir.toString(), "--labels-as-folders");
            assertThat(restore.status).as(restore.toString()).isZero();
            assertThat(target.messages("INBOX")).extracting(b -> new String(b, StandardCharsets.US_ASCII))
                    .singleElement().asString().contains("<inbox@x>");
            assertThat(target.messages("Work")).hasSize(2);
            assertThat(target.messages("[Gmail]/All Mail")).extracting(b -> new String(b, StandardCharsets.US_ASCII))
                    .singleElement().asString().contains("<archived@x>");
            assertThat(target.messages("[Gmail]/Spam")).hasSize(1);
        }
    }

    @Test
    void copiesIsTheDefaultAndBacksUpEveryFolder() throws Exception {
        Path dir = tmp.resolve("copies");
        CliRun r = run("backup", gmail, "alice", "--dir", dir.toString(), "--gmail-labels", "copies");
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(dir.resolve("INBOX.mbox")).exists();
        assertThat(dir.resolve("Work.mbox")).exists();
        assertThat(gmail.commands()).noneMatch(c -> c.contains("X-GM-LABELS"));
    }

    @Test
    void anUnknownValueIsAUsageError() {
        CliRun r = run("backup", gmail, "alice", "--dir", tmp.toString(), "--gmail-labels", "twice");
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains("--gmail-labels").contains("twice");
        assertThat(gmail.connections()).isZero();
    }
}
