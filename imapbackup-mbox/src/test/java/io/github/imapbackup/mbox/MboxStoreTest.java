package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static io.github.imapbackup.mbox.StoreFixtures.Q3;
import static io.github.imapbackup.mbox.StoreFixtures.message;
import static io.github.imapbackup.mbox.StoreFixtures.newMessage;
import static io.github.imapbackup.mbox.StoreFixtures.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.spi.FolderState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(30)
class MboxStoreTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    /** What is appended comes back byte for byte, across commits, reopens and codecs. */
    @Nested
    class Bytes {

        static Stream<String> codecs() {
            return Codecs.all().stream().map(CompressionCodec::name);
        }

        @ParameterizedTest
        @MethodSource("codecs")
        void roundTripKeepsExactBytesAcrossCommitsAndReopens(String codec, @TempDir Path root) throws Exception {
            long seed = seeds.pick();
            Random rnd = new Random(seed);
            MboxStore store = store(root, codec);
            List<byte[]> originals = new ArrayList<>();
            List<ArchivedMessage> appended = new ArrayList<>();
            long uid = 1;
            for (int run = 0; run < 3; run++) {
                try (FolderArchive a = store.open(Q3, EXTRACTOR)) {
                    assertThat(a.messages()).as("seed %d", seed).isEqualTo(appended);
                    for (int batch = 0; batch < 3; batch++) {
                        for (int i = 0; i < 5; i++) {
                            byte[] m = message(rnd, (int) uid);
                            ArchivedMessage am = a.append(newMessage(7, uid++, m), new ByteArrayInputStream(m));
                            assertThat(am.sha256()).isEqualTo(sha256(m));
                            assertThat(am.length()).isEqualTo(m.length);
                            originals.add(m);
                            appended.add(am);
                        }
                        if (batch < 2) {
                            a.commit();
                        }
                    }
                    // uncommitted messages are readable too
                    assertThat(read(a, appended.get(appended.size() - 1))).isEqualTo(originals.get(originals.size() - 1));
                    a.state(new FolderState(Q3.name(), "/", 7, uid, 0, uid - 1));
                }
            }
            try (FolderArchive a = store.open(Q3, EXTRACTOR)) {
                assertThat(a.messages()).as("seed %d", seed).isEqualTo(appended);
                assertThat(a.state()).contains(new FolderState(Q3.name(), "/", 7, uid, 0, uid - 1));
                for (int i = 0; i < appended.size(); i++) {
                    byte[] got = read(a, a.messages().get(i));
                    assertThat(got).as("seed %d message %d", seed, i).isEqualTo(originals.get(i));
                    assertThat(sha256(got)).isEqualTo(appended.get(i).sha256());
                }
            }
            // any order, partial reads, streams left open while the next is read
            try (FolderArchive a = store.openReadOnly(Q3).orElseThrow()) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < appended.size(); i++) {
                    order.add(i);
                }
                java.util.Collections.shuffle(order, rnd);
                InputStream left = null;
                for (int i : order) {
                    InputStream in = a.openMessage(a.messages().get(i));
                    if (rnd.nextInt(3) == 0) {
                        in.read(new byte[8]);
                        if (left != null) {
                            left.close();
                        }
                        left = in;
                        continue;
                    }
                    try (in) {
                        assertThat(in.readAllBytes()).as("seed %d message %d", seed, i).isEqualTo(originals.get(i));
                    }
                }
                if (left != null) {
                    left.close();
                }
            }
            assertThat(store.location(Q3)).isEqualTo("Archive/2019/Q3.mbox" + Codecs.byName(codec).suffix());
            assertThat(store.folders()).containsExactly(new FolderInfo(Q3.name(), "/", Set.of(), false));
            assertThat(new BackupVerifier(root).verify().problems()).as("seed %d", seed).isEmpty();
            // the whole file is one mbox: the reader sees every message
            try (MboxReader r = MboxReader.open(root.resolve(store.location(Q3)))) {
                int n = 0;
                for (MboxEntry e = r.next(); e != null; e = r.next()) {
                    try (InputStream in = e.content()) {
                        in.readAllBytes();
                    }
                    assertThat(e.offset()).isEqualTo(appended.get(n).offset());
                    n++;
                }
                assertThat(n).isEqualTo(appended.size());
            }
        }

        @ParameterizedTest
        @MethodSource("codecs")
        void updatesAreReflectedAndSurviveReopen(String codec, @TempDir Path root) throws Exception {
            MboxStore store = store(root, codec);
            byte[] m1 = "Message-ID: <a@x>\r\n\r\nbody\r\n".getBytes();
            byte[] m2 = "Message-ID: <b@x>\r\n\r\nbody two".getBytes();
            ArchivedMessage first;
            try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
                first = a.append(newMessage(5, 10, m1), new ByteArrayInputStream(m1));
                a.append(newMessage(5, 11, m2), new ByteArrayInputStream(m2));
                a.state(new FolderState("INBOX", "/", 5, 12, 99, 2));
                a.commit();
                a.updateFlags(10, Set.of("\\Answered", "Keyword with space"));
                a.markExpunged(11);
                assertThat(a.messages().get(0).flags()).containsExactlyInAnyOrder("\\Answered", "Keyword with space");
                assertThat(a.messages().get(1).expunged()).isTrue();
            }
            try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
                assertThat(a.messages().get(0).flags()).containsExactlyInAnyOrder("\\Answered", "Keyword with space");
                assertThat(a.messages().get(1).expunged()).isTrue();
                a.adopt(a.messages().get(0), 6, 1, Set.of("\\Seen"));
                a.state(new FolderState("INBOX", "/", 6, 2, 0, 1));
                assertThatThrownBy(() -> a.updateFlags(999, Set.of())).isInstanceOf(IllegalArgumentException.class);
            }
            try (FolderArchive a = store.openReadOnly(INBOX).orElseThrow()) {
                ArchivedMessage adopted = a.messages().get(0);
                assertThat(adopted.uidValidity()).isEqualTo(6);
                assertThat(adopted.uid()).isEqualTo(1);
                assertThat(adopted.offset()).isEqualTo(first.offset());
                assertThat(adopted.flags()).containsExactly("\\Seen");
                assertThat(read(a, adopted)).isEqualTo(m1);
                assertThat(read(a, a.messages().get(1))).isEqualTo(m2);
                assertThat(a.state().orElseThrow().uidValidity()).isEqualTo(6);
                assertThatThrownBy(() -> a.append(newMessage(6, 3, m1), new ByteArrayInputStream(m1)))
                        .isInstanceOf(IllegalStateException.class);
            }
        }

        @Test
        void existingFileKeepsItsCodec(@TempDir Path root) throws Exception {
            assumeTrue(Codecs.byName("zstd").isAvailable());
            byte[] m = "Message-ID: <a@x>\n\nhello\n".getBytes();
            try (FolderArchive a = store(root, "gzip").open(INBOX, EXTRACTOR)) {
                a.append(newMessage(1, 1, m), new ByteArrayInputStream(m));
            }
            MboxStore zstd = store(root, "zstd");
            try (FolderArchive a = zstd.open(INBOX, EXTRACTOR)) {
                a.append(newMessage(1, 2, m), new ByteArrayInputStream(m));
            }
            assertThat(zstd.location(INBOX)).isEqualTo("INBOX.mbox.gz");
            try (Stream<Path> s = Files.list(root)) {
                assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("INBOX.mbox.gz", "INBOX.mbox.index", DirectoryLayout.RECORD);
            }
            try (FolderArchive a = zstd.openReadOnly(INBOX).orElseThrow()) {
                assertThat(a.messages()).hasSize(2);
                assertThat(read(a, a.messages().get(1))).isEqualTo(m);
            }
        }

        @Test
        void sourceFailureLeavesNothingOfTheMessage(@TempDir Path root) throws Exception {
            for (String codec : List.of("none", "gzip")) {
                Path dir = root.resolve(codec);
                MboxStore store = store(dir, codec);
                byte[] ok = "Message-ID: <ok@x>\n\nfine\n".getBytes();
                try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
                    a.append(newMessage(1, 1, ok), new ByteArrayInputStream(ok));
                    InputStream failing = new InputStream() {
                        private int n;

                        @Override
                        public int read() throws IOException {
                            if (n++ > 100_000) {
                                throw new IOException("connection reset");
                            }
                            return 'x';
                        }
                    };
                    assertThatThrownBy(() -> a.append(newMessage(1, 2, ok), failing)).isInstanceOf(FolderException.class)
                            .hasMessageContaining("connection reset");
                    assertThat(a.messages()).hasSize(1);
                    a.append(newMessage(1, 3, ok), new ByteArrayInputStream(ok));
                }
                try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
                    assertThat(a.messages()).extracting(ArchivedMessage::uid).containsExactly(1L, 3L);
                    assertThat(read(a, a.messages().get(1))).isEqualTo(ok);
                }
                assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
                try (Stream<Path> s = Files.list(dir)) {
                    assertThat(s.filter(p -> p.toString().endsWith(".spool"))).isEmpty();
                }
            }
        }

        @Test
        void emptyAndNewlineLessMessagesRoundTrip(@TempDir Path root) throws Exception {
            MboxStore store = store(root, "none");
            List<byte[]> cases = List.of(new byte[0], "x".getBytes(), "\n".getBytes(), "From x\n".getBytes(),
                    ">From y".getBytes(), "a\r\n\r\n".getBytes());
            try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
                long uid = 1;
                for (byte[] c : cases) {
                    a.append(newMessage(1, uid++, c), new ByteArrayInputStream(c));
                }
            }
            try (FolderArchive a = store.openReadOnly(INBOX).orElseThrow()) {
                for (int i = 0; i < cases.size(); i++) {
                    assertThat(read(a, a.messages().get(i))).isEqualTo(cases.get(i));
                }
            }
            assertThat(new BackupVerifier(root).verify().problems()).isEmpty();
        }
    }

    /** One writer per folder, in this process or another; different folders in parallel. */
    @Nested
    class Locking {

        @Test
        void secondOpenOfTheSameFolderFailsClearly(@TempDir Path root) throws Exception {
            MboxStore store = store(root, "none");
            try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
                assertThatThrownBy(() -> store.open(INBOX, EXTRACTOR)).isInstanceOf(FolderException.class)
                        .hasMessageContaining("already open");
                assertThat(a.messages()).isEmpty();
            }
            FolderArchive again = store.open(INBOX, EXTRACTOR);
            byte[] m = "x\n".getBytes();
            again.append(newMessage(1, 1, m), new ByteArrayInputStream(m));
            again.close();
            again.close();
            assertThatThrownBy(() -> again.append(newMessage(1, 2, m), new ByteArrayInputStream(m)))
                    .isInstanceOf(IllegalStateException.class);
            try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
                assertThat(a.messages()).hasSize(1);
            }
        }

        @Test
        void secondOpenFromAnotherProcessFailsClearly(@TempDir Path root) throws Exception {
            MboxStore store = store(root, "none");
            try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        LockProbe.class.getName(), root.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor()).as(out).isEqualTo(3);
                assertThat(out).contains("another process");
                assertThat(a.messages()).isEmpty();
            }
        }

        @Test
        void differentFoldersCanBeWrittenFromDifferentThreads(@TempDir Path root) throws Exception {
            MboxStore store = store(root, "zstd");
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                FolderInfo f = new FolderInfo("T" + t, "/", Set.of(), true);
                threads.add(new Thread(() -> {
                    try (FolderArchive a = store.open(f, EXTRACTOR)) {
                        for (int i = 1; i <= 50; i++) {
                            byte[] m = ("Message-ID: <" + i + "@" + f.name() + ">\n\nbody\n").getBytes();
                            a.append(newMessage(1, i, m), new ByteArrayInputStream(m));
                            if (i % 10 == 0) {
                                a.commit();
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            BackupVerifier.Result r = new BackupVerifier(root).verify();
            assertThat(r.problems()).isEmpty();
            assertThat(r.messages()).isEqualTo(200);
            assertThat(r.folders()).isEqualTo(4);
        }
    }

    /** The files a store writes: their names, their place and their permissions. */
    @Nested
    class OnDisk {

        @Test
        void filesAreOwnerOnly(@TempDir Path root) throws Exception {
            assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"));
            Path dir = root.resolve("backup");
            try (FolderArchive a = store(dir, "gzip").open(Q3, EXTRACTOR)) {
                byte[] m = "x\n".getBytes();
                a.append(newMessage(1, 1, m), new ByteArrayInputStream(m));
            }
            for (String rel : List.of("Archive/2019/Q3.mbox.gz", "Archive/2019/Q3.mbox.index")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(rel)))).isEqualTo("rw-------");
            }
            for (String rel : List.of("", "Archive", "Archive/2019")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(rel)))).isEqualTo("rwx------");
            }
        }

        @Test
        void folderWhoseFileNameIsTakenFailsClearly(@TempDir Path root) throws Exception {
            MboxStore store = store(root, "none");
            FolderInfo parent = new FolderInfo("A", "/", Set.of(), true);
            FolderInfo child = new FolderInfo("A.mbox/B", "/", Set.of(), true);
            try (FolderArchive a = store.open(parent, EXTRACTOR)) {
                assertThat(a.messages()).isEmpty();
            }
            assertThatThrownBy(() -> store.open(child, EXTRACTOR)).isInstanceOf(FolderException.class)
                    .hasMessageContaining("another folder");
            FolderInfo upper = new FolderInfo("Inbox", "/", Set.of(), true);
            Files.move(root.resolve("A.mbox.index"), root.resolve("Inbox.mbox.index"));
            Files.move(root.resolve("A.mbox"), root.resolve("Inbox.mbox"));
            assertThatThrownBy(() -> store.open(upper, EXTRACTOR)).isInstanceOf(FolderException.class)
                    .hasMessageContaining("belongs to the folder \"A\"");
        }

        @Test
        void flatLayoutNamesFilesLikeTheOriginalScript(@TempDir Path root) throws Exception {
            MboxStore store = MboxStore.builder(root).codec("gzip").layout(Layout.FLAT).build();
            FolderInfo dotted = new FolderInfo("Archive/v1.2", "/", Set.of(), true);
            byte[] m = "Message-ID: <f@x>\n\nflat\n".getBytes();
            for (FolderInfo f : List.of(Q3, dotted)) {
                try (FolderArchive a = store.open(f, EXTRACTOR)) {
                    a.append(newMessage(1, 1, m), new ByteArrayInputStream(m));
                }
            }
            assertThat(store.location(Q3)).isEqualTo("Archive.2019.Q3.mbox.gz");
            assertThat(store.toBuilder().layout(Layout.NESTED).build().location(Q3)).isEqualTo("Archive/2019/Q3.mbox.gz");
            assertThat(store.toBuilder().build().layout()).isEqualTo(Layout.FLAT);
            assertThat(store.location(dotted)).isEqualTo("Archive.v1%2E2.mbox.gz");
            assertThat(root.resolve("Archive.2019.Q3.mbox.gz")).isRegularFile();
            assertThat(root.resolve("Archive.v1%2E2.mbox.index")).isRegularFile();
            assertThat(store.folders()).extracting(FolderInfo::name).containsExactly("Archive/2019/Q3", "Archive/v1.2");
            assertThat(new BackupVerifier(root).verify().problems()).isEmpty();
        }

        @Test
        void hostileFolderNamesNeverWriteOutsideTheBackupDirectory(@TempDir Path tmp) throws Exception {
            Path root = tmp.resolve("backup");
            MboxStore store = store(root, "gzip");
            byte[] m = "x\n".getBytes();
            List<FolderInfo> hostile = List.of(new FolderInfo("../../escape", "/", Set.of(), true),
                    new FolderInfo("/etc/passwd", "/", Set.of(), true), new FolderInfo("..", "", Set.of(), true),
                    new FolderInfo("a\\..\\..\\b", "\\", Set.of(), true), new FolderInfo("nul\0byte", "/", Set.of(), true),
                    new FolderInfo("x".repeat(400) + "/" + "y".repeat(300), "/", Set.of(), true));
            for (FolderInfo f : hostile) {
                try (FolderArchive a = store.open(f, EXTRACTOR)) {
                    a.append(newMessage(1, 1, m), new ByteArrayInputStream(m));
                }
            }
            try (Stream<Path> s = Files.walk(tmp)) {
                assertThat(s.filter(Files::isRegularFile)).allSatisfy(p -> assertThat(p.toRealPath()).startsWith(root.toRealPath()))
                        .hasSize(2 * hostile.size() + 1); // and the layout record
            }
            assertThat(store.folders()).extracting(FolderInfo::name)
                    .containsExactlyInAnyOrderElementsOf(hostile.stream().map(FolderInfo::name).toList());
            for (FolderInfo f : hostile) {
                try (FolderArchive a = store.openReadOnly(f).orElseThrow()) {
                    assertThat(read(a, a.messages().get(0))).isEqualTo(m);
                }
            }
        }
    }

    private static MboxStore store(Path root, String codec) {
        CompressionCodec c = Codecs.byName(codec);
        assumeTrue(c.isAvailable(), codec + " is not available");
        return MboxStore.builder(root).codec(c).build();
    }

    static byte[] read(FolderArchive a, ArchivedMessage m) throws IOException {
        try (InputStream in = a.openMessage(m)) {
            return in.readAllBytes();
        }
    }

    /** Tries to open INBOX from a separate JVM; exit 3 with the message when it is locked. */
    static final class LockProbe {
        public static void main(String[] args) throws IOException {
            try (FolderArchive a = MboxStore.builder(Path.of(args[0])).build().open(INBOX, EXTRACTOR)) {
                System.exit(a.messages().size());
            } catch (FolderException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}
