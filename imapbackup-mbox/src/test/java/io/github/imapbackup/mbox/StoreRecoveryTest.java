package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static io.github.imapbackup.mbox.StoreFixtures.Q3;
import static io.github.imapbackup.mbox.StoreFixtures.newMessage;
import static io.github.imapbackup.mbox.StoreFixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.TargetFolder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lost index, read-only opens, verification, and the system tools reading our files. */
@Timeout(30)
class StoreRecoveryTest {

    private static final List<byte[]> MESSAGES = List.of(
            "Message-ID: <a@x>\r\nSubject: a\r\n\r\nFrom here\r\n>From there\r\n".getBytes(StandardCharsets.US_ASCII),
            "Message-ID: <b@x>\n\nbody b\n".getBytes(StandardCharsets.US_ASCII),
            "Subject: no id\n\nbody c\n".getBytes(StandardCharsets.US_ASCII),
            "Message-ID: <b@x>\n\nsame id, other bytes\n".getBytes(StandardCharsets.US_ASCII));

    private static MboxStore store(Path root, CompressionCodec codec) {
        assumeTrue(codec.isAvailable(), codec.name());
        return MboxStore.builder(root).codec(codec).build();
    }

    /** Writes the messages, one commit per message (several members when compressed). */
    private static List<ArchivedMessage> fill(MboxStore store) throws IOException {
        try (FolderArchive a = store.open(Q3, EXTRACTOR)) {
            long uid = 1;
            for (byte[] m : MESSAGES) {
                a.append(newMessage(3, uid++, m), new ByteArrayInputStream(m));
                a.commit();
            }
            return a.messages();
        }
    }

    private static byte[] read(TargetFolder a, ArchivedMessage m) throws IOException {
        try (InputStream in = a.openMessage(m)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "bzip2", "xz", "zstd"})
    void lostIndexIsRebuiltFromTheMbox(String name, @TempDir Path root) throws IOException {
        MboxStore store = store(root, Codecs.byName(name));
        List<ArchivedMessage> before = fill(store);
        Path index = root.resolve("Archive/2019/Q3.mbox.index");
        Files.delete(index);

        Map<String, String> untouched = snapshot(root);
        try (TargetFolder a = store.inspect(Q3, EXTRACTOR)) {
            assertRebuilt(a, before);
        }
        assertThat(snapshot(root)).isEqualTo(untouched);

        try (FolderArchive a = store.open(Q3, EXTRACTOR)) {
            assertRebuilt(a, before);
            byte[] more = "Message-ID: <d@x>\n\nmore\n".getBytes(StandardCharsets.US_ASCII);
            a.append(newMessage(4, 1, more), new ByteArrayInputStream(more));
        }
        assertThat(index).exists();
        try (FolderArchive a = store.open(Q3, EXTRACTOR)) {
            assertThat(a.messages()).hasSize(MESSAGES.size() + 1);
            assertRebuilt(a, before);
        }
        assertThat(new BackupVerifier(root).verify().problems()).isEmpty();
    }

    private static void assertRebuilt(TargetFolder a, List<ArchivedMessage> before) throws IOException {
        List<ArchivedMessage> got = a.messages();
        for (int i = 0; i < before.size(); i++) {
            ArchivedMessage m = got.get(i);
            assertThat(m.uid()).isZero();
            assertThat(m.uidValidity()).isZero();
            assertThat(m.identity()).isEqualTo(before.get(i).identity());
            assertThat(m.offset()).isEqualTo(before.get(i).offset());
            assertThat(m.sha256()).isEqualTo(before.get(i).sha256());
            assertThat(read(a, m)).isEqualTo(MESSAGES.get(i));
        }
    }

    @Test
    void readOnlyOpenWritesNothing(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("backup");
        MboxStore store = store(root, Codecs.GZIP);
        assertThat(store.openReadOnly(INBOX)).isEmpty();
        assertThat(root).doesNotExist();
        fill(store);
        // leave an uncommitted tail in both files, which open() would repair
        Files.write(root.resolve("Archive/2019/Q3.mbox.gz"), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        Files.write(root.resolve("Archive/2019/Q3.mbox.index"), "M torn".getBytes(), StandardOpenOption.APPEND);
        Map<String, String> before = snapshot(root);
        Thread.sleep(20);
        try (FolderArchive a = store.openReadOnly(Q3).orElseThrow()) {
            assertThat(a.messages()).hasSize(MESSAGES.size());
            for (int i = 0; i < MESSAGES.size(); i++) {
                assertThat(read(a, a.messages().get(i))).isEqualTo(MESSAGES.get(i));
            }
            a.commit();
        }
        assertThat(store.openReadOnly(INBOX)).isEmpty();
        assertThat(store.folders()).hasSize(1);
        new BackupVerifier(root).verify();
        assertThat(snapshot(root)).isEqualTo(before);
    }

    @Test
    void verifierNamesFileOffsetAndUidOfAFlippedByte(@TempDir Path root) throws IOException {
        MboxStore store = store(root, Codecs.NONE);
        List<ArchivedMessage> msgs = fill(store);
        assertThat(new BackupVerifier(root).verify().ok()).isTrue();
        Path mbox = root.resolve("Archive/2019/Q3.mbox");
        byte[] bytes = Files.readAllBytes(mbox);
        ArchivedMessage second = msgs.get(1);
        int at = (int) second.offset() + 60;
        bytes[at] ^= 0x20;
        Files.write(mbox, bytes);
        BackupVerifier.Result r = new BackupVerifier(root).verify();
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).hasSize(1);
        VerifyReport.Problem p = r.problems().get(0);
        assertThat(p.file()).isEqualTo(mbox);
        assertThat(p.uid()).isEqualTo(2);
        assertThat(p.offset()).isEqualTo(second.offset());
        assertThat(p.folder()).isEqualTo(Q3.name());
        assertThat(p.message()).contains("SHA-256");
        assertThat(p.toString()).contains(mbox.toString(), "byte " + second.offset(), "UID 2");
        assertThat(r.messages()).isEqualTo(MESSAGES.size());
        assertThat(new BackupVerifier(root).verify(Q3.name()).problems()).isEqualTo(r.problems());
    }

