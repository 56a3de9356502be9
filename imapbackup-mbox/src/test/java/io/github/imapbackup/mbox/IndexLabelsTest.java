package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.FolderState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gmail's labels in the folder index (docs/FORMAT-index.md, version 3): recorded with each message
 * and changed by {@code L} records; an index of version 2 reads as "no labels" and is upgraded when
 * next opened for writing; every label survives the field encoding.
 */
@Timeout(30)
class IndexLabelsTest {

    @TempDir
    Path dir;

    private static FolderArchive.NewMessage message(long uid, byte[] b, Set<String> labels) throws IOException {
        return new FolderArchive.NewMessage(7, uid, EXTRACTOR.identify(new ByteArrayInputStream(b)), b.length,
                Instant.parse("2026-10-01T08:00:00Z"), Set.of("\\Seen"), null, labels);
    }

    @Test
    void labelsAreRecordedWithTheMessageAndChangedLikeFlags() throws IOException {
        MboxStore store = MboxStore.builder(dir).codec("none").build();
        byte[] a = ArchiveSelectionTest.bytes("a");
        byte[] b = ArchiveSelectionTest.bytes("b");
        try (FolderArchive f = store.open(INBOX, EXTRACTOR)) {
            f.append(message(1, a, Set.of("\\Inbox", "Work, 2026", "Café")), new ByteArrayInputStream(a));
            f.append(message(2, b, Set.of()), new ByteArrayInputStream(b));
            f.state(new FolderState("INBOX", "/", 7, 3, 0, 2));
            f.commit();
        }
        try (FolderArchive f = store.open(INBOX, EXTRACTOR)) {
            assertThat(f.messages()).extracting(ArchivedMessage::labels)
                    .containsExactly(Set.of("\\Inbox", "Work, 2026", "Café"), Set.of());
            f.updateLabels(1, Set.of("Café"));
            f.updateLabels(2, Set.of("\\Starred"));
            f.updateLabels(2, Set.of("\\Starred")); // no change: no record
        }
        String index = Files.readString(dir.resolve("INBOX.mbox.index"), StandardCharsets.UTF_8);
        assertThat(index).startsWith("H imapbackup-index 3 ").contains(" Caf\u00e9,Work%2c%202026,\\Inbox ");
        assertThat(index.lines().filter(l -> l.startsWith("L "))).hasSize(2);
        try (BackupArchive archive = store.read()) {
            assertThat(archive.messages(INBOX).map(m -> m.message().labels()).toList())
                    .containsExactly(Set.of("Café"), Set.of("\\Starred"));
            assertThat(archive.verify().ok()).isTrue();
        }
    }

    @Test
    void aVersionTwoIndexReadsWithoutLabelsAndIsUpgradedWhenOpenedForWriting() throws IOException {
        // the files a release of index version 2 wrote: one message, committed
        byte[] a = ArchiveSelectionTest.bytes("a");
        MboxStore store = MboxStore.builder(dir).codec("none").build();
        try (FolderArchive f = store.open(INBOX, EXTRACTOR)) {
            f.append(message(1, a, Set.of()), new ByteArrayInputStream(a));
            f.commit();
        }
        Path indexFile = dir.resolve("INBOX.mbox.index");
        FolderIndex current = IndexLoader.load(new ByteArrayInputStream(Files.readAllBytes(indexFile)), indexFile).index();
        ByteArrayOutputStream v2 = new ByteArrayOutputStream();
        IndexRecord.Header h = current.header;
        v2.writeBytes(IndexFormat.line(new IndexRecord.Header(2, h.codec(), h.delimiter(), h.name(), h.since(),
                h.specialUse()), 2));
        v2.writeBytes(IndexFormat.line(new IndexRecord.Message(current.entries().get(0)), 2));
        v2.writeBytes(IndexFormat.line(current.commit(), 2));
        Files.write(indexFile, v2.toByteArray());
        assertThat(Files.readString(indexFile)).startsWith("H imapbackup-index 2 ");
        // a version 2 M record: 15 fields (the last its archived time) and the checksum
        assertThat(Files.readString(indexFile).lines().filter(l -> l.startsWith("M ")))
                .singleElement().satisfies(l -> assertThat(l.split(" ")).hasSize(16));

        try (BackupArchive archive = store.read()) {
            assertThat(archive.messages(INBOX).toList()).singleElement()
                    .satisfies(m -> assertThat(m.message().labels()).isEmpty());
        }
        assertThat(Files.readString(indexFile)).startsWith("H imapbackup-index 2 "); // reading changes nothing
        try (FolderArchive f = store.open(INBOX, EXTRACTOR)) {
            f.updateLabels(1, Set.of("\\Inbox"));
        }
        assertThat(Files.readString(indexFile)).startsWith("H imapbackup-index 3 ");
        try (BackupArchive archive = store.read()) {
            assertThat(archive.messages(INBOX).toList()).singleElement()
                    .satisfies(m -> assertThat(m.message().labels()).containsExactly("\\Inbox"));
        }
    }

    @Test
    void everyLabelSurvivesTheFieldEncoding() {
        Set<String> labels = Set.of("-", "a b", "100%", "x,y", "\\Important", "[Gmail]/Sent Mail", "日本",
                "tab\there", "%2D");
        IndexEntry e = new IndexEntry(1, 1, new io.github.imapbackup.MessageIdentity("mid:<a@x>"), 0, 10, 5,
                "0".repeat(64), 5, Instant.EPOCH, 0, -1, -1, Set.of(), false, null);
        e.labels = labels;
        byte[] line = IndexFormat.line(new IndexRecord.Message(e));
        IndexRecord back = IndexFormat.parse(line, 0, line.length - 1);
        assertThat(back).isInstanceOfSatisfying(IndexRecord.Message.class, m -> assertThat(m.entry().labels).isEqualTo(labels));
        byte[] l = IndexFormat.line(new IndexRecord.Labels(0, labels));
        assertThat(IndexFormat.parse(l, 0, l.length - 1)).isEqualTo(new IndexRecord.Labels(0, labels));
        assertThatThrownBy(() -> IndexFormat.line(new IndexRecord.Labels(0, labels), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(new String(line, StandardCharsets.UTF_8))).singleElement().asString().doesNotContain("\t");
    }
}
