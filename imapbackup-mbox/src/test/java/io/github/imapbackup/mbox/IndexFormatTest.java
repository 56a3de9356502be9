package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.MessageIdentity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60) // a guard against hanging, not a speed check: 10 s failed once on two loaded cores
class IndexFormatTest {

    private static final String SHA = "ab".repeat(32);

    private static IndexEntry entry(long offset, long end, Set<String> flags, String id) {
        return new IndexEntry(5, 7, new MessageIdentity(id), offset, end, 10, SHA, 12,
                Instant.parse("2026-11-21T23:39:50Z"), 1, -1, -1, flags, false);
    }

    private static IndexRecord roundTrip(IndexRecord r) {
        byte[] line = IndexFormat.line(r);
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        return IndexFormat.parse(line, 0, line.length - 1);
    }

    @Test
    void textFieldsWithSpacesPercentCommasAndDashesRoundTrip() {
        for (String name : List.of("", "-", "a b", "100%", "x,y", "Entwürfe/日本", "tab\there", "--", "%2D")) {
            IndexRecord.Header h = new IndexRecord.Header(1, "gzip", name.isEmpty() ? "" : "/", name);
            assertThat(roundTrip(h)).isEqualTo(h);
        }
        Set<String> flags = Set.of("\\Seen", "$Label,1", "-", "with space", "%");
        IndexRecord.Message m = (IndexRecord.Message) roundTrip(new IndexRecord.Message(
                entry(0, 100, flags, "mid:<a b%c@x>")));
        assertThat(m.entry().flags).isEqualTo(flags);
        assertThat(m.entry().identity.value()).isEqualTo("mid:<a b%c@x>");
        assertThat(m.entry().internalDate).isEqualTo(Instant.parse("2026-11-21T23:39:50Z"));
        assertThat(m.entry().memberStart).isEqualTo(-1);
        IndexRecord.Flags f = new IndexRecord.Flags(42, Set.of());
        assertThat(roundTrip(f)).isEqualTo(f);
        IndexRecord.Commit c = new IndexRecord.Commit(1, 2, 3, Instant.parse("2026-01-02T03:04:05.123Z"));
        assertThat(roundTrip(c)).isEqualTo(c);
        IndexRecord.Exact x = new IndexRecord.Exact(7, 1, 99, "ab".repeat(32), 99);
        assertThat(roundTrip(x)).isEqualTo(x);
    }

    @Test
    void theNewlineFieldRoundTripsAndAConvertedEntryKeepsItsBytes() {
        for (int nl : new int[] {0, 1, IndexEntry.NEWLINE_UNKNOWN, IndexEntry.NEWLINE_CONVERTED}) {
            IndexEntry e = new IndexEntry(5, 7, new MessageIdentity("mid:<a@x>"), 0, 100, 10, SHA, 12,
                    Instant.parse("2026-11-21T23:39:50Z"), nl, -1, -1, Set.of(), false);
            assertThat(((IndexRecord.Message) roundTrip(new IndexRecord.Message(e))).entry().newline).isEqualTo(nl);
        }
        IndexRecord.Exact c = new IndexRecord.Exact(7, IndexEntry.NEWLINE_CONVERTED, 99, "ab".repeat(32), 120);
        assertThat(new String(IndexFormat.line(c), java.nio.charset.StandardCharsets.US_ASCII)).startsWith("E 7 c 99 ");
        assertThat(roundTrip(c)).isEqualTo(c);

        FolderIndex index = new FolderIndex(new IndexRecord.Header(1, "none", "/", "INBOX"));
        IndexEntry rebuilt = new IndexEntry(0, 0, new MessageIdentity("mid:<a@x>"), 0, 100, 10, SHA, 10,
                Instant.parse("2026-11-21T23:39:50Z"), IndexEntry.NEWLINE_UNKNOWN, -1, -1, Set.of(), false);
        index.apply(new IndexRecord.Message(rebuilt));
        assertThatThrownBy(() -> index.apply(new IndexRecord.Exact(0, IndexEntry.NEWLINE_CONVERTED, 10,
                "cd".repeat(32), 12))).as("another SHA-256 than the stored one").isInstanceOf(IllegalArgumentException.class);
        index.apply(new IndexRecord.Exact(0, IndexEntry.NEWLINE_CONVERTED, 10, SHA, 12));
        IndexEntry learned = index.entry(0);
        assertThat(learned.newline).isEqualTo(IndexEntry.NEWLINE_CONVERTED);
        assertThat(learned.length).isEqualTo(10);
        assertThat(learned.sha256).isEqualTo(SHA);
        assertThat(learned.size).isEqualTo(12);
    }

