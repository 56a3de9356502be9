package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup directory written through {@link MboxStore} in three runs at known times (appends,
 * expunges), read back through {@link MboxStore#asSource(ArchiveSelection)} as the engine reads it:
 * each selection offers exactly the expected messages.
 */
@Timeout(60)
class ArchiveSelectionTest {

    static final Instant T1 = Instant.parse("2026-11-01T10:00:00Z");
    static final Instant T2 = Instant.parse("2026-11-02T10:00:00Z");
    static final Instant T3 = Instant.parse("2026-11-03T10:00:00Z");
    static final FolderInfo INBOX = new FolderInfo("INBOX", "/", Set.of(), true);
    static final FolderInfo SENT = new FolderInfo("Sent", "/", Set.of("\\HasNoChildren", "\\sent"), true);

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path dir;
    MboxStore store;

    static byte[] bytes(String id) {
        return ("Message-ID: <" + id + "@x>\r\nSubject: " + id + "\r\n\r\nFrom the body of " + id + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    static void append(FolderArchive a, long uid, String id, String internalDate) throws IOException {
        byte[] b = bytes(id);
        a.append(new FolderArchive.NewMessage(7, uid, EXTRACTOR.identify(new ByteArrayInputStream(b)), b.length,
                Instant.parse(internalDate), uid == 1 ? Set.of("\\Seen") : Set.of(), null), new ByteArrayInputStream(b));
    }

    /** Run 1 at T1: a, b, c. Run 2 at T2: b expunged, d. Run 3 at T3: a expunged, e; Sent: s. */
    @BeforeEach
    void threeRuns() throws IOException {
        MovingClock clock = new MovingClock(T1);
        store = MboxStore.builder(dir).clock(clock).build();
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            append(a, 1, "a", "2026-10-01T08:00:00Z");
            append(a, 2, "b", "2026-10-15T00:00:00Z");
            append(a, 3, "c", "2026-10-31T23:59:59Z");
        }
        clock.now = T2;
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            a.markExpunged(2);
            append(a, 4, "d", "2026-11-02T09:00:00Z");
        }
        clock.now = T3;
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            a.markExpunged(1);
            append(a, 5, "e", "2026-11-03T09:00:00Z");
        }
        try (FolderArchive a = store.open(SENT, EXTRACTOR)) {
            append(a, 1, "s", "2026-11-03T09:30:00Z");
        }
    }

    /** Each folder the source lists, with the ids of its messages (checked against their bytes). */
    static Map<String, List<String>> offered(MboxStore store, ArchiveSelection selection) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (SourceConnection c = store.asSource(selection).connect()) {
            for (FolderInfo f : c.folders()) {
                List<String> ids = new ArrayList<>();
                try (SourceFolder open = c.open(f, EXTRACTOR)) {
                    assertThat(open.status().messages()).isEqualTo(open.uids().length);
                    for (MessageInfo m : open.messages(1)) {
                        try (InputStream in = open.openMessage(m.uid())) {
                            byte[] b = in.readAllBytes();
                            assertThat(EXTRACTOR.identify(new ByteArrayInputStream(b))).isEqualTo(m.identity());
                            assertThat(open.sha256(m.uid())).contains(StoreFixtures.sha256(b));
                        }
                        String v = m.identity().value();
                        ids.add(v.substring(v.indexOf('<') + 1, v.indexOf('@')));
                    }
                }
                out.put(f.name(), ids);
            }
        }
        return out;
    }

    static ArchiveSelection.Builder select() {
        return ArchiveSelection.builder();
    }

    @Test
    void everythingWithoutASelectionAndTheSpecialUseAttributeOfAFolder() throws IOException {
        assertThat(offered(store, ArchiveSelection.all()))
                .containsExactly(Map.entry("INBOX", List.of("a", "b", "c", "d", "e")), Map.entry("Sent", List.of("s")));
        try (SourceConnection c = store.asSource().connect()) {
            assertThat(c.folders()).filteredOn(f -> f.name().equals("Sent")).singleElement()
                    .satisfies(f -> assertThat(f.attributes()).containsExactly("\\Sent"));
            assertThat(c.folders()).filteredOn(f -> f.name().equals("INBOX")).singleElement()
                    .satisfies(f -> assertThat(f.attributes()).isEmpty());
        }
    }

    @Test
    void theIndexRecordsWhenEachMessageWasArchivedAndMarkedExpunged() throws IOException {
        try (BackupArchive archive = store.read()) {
            List<StoredMessage> inbox = archive.messages(INBOX).toList();
            assertThat(inbox).extracting(StoredMessage::archivedAt)
                    .containsExactly(Optional.of(T1), Optional.of(T1), Optional.of(T1), Optional.of(T2), Optional.of(T3));
            assertThat(inbox).extracting(StoredMessage::expungedAt)
                    .containsExactly(Optional.of(T3), Optional.of(T2), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    @Test
    void asOfOffersEachFolderAsItWasThen() throws IOException {
        assertThat(offered(store, select().asOf(T1.minusSeconds(1)).build())).isEmpty();
        assertThat(offered(store, select().asOf(T1).build())).containsExactly(Map.entry("INBOX", List.of("a", "b", "c")));
        assertThat(offered(store, select().asOf(T2.plusSeconds(1800)).build()))
                .containsExactly(Map.entry("INBOX", List.of("a", "c", "d")));
        assertThat(offered(store, select().asOf(T3).build()))
                .containsExactly(Map.entry("INBOX", List.of("c", "d", "e")), Map.entry("Sent", List.of("s")));
    }

    @Test
    void expungedOnlyUndeletesAndWithAsOfGivesWhatWasDeletedSince() throws IOException {
        assertThat(offered(store, select().expungedOnly(true).build()))
                .containsExactly(Map.entry("INBOX", List.of("a", "b")));
        assertThat(offered(store, select().expungedOnly(true).asOf(T2).build()))
                .containsExactly(Map.entry("INBOX", List.of("a")));
    }

    @Test
    void datesAreInternalDatesInUtcSinceInclusiveBeforeExclusive() throws IOException {
        assertThat(offered(store, select().since(LocalDate.of(2026, 10, 15)).before(LocalDate.of(2026, 11, 1)).build()))
                .containsExactly(Map.entry("INBOX", List.of("b", "c")));
        assertThat(offered(store, select().since(LocalDate.of(2026, 11, 3)).build()))
                .containsExactly(Map.entry("INBOX", List.of("e")), Map.entry("Sent", List.of("s")));
        assertThatThrownBy(() -> select().since(LocalDate.of(2026, 1, 2)).before(LocalDate.of(2026, 1, 2)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2026-01-02");
    }

    @Test
    void messageIdsAreCleanedAsTheIdentityIs() throws IOException {
        ArchiveSelection s = select().messageIds(List.of("b@x", " <c@x> (a comment)", "<s@x>")).build();
        assertThat(s.messageIds()).containsExactlyInAnyOrder("<b@x>", "<c@x>", "<s@x>");
        assertThat(offered(store, s)).containsExactly(Map.entry("INBOX", List.of("b", "c")), Map.entry("Sent", List.of("s")));
        assertThatThrownBy(() -> select().messageIds(List.of("<>")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"<>\"");
    }

    @Test
    void uidsStayPositionsSoAFilteredFolderKeepsItsNumbers() throws IOException {
        try (SourceConnection c = store.asSource(select().asOf(T3).build()).connect();
                SourceFolder f = c.open(INBOX, EXTRACTOR)) {
            assertThat(f.uids()).containsExactly(3, 4, 5);
            assertThat(f.status().uidNext()).isEqualTo(6);
            assertThat(f.messages(4)).extracting(MessageInfo::uid).containsExactly(4L, 5L);
            assertThat(f.flags(0)).containsOnlyKeys(3L, 4L, 5L);
            assertThatThrownBy(() -> f.openMessage(1)).hasMessageContaining("no message with UID 1");
        }
    }

    @Test
    void compactionAndRewritesKeepTheTimes() throws IOException {
        FolderInfo renamed = new FolderInfo("INBOX", ".", Set.of(), true); // a new delimiter rewrites the index
        try (FolderArchive a = store.open(renamed, EXTRACTOR)) {
            assertThat(a.messages()).hasSize(5);
        }
        IndexLoader.Loaded loaded;
        try (InputStream in = java.nio.file.Files.newInputStream(dir.resolve("INBOX.mbox.index"))) {
            loaded = IndexLoader.load(in, dir.resolve("INBOX.mbox.index"));
        }
        assertThat(loaded.records()).as("rewritten as its current state: H, 5 M, 2 X, C").isEqualTo(9);
        assertThat(loaded.index().header.since()).isEqualTo(T1);
        assertThat(offered(store, select().asOf(T2.plusSeconds(1800)).build()))
                .containsExactly(Map.entry("INBOX", List.of("a", "c", "d")));
    }

    @Nested
    class Identities {
        @Test
        void theSelectionMatchesTheIdentityTheIndexRecords() {
            assertThat(MessageIdentity.ofMessageId("<b@x>").value()).isEqualTo("mid:<b@x>");
            assertThat(select().messageIds(List.of("b@x")).build().toString()).contains("1 Message-IDs");
            assertThat(ArchiveSelection.all().toString()).isEqualTo("ArchiveSelection[all]");
            assertThat(select().asOf(T1).build()).isEqualTo(select().asOf(T1).build().toBuilder().build());
        }
    }
}
