package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static io.github.imapbackup.mbox.StoreFixtures.newMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cuts the mbox and the index at every byte offset a crash could leave and checks the repair. */
@Timeout(60)
class CrashRepairTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static final List<byte[]> COMMITTED = List.of(
            "Message-ID: <1@x>\r\nSubject: one\r\n\r\nFrom me\r\n".getBytes(StandardCharsets.US_ASCII),
            "Message-ID: <2@x>\n\n>From you\nno newline".getBytes(StandardCharsets.US_ASCII),
            "Message-ID: <3@x>\n\nthree\n".getBytes(StandardCharsets.US_ASCII));
    private static final List<byte[]> UNCOMMITTED = List.of(
            "Message-ID: <4@x>\n\nfour, never committed\n".getBytes(StandardCharsets.US_ASCII),
            "Message-ID: <5@x>\n\nfive\nFrom nobody\n".getBytes(StandardCharsets.US_ASCII));
    private static final byte[] LATER = "Message-ID: <6@x>\n\nsix\n".getBytes(StandardCharsets.US_ASCII);

    /** Runs a test once for each codec named; a codec whose library is missing is skipped. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "bzip2", "xz", "zstd"})
    private @interface EveryCodec { }

    /** The files of one folder at two moments. */
    private record States(CompressionCodec codec, String mboxName, byte[] mbox0, byte[] index0, byte[] mbox1, byte[] index1,
            List<ArchivedMessage> committed) { }

    private static MboxStore store(Path root, CompressionCodec codec) {
        return MboxStore.builder(root).codec(codec).build();
    }

    /** Skips the test when the codec named is not available, else builds its states under {@code tmp/base}. */
    private static States states(String codecName, Path tmp) throws IOException {
        CompressionCodec codec = Codecs.byName(codecName);
        assumeTrue(codec.isAvailable());
        return states(tmp.resolve("base"), codec);
    }

    /** Builds a committed archive (two commits, so two members when compressed), then a later state. */
    private static States states(Path dir, CompressionCodec codec) throws IOException {
        MboxStore store = store(dir, codec);
        List<ArchivedMessage> committed;
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            long uid = 1;
            for (byte[] m : COMMITTED) {
                a.append(newMessage(9, uid++, m), new ByteArrayInputStream(m));
                if (uid == 2) {
                    a.commit();
                }
            }
            a.commit();
            committed = a.messages();
        }
        String mboxName = "INBOX.mbox" + codec.suffix();
        byte[] mbox0 = Files.readAllBytes(dir.resolve(mboxName));
        byte[] index0 = Files.readAllBytes(dir.resolve("INBOX.mbox.index"));
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            long uid = 4;
            for (byte[] m : UNCOMMITTED) {
                a.append(newMessage(9, uid++, m), new ByteArrayInputStream(m));
            }
            a.updateFlags(1, java.util.Set.of("\\Deleted"));
        }
        byte[] mbox1 = Files.readAllBytes(dir.resolve(mboxName));
        byte[] index1 = Files.readAllBytes(dir.resolve("INBOX.mbox.index"));
        assertThat(Arrays.copyOf(mbox1, mbox0.length)).isEqualTo(mbox0);
        assertThat(Arrays.copyOf(index1, index0.length)).isEqualTo(index0);
        return new States(codec, mboxName, mbox0, index0, mbox1, index1, committed);
    }

    /** Puts the files in place, opens (repairs), checks, appends, verifies. */
    private static void checkRepair(Path dir, CompressionCodec codec, States s, byte[] mbox, byte[] index,
            List<ArchivedMessage> expected, String what) throws IOException {
        checkRepair(dir, codec, s, mbox, index, expected, what, true);
    }

    /**
     * Puts the files in place, opens (repairs) and checks the messages; with {@code full} also
     * appends one more message and verifies the whole directory.
     */
    private static void checkRepair(Path dir, CompressionCodec codec, States s, byte[] mbox, byte[] index,
            List<ArchivedMessage> expected, String what, boolean full) throws IOException {
        reset(dir);
        Files.write(dir.resolve(s.mboxName()), mbox);
        Files.write(dir.resolve("INBOX.mbox.index"), index);
        MboxStore store = store(dir, codec);
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            assertThat(a.messages()).as(what).isEqualTo(expected);
            for (int i = 0; i < expected.size(); i++) {
                try (InputStream in = a.openMessage(a.messages().get(i))) {
                    byte[] want = i < COMMITTED.size() ? COMMITTED.get(i) : UNCOMMITTED.get(i - COMMITTED.size());
                    assertThat(in.readAllBytes()).as(what).isEqualTo(want);
                }
            }
            if (!full) {
                return;
            }
            a.append(newMessage(9, 6, LATER), new ByteArrayInputStream(LATER));
        }
        BackupVerifier.Result r = new BackupVerifier(dir).verify();
        assertThat(r.problems()).as(what).isEmpty();
        assertThat(r.messages()).as(what).isEqualTo(expected.size() + 1);
    }

    /** A tail left after the last commit is repaired: complete messages kept, the rest set aside. */
    @Nested
    class TornTails {

        /**
         * Every cut of the uncommitted tail: complete messages are kept and indexed, a torn rest is set
         * aside into a file named {@code INBOX.mbox….torn-…}; no byte is lost (the repaired mbox plus the
         * set-aside file are the cut mbox), and a second open changes nothing.
         */
        @EveryCodec
        void everyCutOfTheUncommittedMboxTailKeepsCompleteMessagesAndSetsTheRestAside(String name,
                @TempDir Path tmp) throws IOException {
            States s = states(name, tmp);
            CompressionCodec codec = s.codec();
            // the index as it was before the commit record reached the disk: every record but the last
            byte[] indexNoCommit = Arrays.copyOf(s.index1(), lastLineStart(s.index1()));
            List<Long> ends = new ArrayList<>();
            try (FolderArchive a = store(tmp.resolve("base"), codec).openReadOnly(INBOX).orElseThrow()) {
                for (ArchivedMessage m : a.messages().subList(COMMITTED.size() + 1, a.messages().size())) {
                    ends.add(m.offset());
                }
            }
            ends.add((long) s.mbox1().length);
            Path dir = tmp.resolve("case");
            for (int cut = s.mbox0().length; cut <= s.mbox1().length; cut++) {
                String what = name + " mbox cut at " + cut;
                byte[] mbox = Arrays.copyOf(s.mbox1(), cut);
                reset(dir);
                Files.write(dir.resolve(s.mboxName()), mbox);
                Files.write(dir.resolve("INBOX.mbox.index"), indexNoCommit);
                List<ArchivedMessage> found;
                try (FolderArchive a = store(dir, codec).open(INBOX, EXTRACTOR)) {
                    found = a.messages();
                    assertThat(found.subList(0, COMMITTED.size())).as(what).isEqualTo(s.committed());
                    int complete = codec.suffix().isEmpty() ? (int) ends.stream().filter(e -> e <= mbox.length).count()
                            : cut == s.mbox1().length ? UNCOMMITTED.size() : 0;
                    if (codec.suffix().isEmpty() && cut > s.mbox0().length && !ends.contains((long) cut)) {
                        // a torn message (or one whose successor's From_ line is torn) is set aside; a
                        // cut just after an empty line inside a message keeps that part as a message
                        assertThat(found.size()).as(what).isBetween(COMMITTED.size() + complete - 1,
                                COMMITTED.size() + complete + 1);
                        complete = Math.max(0, complete - 1);
                    } else {
                        assertThat(found).as(what).hasSize(COMMITTED.size() + complete);
                    }
                    for (int i = 0; i < complete; i++) {
                        ArchivedMessage m = found.get(COMMITTED.size() + i);
                        assertThat(m.uid()).as(what).isZero();
                        try (InputStream in = a.openMessage(m)) {
                            assertThat(in.readAllBytes()).as(what).isEqualTo(UNCOMMITTED.get(i));
                        }
                    }
                }
                List<Path> torn = tornFiles(dir);
                byte[] now = Files.readAllBytes(dir.resolve(s.mboxName()));
                byte[] aside = torn.isEmpty() ? new byte[0] : Files.readAllBytes(torn.get(0));
                assertThat(torn).as(what).hasSizeLessThanOrEqualTo(1);
                if (codec.suffix().isEmpty()) {
                    assertThat(concat(now, aside)).as(what).isEqualTo(mbox);
                } else if (torn.isEmpty()) {
                    assertThat(Arrays.copyOf(now, mbox.length)).as(what).isEqualTo(mbox);
                } else {
                    assertThat(now).as(what).isEqualTo(s.mbox0());
                    assertThat(aside).as(what).isEqualTo(Arrays.copyOfRange(mbox, s.mbox0().length, mbox.length));
                }
                try (FolderArchive a = store(dir, codec).open(INBOX, EXTRACTOR)) {
                    assertThat(a.messages()).as(what + ", reopened").isEqualTo(found);
                    if (cut % 5 == 0 || cut == s.mbox1().length) {
                        a.append(newMessage(9, 6, LATER), new ByteArrayInputStream(LATER));
                    }
                }
                assertThat(tornFiles(dir)).as(what + ", reopened").isEqualTo(torn);
                BackupVerifier.Result r = new BackupVerifier(dir).verify();
                assertThat(r.problems()).as(what).isEmpty();
            }
        }

        @EveryCodec
        void everyCutOfTheUncommittedIndexTailIsRepaired(String name, @TempDir Path tmp) throws IOException {
            States s = states(name, tmp);
            CompressionCodec codec = s.codec();
            Path dir = tmp.resolve("case");
            List<ArchivedMessage> all = new ArrayList<>();
            try (FolderArchive a = store(tmp.resolve("base"), codec).openReadOnly(INBOX).orElseThrow()) {
                all.addAll(a.messages());
            }
            assertThat(all).hasSize(5);
            // without the second commit record the two complete messages after the first commit are
            // kept and indexed as a rebuilt index would (UID 0, no flags)
            List<ArchivedMessage> kept = new ArrayList<>(s.committed());
            for (ArchivedMessage m : all.subList(COMMITTED.size(), all.size())) {
                kept.add(new ArchivedMessage(0, 0, m.identity(), m.offset(), m.length(), m.sha256(), m.length(),
                        m.internalDate(), java.util.Set.of(), false));
            }
            for (int cut = s.index0().length; cut < s.index1().length; cut++) {
                checkRepair(dir, codec, s, s.mbox1(), Arrays.copyOf(s.index1(), cut), kept,
                        name + " index cut at " + cut, cut % 5 == 0 || cut == s.index0().length);
                assertThat(tornFiles(dir)).isEmpty();
            }
            // the complete second commit: nothing is lost, both uncommitted messages became committed
            checkRepair(dir, codec, s, s.mbox1(), s.index1(), all, name + " complete");
        }

        @EveryCodec
        void garbageAfterTheLastCommitIsSetAsideNotDeleted(String name, @TempDir Path tmp) throws IOException {
            States s = states(name, tmp);
            CompressionCodec codec = s.codec();
            long seed = seeds.pick();
            Random rnd = new Random(seed);
            Path dir = tmp.resolve("case");
            for (int i = 0; i < 30; i++) {
                String what = name + " junk seed " + seed + " (-Dimapbackup.seed) case " + i;
                byte[] junk = new byte[rnd.nextInt(300) + 1];
                rnd.nextBytes(junk);
                if (i % 3 == 0) {
                    Arrays.fill(junk, (byte) 0);
                }
                byte[] index = Arrays.copyOf(s.index0(), s.index0().length + junk.length);
                System.arraycopy(junk, 0, index, s.index0().length, junk.length);
                checkRepair(dir, codec, s, concat(s.mbox0(), junk), index, s.committed(), what, i % 5 == 0);
                List<Path> torn = tornFiles(dir);
                assertThat(torn).as(what).hasSize(1);
                assertThat(Files.readAllBytes(torn.get(0))).as(what).isEqualTo(junk);
            }
        }
    }

    /** Damage to what was committed is an error, never repaired by cutting. */
    @Nested
    class Damage {

        @EveryCodec
        void mboxShorterThanCommittedIsAnErrorNeverIgnored(String name, @TempDir Path tmp) throws IOException {
            States s = states(name, tmp);
            CompressionCodec codec = s.codec();
            Path dir = tmp.resolve("case");
            for (int cut : new int[] {0, 1, s.mbox0().length / 2, s.mbox0().length - 1}) {
                reset(dir);
                Files.write(dir.resolve(s.mboxName()), Arrays.copyOf(s.mbox0(), cut));
                Files.write(dir.resolve("INBOX.mbox.index"), s.index0());
                MboxStore store = store(dir, codec);
                assertThatThrownBy(() -> store.open(INBOX, EXTRACTOR)).isInstanceOf(MalformedMboxException.class)
                        .hasMessageContaining("shorter").hasMessageContaining(s.mboxName())
                        .hasMessageContaining(cut + " bytes instead of " + s.mbox0().length)
                        .hasMessageContaining("put the complete mbox back, or move the index away");
                assertThatThrownBy(() -> store.openReadOnly(INBOX)).isInstanceOf(MalformedMboxException.class);
                assertThat(Files.size(dir.resolve(s.mboxName()))).isEqualTo(cut);
                assertThat(new BackupVerifier(dir).verify().ok()).isFalse();
            }
            Files.delete(dir.resolve(s.mboxName()));
            assertThatThrownBy(() -> store(dir, codec).open(INBOX, EXTRACTOR)).isInstanceOf(MalformedMboxException.class)
                    .hasMessageContaining("missing");
            assertThat(Files.exists(dir.resolve(s.mboxName()))).isFalse();
        }

        @Test
        void damageBeforeALaterCommitIsReportedNotTruncated(@TempDir Path tmp) throws IOException {
            States s = states(tmp.resolve("base"), Codecs.NONE);
            Path dir = tmp.resolve("case");
            Files.createDirectories(dir);
            byte[] index = s.index0().clone();
            int at = index.length / 2;
            index[at] ^= 0x01;
            Files.write(dir.resolve(s.mboxName()), s.mbox0());
            Files.write(dir.resolve("INBOX.mbox.index"), index);
            assertThatThrownBy(() -> store(dir, Codecs.NONE).open(INBOX, EXTRACTOR)).isInstanceOf(MalformedMboxException.class)
                    .hasMessageContaining("delete the index");
            assertThat(Files.readAllBytes(dir.resolve("INBOX.mbox.index"))).isEqualTo(index);
            assertThat(Files.readAllBytes(dir.resolve(s.mboxName()))).isEqualTo(s.mbox0());
        }
    }

    private static List<Path> tornFiles(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("INBOX.mbox")
                    && p.getFileName().toString().contains(".torn-")).sorted().toList();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void reset(Path dir) throws IOException {
        if (Files.exists(dir)) {
            PathUtils.deleteDirectory(dir);
        }
        Files.createDirectories(dir);
    }

    private static int lastLineStart(byte[] b) {
        int i = b.length - 2;
        while (i >= 0 && b[i] != '\n') {
            i--;
        }
        return i + 1;
    }
}
