package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Gmail-shaped account on the scripted fake server (Gmail's extensions, All Mail, Spam, Trash,
 * INBOX, label folders, Sent): with {@link GmailLabels#STORE_ONCE} every message of All Mail is
 * stored once with its labels, Spam and Trash too, and nothing of the label folders; with the
 * default every folder is backed up as before; a server without Gmail's extensions gets the
 * per-folder backup.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GmailLabelsIT {

    private static final String ALL = "[Gmail]/All Mail";
    private static final String SPAM = "[Gmail]/Spam";
    private static final String TRASH = "[Gmail]/Trash";
    private static final String SENT = "[Gmail]/Sent Mail";
    private static final Instant DATE = Instant.parse("2026-05-05T05:05:05Z");

    private FakeImapServer server;
    /** All Mail's messages by UID: bytes and the labels expected in the index. */
    private final Map<Long, byte[]> allMail = new LinkedHashMap<>();
    private final Map<Long, Set<String>> labels = new LinkedHashMap<>();
    private int n;

    @BeforeEach
    void start() throws Exception {
        server = FakeImapServer.start(USER, PASSWORD);
        List<String> caps = new ArrayList<>(FakeImapServer.DEFAULT_CAPABILITIES);
        caps.add("X-GM-EXT-1");
        server.capabilities(caps.toArray(String[]::new));
        server.listAttribute(ALL, "\\All").listAttribute(SPAM, "\\Junk").listAttribute(TRASH, "\\Trash")
                .listAttribute(SENT, "\\Sent").createFolder("Label A").createFolder("Caf&AOk-");
        message(Interop.big("<three@x>", 400), List.of("\\Inbox", "Label A", "Caf&AOk-"), "INBOX", "Label A", "Caf&AOk-");
        message(Interop.big("<inbox@x>", 300), List.of("\\Inbox", "\\Important"), "INBOX");
        message(Interop.big("<archived@x>", 350), List.of(), new String[0]);
        message(Interop.big("<sent@x>", 330), List.of("\\Sent", "Label A"), SENT, "Label A");
        message(Interop.ascii("From: a@x\r\nSubject: no id\r\n\r\nbody\r\n"), List.of("Label A"), "Label A");
        byte[] twice = Interop.big("<twice@x>", 310);
        message(twice, List.of("\\Inbox"), "INBOX");
        message(twice, List.of("\\Inbox"), new String[0]); // the same message under a second UID
        server.append(SPAM, Interop.big("<spam@x>", 320), Set.of(), DATE);
        server.append(TRASH, Interop.big("<trash@x>", 320), Set.of("\\Seen"), DATE);
    }

    /** Adds a message to All Mail with labels, and a copy to each label folder given. */
    private void message(byte[] bytes, List<String> wireLabels, String... folders) {
        long uid = server.append(ALL, bytes, Set.of("\\Seen"), DATE.plusSeconds(n++));
        server.labels(ALL, uid, wireLabels);
        allMail.put(uid, bytes);
        labels.put(uid, Set.copyOf(wireLabels.stream().map(l -> l.equals("Caf&AOk-") ? "Café" : l).toList()));
        for (String f : folders) {
            server.append(f, bytes, Set.of("\\Seen"), DATE.plusSeconds(n));
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private BackupReport backup(Path dir, GmailLabels mode) throws Exception {
        ImapSource source = Interop.source(server, Duration.ofSeconds(10)).gmailLabels(mode).build();
        return BackupSession.builder().source(source).target(Interop.store(dir)).build().run();
    }

    private static List<String> mboxFiles(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".mbox")).map(p -> dir.relativize(p).toString()).sorted()
                    .toList();
        }
    }

    @Test
    void storeOnceKeepsEachAllMailMessageOnceWithItsLabelsAndSpamAndTrash(@TempDir Path dir) throws Exception {
        BackupReport report = backup(dir, GmailLabels.STORE_ONCE);

        assertThat(report.allErrors()).isEmpty();
        assertThat(report.folders()).extracting(FolderReport::name).containsExactlyInAnyOrder(ALL, SPAM, TRASH);
        assertThat(mboxFiles(dir)).containsExactly("[Gmail]/All Mail.mbox", "[Gmail]/Spam.mbox", "[Gmail]/Trash.mbox");
        assertThat(report.totals().messagesCopied()).isEqualTo(allMail.size() + 2);
        // a mirror: the message held under two UIDs is stored twice, everything else once
        Map<Long, String> stored = Interop.archivedHashes(dir, ALL, "/");
        Map<Long, String> want = new LinkedHashMap<>();
        allMail.forEach((uid, bytes) -> want.put(uid, sha256(bytes)));
        assertThat(stored).isEqualTo(want);
        Map<Long, Set<String>> recorded = new LinkedHashMap<>();
        for (ArchivedMessage m : Interop.archived(dir, ALL, "/")) {
            recorded.put(m.uid(), m.labels());
        }
        assertThat(recorded).isEqualTo(labels);
        assertThat(Interop.archivedHashes(dir, SPAM, "/")).hasSize(1);
        assertThat(Interop.archivedHashes(dir, TRASH, "/")).hasSize(1);
        assertThat(Interop.verify(dir)).isEmpty();
        // the labels come with the metadata: no FETCH of its own per message
        List<String> fetches = server.commands().stream().filter(c -> c.contains("X-GM-LABELS")).toList();
        assertThat(fetches).isNotEmpty().allSatisfy(c -> assertThat(c).contains("RFC822.SIZE"));
        assertThat(server.commandNames()).doesNotContain("SELECT", "STORE", "UID STORE", "APPEND", "EXPUNGE");
        assertThat(server.commands()).noneMatch(c -> c.toUpperCase(Locale.ROOT).contains("BODY["));
    }

    @Test
    void aSecondRunStoresNothingAndFollowsLabelChanges(@TempDir Path dir) throws Exception {
        backup(dir, GmailLabels.STORE_ONCE);
        long archived = allMail.keySet().stream().skip(2).findFirst().orElseThrow();
        server.labels(ALL, archived, List.of("Label A", "\\Starred"));
        long three = allMail.keySet().iterator().next();
        server.labels(ALL, three, List.of());

        BackupReport second = backup(dir, GmailLabels.STORE_ONCE);

        assertThat(second.allErrors()).isEmpty();
        assertThat(second.totals().messagesCopied()).isZero();
        Map<Long, Set<String>> recorded = new LinkedHashMap<>();
        for (ArchivedMessage m : Interop.archived(dir, ALL, "/")) {
            recorded.put(m.uid(), m.labels());
        }
        assertThat(recorded).hasSize(allMail.size()).containsEntry(archived, Set.of("Label A", "\\Starred"))
                .containsEntry(three, Set.of());
        assertThat(Interop.archivedHashes(dir, ALL, "/")).hasSize(allMail.size());
        assertThat(Interop.verify(dir)).isEmpty();
    }

    @Test
    void switchingToStoreOnceRecordsTheLabelsOfWhatAllMailAlreadyHeld(@TempDir Path dir) throws Exception {
        backup(dir, GmailLabels.PER_LABEL_COPIES);
        assertThat(Interop.archived(dir, ALL, "/")).allSatisfy(m -> assertThat(m.labels()).isEmpty());
        long first = allMail.keySet().iterator().next();
        server.flags(ALL, first, Set.of("\\Seen", "\\Flagged")); // the folder changed since (HIGHESTMODSEQ)

        BackupReport once = backup(dir, GmailLabels.STORE_ONCE);

        assertThat(once.allErrors()).isEmpty();
        assertThat(once.totals().messagesCopied()).isEqualTo(0);
        Map<Long, Set<String>> recorded = new LinkedHashMap<>();
        for (ArchivedMessage m : Interop.archived(dir, ALL, "/")) {
            recorded.put(m.uid(), m.labels());
        }
        assertThat(recorded).isEqualTo(labels);
    }

    @Test
    void perLabelCopiesBacksUpEveryFolderAsBefore(@TempDir Path dir) throws Exception {
        BackupReport report = backup(dir, GmailLabels.PER_LABEL_COPIES);

        assertThat(report.allErrors()).isEmpty();
        assertThat(report.folders()).extracting(FolderReport::name)
                .containsExactlyInAnyOrder("INBOX", "Label A", "Café", ALL, SENT, SPAM, TRASH);
        assertThat(Interop.archivedHashes(dir, "INBOX", "/")).hasSize(3);
        assertThat(Interop.archivedHashes(dir, "Label A", "/")).hasSize(3);
        assertThat(Interop.archived(dir, ALL, "/")).hasSize(allMail.size()).allSatisfy(m -> assertThat(m.labels()).isEmpty());
        assertThat(server.commands()).noneMatch(c -> c.contains("X-GM-LABELS"));
    }

    @Test
    void aServerWithoutGmailsExtensionsIsBackedUpPerFolder(@TempDir Path dir) throws Exception {
        server.capabilities(FakeImapServer.DEFAULT_CAPABILITIES.toArray(String[]::new));

        BackupReport report = backup(dir, GmailLabels.STORE_ONCE);

        assertThat(report.allErrors()).isEmpty();
        assertThat(report.folders()).extracting(FolderReport::name)
                .containsExactlyInAnyOrder("INBOX", "Label A", "Café", ALL, SENT, SPAM, TRASH);
        assertThat(Interop.archivedHashes(dir, "INBOX", "/")).hasSize(3);
        assertThat(server.commands()).noneMatch(c -> c.contains("X-GM-LABELS"));
    }

    @Test
    void withoutAnAllMailFolderEveryFolderIsBackedUp(@TempDir Path dir) throws Exception {
        try (FakeImapServer plain = FakeImapServer.start(USER, PASSWORD)) {
            plain.capabilities("IMAP4rev1", "X-GM-EXT-1", "UIDPLUS");
            plain.append("INBOX", Interop.big("<a@x>", 300), Set.of(), DATE);
            plain.append("Other", Interop.big("<b@x>", 300), Set.of(), DATE);
            ImapSource source = Interop.source(plain, Duration.ofSeconds(10)).gmailLabels(GmailLabels.STORE_ONCE).build();
            BackupReport report = BackupSession.builder().source(source).target(Interop.store(dir)).build().run();
            assertThat(report.allErrors()).isEmpty();
            assertThat(report.folders()).extracting(FolderReport::name).containsExactlyInAnyOrder("INBOX", "Other");
        }
    }

    @Test
    void theFolderFiltersStillApply(@TempDir Path dir) throws Exception {
        ImapSource source = Interop.source(server, Duration.ofSeconds(10)).gmailLabels(GmailLabels.STORE_ONCE).build();
        BackupReport report = BackupSession.builder().source(source).target(Interop.store(dir)).exclude("\\[Gmail\\]/Spam")
                .build().run();
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.folders()).extracting(FolderReport::name).containsExactlyInAnyOrder(ALL, TRASH);
    }
}