    @Test
    void verifierFindsDamageInACompressedFileAndUnindexedMessages(@TempDir Path root) throws IOException {
        MboxStore store = store(root, Codecs.GZIP);
        fill(store);
        Path mbox = root.resolve("Archive/2019/Q3.mbox.gz");
        byte[] bytes = Files.readAllBytes(mbox);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(mbox, bytes);
        assertThat(new BackupVerifier(root).verify().problems()).isNotEmpty()
                .allSatisfy(p -> assertThat(p.file()).isEqualTo(mbox));

        Path plain = root.resolve("plain");
        MboxStore plainStore = store(plain, Codecs.NONE);
        fill(plainStore);
        Path file = plain.resolve("Archive/2019/Q3.mbox");
        long committed = Files.size(file);
        Files.write(file, "From x@y Sat Nov 21 23:39:50 2026\nstray\n\n".getBytes(), StandardOpenOption.APPEND);
        Files.write(plain.resolve("orphan.mbox"), "From x@y Sat Nov 21 23:39:50 2026\nstray\n\n".getBytes());
        BackupVerifier.Result r = new BackupVerifier(plain).verify();
        assertThat(r.problems()).extracting(VerifyReport.Problem::offset).contains(committed, -1L);
        assertThat(r.problems()).extracting(VerifyReport.Problem::file).contains(plain.resolve("orphan.mbox"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "bzip2", "xz", "zstd"})
    void systemToolsReadMultiCommitFilesAsOneMbox(String name, @TempDir Path root) throws Exception {
        CompressionCodec codec = Codecs.byName(name);
        Path tool = Path.of("/usr/bin", name);
        assumeTrue(Files.isExecutable(tool), tool + " is not installed");
        MboxStore store = store(root, codec);
        try (FolderArchive a = store.open(INBOX, EXTRACTOR)) {
            assertThat(a.messages()).isEmpty();
        }
        Path empty = root.resolve("INBOX.mbox" + codec.suffix());
        Process pe = new ProcessBuilder(tool.toString(), "-dc", empty.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(pe.getInputStream().readAllBytes()).isEmpty();
        assertThat(pe.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(pe.exitValue()).as("%s -dc of an empty archive", tool).isZero();
        fill(store);
        fill(store);
        assertThat(new BackupVerifier(root).verify().problems()).isEmpty();
        Path file = root.resolve("Archive/2019/Q3.mbox" + codec.suffix());
        Process p = new ProcessBuilder(tool.toString(), "-dc", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        byte[] ours;
        try (InputStream in = codec.decompress(Files.newInputStream(file))) {
            ours = in.readAllBytes();
        }
        assertThat(out).isEqualTo(ours);
        List<String> ids = new ArrayList<>();
        try (MboxReader r = new MboxReader(new ByteArrayInputStream(out), file)) {
            for (MboxEntry e = r.next(); e != null; e = r.next()) {
                try (InputStream in = e.content()) {
                    ids.add(EXTRACTOR.identify(in).value());
                }
            }
        }
        assertThat(ids).hasSize(2 * MESSAGES.size());
    }

    @Test
    void indexWithoutACommitRecordIsRebuiltFromTheMbox(@TempDir Path root) throws IOException {
        MboxStore store = store(root, Codecs.byName("zstd"));
        List<ArchivedMessage> before = fill(store);
        Path index = root.resolve("Archive/2019/Q3.mbox.index");
        Files.writeString(index, "H garbage\n");
        try (FolderArchive a = store.open(Q3, EXTRACTOR)) {
            assertRebuilt(a, before);
        }
        assertThat(Files.readString(index)).startsWith("H imapbackup-index " + IndexFormat.VERSION + " zstd / Archive/2019/Q3 ");
        assertThat(new BackupVerifier(root).verify().problems()).isEmpty();
    }
}
