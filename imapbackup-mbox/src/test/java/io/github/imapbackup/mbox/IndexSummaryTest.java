package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static io.github.imapbackup.mbox.StoreFixtures.newMessage;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.FolderState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The summary beside a folder index (docs/FORMAT-index.md, "The summary"): an unchanged folder
 * opens without reading its index, and a summary that does not describe the index, whatever a
 * crash or another program left, is never trusted: the open reads the index, as without a summary,
 * and never fails because of it.
 */
@Timeout(60)
class IndexSummaryTest {

    private static final byte[] A = bytes("a", "same bytes");
    private static final byte[] B = bytes("b", "other");
    private static final byte[] C = bytes("c", "expunged later");

    @TempDir
    Path dir;
    private MboxStore store;
    private Path index;
    private Path summary;

    private static byte[] bytes(String id, String body) {
        return ("Message-ID: <" + id + "@x>\r\n\r\n" + body + "\r\n").getBytes(ISO_8859_1);
    }

    /**
     * Two UIDVALIDITY generations: under 4 one message; under 5 the same bytes twice, another
     * message, and one the server expunged (kept): one duplicate under 5, none under 4.
     */
    @BeforeEach
    void seed() throws IOException {
        store = MboxStore.builder(dir).build();
        index = dir.resolve("INBOX.mbox.index");
        summary = dir.resolve("INBOX.mbox.isum");
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            append(a, 4, 1, A);
            a.state(new FolderState("INBOX", "/", 4, 2, 7, 1));
            a.commit();
        }
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            a.state(new FolderState("INBOX", "/", 5, 1, 0, 0));
            append(a, 5, 1, A);
            append(a, 5, 2, B);
            append(a, 5, 3, A);
            append(a, 5, 4, C);
            a.commit();
            a.markExpunged(4);
            a.state(new FolderState("INBOX", "/", 5, 5, 9, 3));
            a.commit();
        }
    }

    private static void append(FolderArchive a, long uv, long uid, byte[] content) throws IOException {
        a.append(newMessage(uv, uid, content), new ByteArrayInputStream(content));
    }

    /** What an open reading the whole index says. */
    private record Truth(Optional<FolderState> state, long duplicates5, long duplicates4, int messages) { }

    private Truth truth(FolderArchive a) {
        return new Truth(a.state(), a.duplicates(5), a.duplicates(4), a.messages().size());
    }

    private Truth truthWithoutSummary() throws IOException {
        Path saved = dir.resolve("saved-summary");
        boolean had = Files.exists(summary);
        if (had) {
            Files.move(summary, saved);
        }
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            assertThat(((MboxFolderArchive) a).indexRead()).isTrue();
            return truth(a);
        } finally {
            if (had) {
                Files.move(saved, summary, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void anUnchangedFolderOpensWithoutReadingItsIndexAndAnswersAsTheIndex() throws IOException {
        assertThat(summary).exists();
        assertThat(Files.getPosixFilePermissions(summary)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Truth truth = truthWithoutSummary();
        assertThat(truth.duplicates5()).isEqualTo(1);
        assertThat(truth.duplicates4()).isZero();
        assertThat(truth.state()).contains(new FolderState("INBOX", "/", 5, 5, 9, 3));
        byte[] indexBefore = Files.readAllBytes(index);
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            MboxFolderArchive m = (MboxFolderArchive) a;
            assertThat(a.state()).isEqualTo(truth.state());
            assertThat(a.duplicates(5)).isEqualTo(truth.duplicates5());
            assertThat(m.indexRead()).as("state and duplicates come from the summary").isFalse();
            assertThat(truth(a)).isEqualTo(truth); // another UIDVALIDITY, then the messages: read now
            assertThat(m.indexRead()).isTrue();
        }
        assertThat(Files.readAllBytes(index)).isEqualTo(indexBefore);
    }

    @Test
    void aFolderOpenedByItsSummaryWritesAsAnyOtherAndItsNextSummaryDescribesTheNewIndex() throws IOException {
        byte[] d = bytes("d", "new");
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            assertThat(((MboxFolderArchive) a).indexRead()).isFalse();
            a.state(new FolderState("INBOX", "/", 5, 6, 11, 4));
            append(a, 5, 5, d);
            append(a, 5, 6, B);
            a.commit();
        }
        Truth truth = truthWithoutSummary();
        assertThat(truth.messages()).isEqualTo(7);
        assertThat(truth.duplicates5()).isEqualTo(2);
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            assertThat(a.state()).isEqualTo(truth.state());
            assertThat(a.duplicates(5)).isEqualTo(2);
            assertThat(((MboxFolderArchive) a).indexRead()).isFalse();
        }
        try (BackupArchive read = MboxStore.builder(dir).build().read()) {
            assertThat(read.verify().problems()).as("verify accepts the summary file").isEmpty();
        }
    }

    /** What a crash, an older copy or another program can leave. */
    enum Damage {
        /** Never written (a run of an older release), or deleted. */
        SUMMARY_MISSING,
        /** Killed while writing it. */
        SUMMARY_TORN,
        /** Not a summary at all. */
        SUMMARY_GARBAGE,
        /** One digit of a count changed. */
        SUMMARY_BIT_FLIP,
        /** Killed after a commit of the index and before the summary was written again. */
        SUMMARY_OLDER_THAN_INDEX,
        /** Killed while appending records after the commit the summary names. */
        INDEX_TORN_TAIL,
        /** Another program appended a complete commit to the index. */
        INDEX_GREW,
        /** The index was touched or put back from a copy of the same length. */
        INDEX_TOUCHED,
        /** Another folder's summary was copied over it. */
        SUMMARY_OF_ANOTHER_FOLDER,
        /** Messages appended to the mbox by another program (a tail to repair). */
        MBOX_LONGER
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aSummaryThatDoesNotDescribeTheIndexIsNeverTrusted(Damage damage) throws IOException {
        damage(damage);
        Truth truth = truthWithoutSummaryIfDamaged(damage);
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            assertThat(((MboxFolderArchive) a).indexRead()).as("read the index").isTrue();
            assertThat(truth(a)).isEqualTo(truth);
        }
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            assertThat(((MboxFolderArchive) a).indexRead()).as("the new summary is trusted").isFalse();
            assertThat(a.state()).isEqualTo(truth.state());
            assertThat(a.duplicates(5)).isEqualTo(truth.duplicates5());
        }
    }

    /** The truth after the damage, computed on a copy of the directory without the summary. */
    private Truth truthWithoutSummaryIfDamaged(Damage damage) throws IOException {
        Path copy = Files.createTempDirectory(dir.getParent(), "copy");
        for (String f : new String[] {"INBOX.mbox", "INBOX.mbox.index", ".imapbackup"}) {
            Files.copy(dir.resolve(f), copy.resolve(f));
        }
        try (FolderArchive a = MboxStore.builder(copy).build().open(INBOX, EXTRACTOR)) {
            return truth(a);
        }
    }

    private void damage(Damage damage) throws IOException {
        switch (damage) {
            case SUMMARY_MISSING -> Files.delete(summary);
            case SUMMARY_TORN -> {
                byte[] b = Files.readAllBytes(summary);
                Files.write(summary, Arrays.copyOf(b, b.length - 5));
            }
            case SUMMARY_GARBAGE -> {
                byte[] b = new byte[Math.toIntExact(Files.size(summary))];
                new Random(13).nextBytes(b);
                Files.write(summary, b);
            }
            case SUMMARY_BIT_FLIP -> {
                String s = Files.readString(summary, ISO_8859_1);
                int k = s.indexOf("\nK ");
                int at = s.lastIndexOf(' ', s.lastIndexOf(' ') - 1) + 1; // the duplicates count
                assertThat(at).isGreaterThan(k);
                char[] c = s.toCharArray();
                c[at] = c[at] == '1' ? '2' : '1';
                Files.writeString(summary, new String(c), ISO_8859_1);
            }
            case SUMMARY_OLDER_THAN_INDEX -> {
                byte[] old = Files.readAllBytes(summary);
                try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
                    a.state(new FolderState("INBOX", "/", 5, 6, 10, 4));
                    append(a, 5, 5, A);
                    a.commit();
                }
                Files.write(summary, old);
            }
            case INDEX_TORN_TAIL -> Files.write(index, "M 5 7 100".getBytes(ISO_8859_1), StandardOpenOption.APPEND);
            case INDEX_GREW -> {
                IndexRecord.Commit last = IndexSummary.read(summary).commit();
                Files.write(index, IndexFormat.line(new IndexRecord.Flags(0, Set.of("\\Seen"))),
                        StandardOpenOption.APPEND);
                Files.write(index, IndexFormat.line(new IndexRecord.Commit(last.mboxLength(),
                        last.uncompressedLength(), last.messages(), last.time().plusSeconds(1))),
                        StandardOpenOption.APPEND);
            }
            case INDEX_TOUCHED -> Files.setLastModifiedTime(index,
                    FileTime.from(Files.getLastModifiedTime(index).toInstant().plusSeconds(3)));
            case SUMMARY_OF_ANOTHER_FOLDER -> {
                FolderInfo other = new FolderInfo("Other", "/", Set.of(), true);
                try (FolderArchive a = store.open(other, EXTRACTOR)) {
                    a.state(new FolderState("Other", "/", 5, 5, 9, 3));
                    a.commit();
                }
                Files.copy(dir.resolve("Other.mbox.isum"), summary, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            case MBOX_LONGER -> Files.write(dir.resolve("INBOX.mbox"), ("From someone@x Sat Nov 21 23:39:50 2026\n"
                    + "Message-ID: <tail@x>\n\ntail\n\n").getBytes(ISO_8859_1), StandardOpenOption.APPEND);
            default -> throw new AssertionError(damage);
        }
    }

    @Test
    void anMboxShorterThanCommittedFailsAsWithoutASummary() throws IOException {
        Path mbox = dir.resolve("INBOX.mbox");
        byte[] b = Files.readAllBytes(mbox);
        Files.write(mbox, Arrays.copyOf(b, b.length - 10));
        assertThatThrownBy(() -> store.open(INBOX, EXTRACTOR).close()).isInstanceOf(MalformedMboxException.class)
                .hasMessageContaining("shorter");
    }
}