    @Test
    void everyFlippedBitAndEveryTornLineIsDetected() {
        byte[] line = IndexFormat.line(new IndexRecord.Message(entry(0, 100, Set.of("\\Seen"), "mid:<a@x>")));
        for (int i = 0; i < line.length - 1; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = line.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThat(IndexFormat.parse(bad, 0, bad.length - 1)).as("byte %d bit %d", i, bit).isNull();
            }
            assertThat(IndexFormat.parse(line, 0, i)).as("cut at %d", i).isNull();
        }
    }

    @Test
    void loaderStopsAtTheLastCommitAndReportsTheTornTail() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(IndexFormat.line(new IndexRecord.Header(1, "none", "/", "INBOX")));
        out.writeBytes(IndexFormat.line(new IndexRecord.Commit(0, 0, 0, Instant.EPOCH)));
        out.writeBytes(IndexFormat.line(new IndexRecord.Message(entry(0, 100, Set.of(), "mid:<a@x>"))));
        out.writeBytes(IndexFormat.line(new IndexRecord.Commit(100, 100, 1, Instant.EPOCH)));
        int committed = out.size();
        out.writeBytes(IndexFormat.line(new IndexRecord.Message(entry(100, 200, Set.of(), "mid:<b@x>"))));
        byte[] all = out.toByteArray();
        for (int cut = committed; cut <= all.length; cut++) {
            IndexLoader.Loaded l = IndexLoader.load(new ByteArrayInputStream(Arrays.copyOf(all, cut)), Path.of("i"));
            assertThat(l.index().entries()).hasSize(1);
            assertThat(l.validEnd()).isEqualTo(committed);
            assertThat(l.fileLength()).isEqualTo(cut);
        }
    }

    @Test
    void loaderRejectsDamageBeforeALaterCommitAndOverlappingMessages() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(IndexFormat.line(new IndexRecord.Header(1, "none", "/", "INBOX")));
        out.writeBytes(IndexFormat.line(new IndexRecord.Message(entry(0, 100, Set.of(), "mid:<a@x>"))));
        out.writeBytes(IndexFormat.line(new IndexRecord.Message(entry(50, 200, Set.of(), "mid:<b@x>"))));
        out.writeBytes(IndexFormat.line(new IndexRecord.Commit(200, 200, 2, Instant.EPOCH)));
        assertThatThrownBy(() -> IndexLoader.load(new ByteArrayInputStream(out.toByteArray()), Path.of("i")))
                .isInstanceOf(MalformedMboxException.class).hasMessageContaining("overlaps");
        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        out2.writeBytes(IndexFormat.line(new IndexRecord.Header(1, "none", "/", "INBOX")));
        out2.writeBytes("garbage\n".getBytes());
        out2.writeBytes(IndexFormat.line(new IndexRecord.Commit(0, 0, 0, Instant.EPOCH)));
        assertThatThrownBy(() -> IndexLoader.load(new ByteArrayInputStream(out2.toByteArray()), Path.of("i")))
                .isInstanceOf(MalformedMboxException.class).hasMessageContaining("delete the index");
    }

    @Test
    void newerFormatVersionIsRefused() {
        byte[] b = IndexFormat.line(new IndexRecord.Header(IndexFormat.VERSION + 1, "none", "/", "INBOX"));
        assertThatThrownBy(() -> IndexLoader.load(new ByteArrayInputStream(b), Path.of("i")))
                .isInstanceOf(MalformedMboxException.class).hasMessageContaining("version " + (IndexFormat.VERSION + 1))
                .hasMessageContaining("newer version");
    }

    @Test
    void loadsAHundredThousandEntriesStreaming() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(IndexFormat.line(new IndexRecord.Header(1, "none", "/", "INBOX")));
        for (int i = 0; i < 100_000; i++) {
            out.writeBytes(IndexFormat.line(new IndexRecord.Message(entry(i * 100L, i * 100L + 100, Set.of("\\Seen"),
                    "mid:<" + i + "@x>"))));
        }
        out.writeBytes(IndexFormat.line(new IndexRecord.Commit(10_000_000, 10_000_000, 100_000, Instant.EPOCH)));
        IndexLoader.Loaded l = IndexLoader.load(new ByteArrayInputStream(out.toByteArray()), Path.of("i"));
        assertThat(l.index().entries()).hasSize(100_000);
        assertThat(l.index().messages().get(99_999).identity().value()).isEqualTo("mid:<99999@x>");
    }
    /** Commit's equals and hashCode are written out (no record's generated ones on a backup's path): every component counts. */
    @Test
    void commitsAreEqualExactlyWhenEveryComponentIs() {
        Instant t = Instant.parse("2026-12-06T14:00:00Z");
        IndexRecord.Commit c = new IndexRecord.Commit(100, 200, 3, t);
        IndexRecord.Commit same = new IndexRecord.Commit(100, 200, 3, Instant.parse("2026-12-06T14:00:00Z"));
        assertThat(c).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(roundTrip(c)).isEqualTo(c);
        assertThat(List.of(new IndexRecord.Commit(101, 200, 3, t), new IndexRecord.Commit(100, 201, 3, t),
                new IndexRecord.Commit(100, 200, 4, t), new IndexRecord.Commit(100, 200, 3, t.plusSeconds(1))))
                .allSatisfy(other -> assertThat(other).isNotEqualTo(c))
                .extracting(IndexRecord.Commit::hashCode).doesNotContain(c.hashCode());
        assertThat(c).isNotEqualTo(null).isNotEqualTo(new IndexRecord.Expunged(100, t));
    }

    /** The index finds a message by UIDVALIDITY and UID together (its key's equals and hashCode are written out). */
    @Test
    void messagesAreFoundByUidValidityAndUidTogether() {
        FolderIndex index = new FolderIndex(new IndexRecord.Header(1, "none", "/", "INBOX"));
        long offset = 0;
        // the last two differ only in UIDVALIDITY and have the same hash (Long.hashCode of 2^32 is 1's):
        // only equals tells them apart
        long[][] keys = {{7, 1}, {7, 2}, {8, 1}, {1, 7}, {1, 5}, {1L << 32, 5}};
        for (long[] k : keys) {
            index.apply(new IndexRecord.Message(new IndexEntry(k[0], k[1], new MessageIdentity("mid:<" + k[0] + "." + k[1]
                    + "@x>"), offset, offset + 10, 10, SHA, 10, Instant.EPOCH, 0, -1, -1, Set.of(), false)));
            offset += 10;
        }
        for (int i = 0; i < keys.length; i++) {
            assertThat(index.byUid(keys[i][0], keys[i][1])).as("UIDVALIDITY %d UID %d", keys[i][0], keys[i][1])
                    .isSameAs(index.entry(10L * i));
        }
        assertThat(index.byUid(8, 2)).isNull();
        assertThat(index.byUid(2, 7)).isNull();
        index.apply(new IndexRecord.Adopt(0, 9, 5, Set.of()));
        assertThat(index.byUid(7, 1)).as("no longer under its old key").isNull();
        assertThat(index.byUid(9, 5)).isSameAs(index.entry(0));
    }
}
