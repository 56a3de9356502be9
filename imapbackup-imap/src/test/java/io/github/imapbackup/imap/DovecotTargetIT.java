package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.TargetFolder;
import io.github.imapbackup.spi.TargetFolder.NewMessage;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IMAP target against Dovecot with both hierarchy delimiters: exact bytes (SHA-256 of
 * {@code BODY.PEEK[]}), flags, keywords and INTERNALDATE kept, folders mapped between delimiters,
 * under a prefix and to special-use folders, copies counted, MULTIAPPEND batches, and a 30 MB
 * message through a small heap.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DovecotTargetIT {

    @RegisterExtension
    static final Dovecot SLASH = Dovecot.builder().separator('/').user(USER, PASSWORD)
            .namespaceConfig("mailbox \"Sent Messages\" {", "  special_use = \\Sent", "  auto = create", "}",
                    "mailbox \"Deleted Messages\" {", "  special_use = \\Trash", "  auto = create", "}")
            .build();

    @RegisterExtension
    static final Dovecot DOT = Dovecot.builder().separator('.').user(USER, PASSWORD).rawlog(true).build();

    static final MessageIdExtractor EXTRACTOR = MessageIdExtractor.standard();

    static Dovecot server(char separator) {
        return separator == '/' ? SLASH : DOT;
    }

    static ImapTarget.Builder target(Dovecot d) {
        return ImapTarget.builder(Interop.source(d).build());
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Messages a restore meets: CRLF, LF only, 8-bit, no final line end, no Message-ID, a From line. */
    static List<byte[]> messages(String tag) {
        List<String> texts = List.of(
                "Message-ID: <crlf-" + tag + "@x>\r\nSubject: crlf\r\n\r\nbody\r\nFrom here\r\n",
                "Message-ID: <8bit-" + tag + "@x>\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n\r\nGr\u00fc\u00dfe \u20ac\r\n",
                "Message-ID: <nofinal-" + tag + "@x>\r\nSubject: no final\r\n\r\nno line end",
                "Subject: no id " + tag + "\r\nFrom: a@x\r\n\r\nwithout Message-ID\r\n");
        List<byte[]> result = new ArrayList<>();
        for (String t : texts) {
            result.add(t.getBytes(StandardCharsets.UTF_8));
        }
        return result;
    }

    static NewMessage newMessage(byte[] bytes, Set<String> flags, Instant date) throws Exception {
        return new NewMessage(0, 0, EXTRACTOR.identify(new ByteArrayInputStream(bytes)), -1, date, flags, null);
    }

    @ParameterizedTest
    @ValueSource(chars = {'/', '.'})
    void bytesFlagsKeywordsAndDatesSurviveAndCopiesAreCounted(char separator) throws Exception {
        Dovecot d = server(separator);
        ImapTarget target = target(d).build();
        FolderInfo source = new FolderInfo("Archive|2019|Entw\u00fcrfe", "|", Set.of(), true);
        List<byte[]> messages = messages("f" + separator);
        Set<String> flags = Set.of("\\Seen", "\\Answered", "\\Flagged", "\\Draft", "\\Deleted", "$Label1", "Work");
        Instant date = Instant.parse("2019-07-14T10:15:30Z");
        Map<NewMessage, BackupException> refused = new IdentityHashMap<>();
        try (TargetFolder f = target.open(source, EXTRACTOR)) {
            f.onRejected(refused::put);
            for (byte[] m : messages) {
                f.append(newMessage(m, flags, date), new ByteArrayInputStream(m));
            }
            f.append(newMessage(messages.get(0), Set.of(), date), new ByteArrayInputStream(messages.get(0)));
            f.commit();
        }
        assertThat(refused).isEmpty();
        String name = "Archive" + separator + "2019" + separator + "Entw&APw-rfe";
        try (ImapTestClient c = d.login(USER)) {
            TreeMap<Long, Set<String>> stored = c.flags(name);
            assertThat(stored).hasSize(messages.size() + 1);
            List<Long> uids = new ArrayList<>(stored.keySet());
            for (int i = 0; i < messages.size(); i++) {
                assertThat(sha256(c.fetchBody(name, uids.get(i)))).as("message %d", i)
                        .isEqualTo(sha256(messages.get(i)));
                assertThat(stored.get(uids.get(i))).containsExactlyInAnyOrderElementsOf(flags);
            }
        }
        try (TargetFolder f = target.open(source, EXTRACTOR)) {
            List<ArchivedMessage> held = f.messages();
            assertThat(held).hasSize(messages.size() + 1);
            assertThat(held).allSatisfy(m -> assertThat(m.internalDate()).isEqualTo(date));
            for (int i = 0; i < messages.size(); i++) {
                assertThat(held.get(i).identity()).isEqualTo(EXTRACTOR.identify(new ByteArrayInputStream(messages.get(i))));
                assertThat(held.get(i).size()).isEqualTo(messages.get(i).length);
            }
            assertThat(held).filteredOn(m -> m.identity().equals(held.get(0).identity())).hasSize(2);
        }
        assertThat(target.location(source)).isEqualTo("Archive" + separator + "2019" + separator + "Entw\u00fcrfe");
    }

    @Test
    void multiappendBatchesKeepEveryMessagesBytesFlagsAndDate() throws Exception {
        List<byte[]> messages = new ArrayList<>();
        List<Set<String>> flags = new ArrayList<>();
        List<Instant> dates = new ArrayList<>();
        List<Set<String>> choices = List.of(Set.of(), Set.of("\\Seen"), Set.of("\\Answered", "\\Flagged", "$Label1"),
                Set.of("\\Seen", "\\Draft", "Work"));
        for (int i = 0; i < 230; i++) {
            byte[] base = messages("m" + i).get(i % 4);
            byte[] m = i == 42 ? java.util.Arrays.copyOf(base, (3 << 19) + 17) : base; // 1.5 MB: a temporary file
            if (i == 42) {
                java.util.Arrays.fill(m, base.length, m.length, (byte) 'x');
            }
            messages.add(m);
            flags.add(choices.get(i % choices.size()));
            dates.add(Instant.parse("2018-01-01T00:00:00Z").plusSeconds(3_607L * i));
        }
        Map<NewMessage, BackupException> refused = new IdentityHashMap<>();
        ImapTarget target = target(DOT).build();
        FolderInfo source = new FolderInfo("Multi", "/", Set.of(), true);
        try (TargetFolder f = target.open(source, EXTRACTOR)) {
            f.onRejected(refused::put);
            for (int i = 0; i < messages.size(); i++) {
                f.append(newMessage(messages.get(i), flags.get(i), dates.get(i)),
                        new ByteArrayInputStream(messages.get(i)));
            }
            f.commit();
        }
        assertThat(refused).isEmpty();
        assertThat(DOT.clientCommands(USER)).filteredOn(c -> c.startsWith("APPEND \"Multi\""))
                .as("one APPEND command per 100 messages, but the first message with a keyword the folder has not "
                        + "taken yet goes alone (messages 2 and 3), the one before them first: 0-1, 2, 3, 4-103, "
                        + "104-203, 204-229").hasSize(6);
        try (ImapTestClient c = DOT.login(USER)) {
            TreeMap<Long, Set<String>> stored = c.flags("Multi");
            assertThat(stored).hasSize(messages.size());
            List<Long> uids = new ArrayList<>(stored.keySet());
            for (int i = 0; i < messages.size(); i++) {
                assertThat(sha256(c.fetchBody("Multi", uids.get(i)))).as("message %d", i)
                        .isEqualTo(sha256(messages.get(i)));
                assertThat(stored.get(uids.get(i))).as("message %d", i).containsExactlyInAnyOrderElementsOf(flags.get(i));
            }
        }
        try (TargetFolder f = target.open(source, EXTRACTOR)) {
            assertThat(f.messages()).extracting(ArchivedMessage::internalDate).containsExactlyElementsOf(dates);
        }
    }

    @ParameterizedTest
    @ValueSource(chars = {'/', '.'})
    void aPrefixPutsTheTreeUnderOneFolderWithTheTargetsDelimiter(char separator) throws Exception {
        Dovecot d = server(separator);
        ImapTarget target = target(d).prefix("Restored").build();
        byte[] m = messages("p" + separator).get(0);
        for (FolderInfo f : List.of(new FolderInfo("INBOX", ".", Set.of(), true),
                new FolderInfo("Sent", "/", Set.of("\\Sent"), true))) {
            try (TargetFolder t = target.open(f, EXTRACTOR)) {
                t.append(newMessage(m, Set.of(), Instant.now()), new ByteArrayInputStream(m));
            }
        }
        try (ImapTestClient c = d.login(USER)) {
            assertThat(c.flags("Restored" + separator + "INBOX")).hasSize(1);
            assertThat(c.flags("Restored" + separator + "Sent")).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(chars = {'/', '.'})
    void aParentCreatedForItsChildFirstStillTakesMessagesOfItsOwn(char separator) throws Exception {
        Dovecot d = server(separator);
        ImapTarget target = target(d).build();
        byte[] m = messages("parent" + separator).get(0);
        for (String name : List.of("Work|Projects", "Work")) {
            try (TargetFolder t = target.open(new FolderInfo(name, "|", Set.of(), true), EXTRACTOR)) {
                t.append(newMessage(m, Set.of(), Instant.now()), new ByteArrayInputStream(m));
            }
        }
        try (ImapTestClient c = d.login(USER)) {
            assertThat(c.flags("Work" + separator + "Projects")).hasSize(1);
            assertThat(c.flags("Work")).hasSize(1);
        }
    }

    @Test
    void specialUseFoldersGoToTheTargetsOwnOneEachUnlessTurnedOff() throws Exception {
        byte[] m = messages("s").get(0);
        ImapTarget target = target(SLASH).build();
        FolderInfo sentItems = new FolderInfo("Sent Items", "/", Set.of(), true);
        FolderInfo gesendet = new FolderInfo("Gesendet", "/", Set.of("\\Sent", "\\HasNoChildren"), true);
        for (FolderInfo f : List.of(sentItems, gesendet, new FolderInfo("trash", ".", Set.of(), true))) {
            try (TargetFolder t = target.open(f, EXTRACTOR)) {
                t.append(newMessage(m, Set.of(), Instant.now()), new ByteArrayInputStream(m));
            }
        }
        assertThat(target.location(sentItems)).isEqualTo("Sent Messages");
        assertThat(target.location(gesendet)).as("the \\Sent folder takes in one archive folder only")
                .isEqualTo("Gesendet");
        ImapTarget off = target(SLASH).specialUse(false).build();
        try (TargetFolder t = off.open(new FolderInfo("Drafts", "/", Set.of("\\Drafts"), true), EXTRACTOR)) {
            t.append(newMessage(m, Set.of(), Instant.now()), new ByteArrayInputStream(m));
        }
        try (ImapTestClient c = SLASH.login(USER)) {
            assertThat(c.flags("Sent Messages")).hasSize(1);
            assertThat(c.flags("Gesendet")).hasSize(1);
            assertThat(c.flags("Deleted Messages")).hasSize(1);
            assertThat(c.flags("Drafts")).hasSize(1);
        }
    }

    @Test
    void aThirtyMegabyteMessageStreamsThroughA64MegabyteHeap() throws Exception {
        long size = 30L << 20;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), AppendOneMessage.class.getName(),
                Integer.toString(DOT.port()), "Big", Long.toString(size)));
        pb.environment().put("IMAP_PASSWORD", PASSWORD);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("REFUSED");
        String sent = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow().split(" ")[2];
        try (ImapTestClient c = DOT.login(USER)) {
            long uid = c.flags("Big").firstKey();
            byte[] back = c.fetchBody("Big", uid);
            assertThat(back).hasSize((int) size);
            assertThat(sha256(back)).isEqualTo(sent);
        }
    }
}
