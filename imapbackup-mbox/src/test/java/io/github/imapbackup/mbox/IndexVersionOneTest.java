package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder index of format version 1, as the previous release wrote it (a golden file: three
 * messages, the second marked expunged), loads with unknown times, and is upgraded to the current version
 * when a backup next opens the folder for writing.
 */
@Timeout(30)
class IndexVersionOneTest {

    static final FolderInfo INBOX = new FolderInfo("INBOX", "/", Set.of(), true);
    static final Instant UPGRADE = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path dir;

    @BeforeEach
    void copyGoldenFiles() throws IOException {
        for (String f : List.of("INBOX.mbox", "INBOX.mbox.index")) {
            Files.copy(Path.of("src/test/resources/index-v1", f), dir.resolve(f));
        }
    }

    @Test
    void loadsWithUnknownTimesAndEveryMessageReadsBackExactly() throws IOException {
        MboxStore store = MboxStore.builder(dir).build();
        try (BackupArchive archive = store.read()) {
            List<StoredMessage> messages = archive.messages(INBOX).toList();
            assertThat(messages).extracting(m -> m.message().expunged()).containsExactly(false, true, false);
            assertThat(messages).extracting(StoredMessage::archivedAt).containsOnly(Optional.empty());
            assertThat(messages).extracting(StoredMessage::expungedAt).containsOnly(Optional.empty());
            assertThat(messages.get(2).message().flags()).containsExactlyInAnyOrder("$Label1", "\\Flagged");
            assertThat(archive.verify().ok()).isTrue();
        }
        // unknown times, never recorded: each folder at any time holds every message (the safe reading)
        assertThat(ArchiveSelectionTest.offered(store, ArchiveSelection.builder().asOf(Instant.EPOCH).build()))
                .containsExactly(Map.entry("INBOX", List.of("a", "b", "c")));
    }

    @Test
    void theFirstOpenForWritingUpgradesItAndTimesAreRecordedFromThen() throws IOException {
        MboxStore store = MboxStore.builder(dir).clock(Clock.at(UPGRADE)).build();
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            assertThat(a.messages()).extracting(ArchivedMessage::uid).containsExactly(1L, 2L, 3L);
            ArchiveSelectionTest.append(a, 4, "d", "2026-11-30T00:00:00Z");
        }
        String index = Files.readString(dir.resolve("INBOX.mbox.index"), StandardCharsets.UTF_8);
        assertThat(index).startsWith("H imapbackup-index " + IndexFormat.VERSION + " none / INBOX 2026-12-01T12:00:00Z - ");
        try (BackupArchive archive = store.read()) {
            assertThat(archive.messages(INBOX).toList()).extracting(StoredMessage::archivedAt).containsExactly(
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(UPGRADE));
            assertThat(archive.verify().ok()).isTrue();
        }
        // b was marked expunged before times were recorded, so at the latest at the upgrade
        assertThat(ArchiveSelectionTest.offered(store, ArchiveSelection.builder().asOf(UPGRADE.minusSeconds(1)).build()))
                .containsExactly(Map.entry("INBOX", List.of("a", "b", "c")));
        assertThat(ArchiveSelectionTest.offered(store, ArchiveSelection.builder().asOf(UPGRADE).build()))
                .containsExactly(Map.entry("INBOX", List.of("a", "c", "d")));
        assertThat(ArchiveSelectionTest.offered(store, ArchiveSelection.builder().expungedOnly(true).build()))
                .containsExactly(Map.entry("INBOX", List.of("b")));
    }

    @Test
    void anMboxWithoutIndexAsTheOriginalScriptLeftItIsOfferedAtAnyTime() throws IOException {
        Files.delete(dir.resolve("INBOX.mbox.index"));
        MboxStore store = MboxStore.builder(dir).build();
        for (Instant t : List.of(Instant.EPOCH, UPGRADE)) {
            assertThat(ArchiveSelectionTest.offered(store, ArchiveSelection.builder().asOf(t).build()))
                    .containsExactly(Map.entry("INBOX", List.of("a", "b", "c")));
        }
        assertThat(ArchiveSelectionTest.offered(store, ArchiveSelection.builder().expungedOnly(true).build())).isEmpty();
    }

    /** Fixed clocks. */
    static final class Clock {
        static java.time.Clock at(Instant t) {
            return java.time.Clock.fixed(t, java.time.ZoneOffset.UTC);
        }
    }
}
