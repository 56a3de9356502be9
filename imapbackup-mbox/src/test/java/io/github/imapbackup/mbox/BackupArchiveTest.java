package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static io.github.imapbackup.mbox.StoreFixtures.Q3;
import static io.github.imapbackup.mbox.StoreFixtures.newMessage;
import static io.github.imapbackup.mbox.StoreFixtures.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.spi.FolderArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The read-only view of a backup directory: its folders are exactly those it can read, wherever their files lie. */
@Timeout(30)
class BackupArchiveTest {

    @TempDir
    Path dir;

    private static final FolderInfo SENT = new FolderInfo("INBOX/Sent", "/", Set.of(), true);

    /** Stores messages 1..n (UIDVALIDITY 7) in a folder; returns their bytes by UID. */
    private static Map<Long, byte[]> store(MboxStore store, FolderInfo folder, int n) throws IOException {
        Map<Long, byte[]> out = new LinkedHashMap<>();
        try (FolderArchive a = store.open(folder)) {
            for (long uid = 1; uid <= n; uid++) {
                byte[] b = ("Message-ID: <" + folder.name() + uid + "@x>\r\nSubject: " + uid + "\r\n\r\nFrom here\r\nbody "
                        + uid + (uid == 2 ? "" : "\r\n")).getBytes(StandardCharsets.ISO_8859_1);
                a.append(newMessage(7, uid, b), new ByteArrayInputStream(b));
                out.put(uid, b);
            }
        }
        return out;
    }

    private static byte[] read(BackupArchive archive, StoredMessage m) throws IOException {
        try (InputStream in = archive.open(m)) {
            return in.readAllBytes();
        }
    }

    /** Every folder listed can be read, and gives back the stored bytes. */
    private static Map<String, List<String>> readAll(BackupArchive archive) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (FolderInfo f : archive.folders()) {
            List<StoredMessage> messages = archive.messages(f).toList();
            for (StoredMessage m : messages) {
                assertThat(sha256(read(archive, m))).isEqualTo(m.message().sha256());
            }
            out.put(f.name(), messages.stream().map(m -> sha256(read0(archive, m))).toList());
        }
        return out;
    }

    private static byte[] read0(BackupArchive archive, StoredMessage m) {
        try {
            return read(archive, m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Nested
    class FoldersAndOpenAgree {

        @Test
        void forANestedStoreWithACompressedFolderAndALostIndex() throws Exception {
            MboxStore store = MboxStore.builder(dir).build();
            Map<Long, byte[]> inbox = store(store, INBOX, 3);
            store(MboxStore.builder(dir).codec("gzip").build(), Q3, 2);
            store(store, SENT, 2);
            Files.delete(dir.resolve("INBOX/Sent.mbox.index"));
            try (BackupArchive archive = store.read()) {
                assertThat(archive.folders()).extracting(FolderInfo::name).containsExactly("Archive/2019/Q3", "INBOX",
                        "INBOX/Sent");
                Map<String, List<String>> read = readAll(archive);
                assertThat(read.get("INBOX")).containsExactly(inbox.values().stream().map(StoreFixtures::sha256)
                        .toArray(String[]::new));
                assertThat(read.get("Archive/2019/Q3")).hasSize(2);
                assertThat(read.get("INBOX/Sent")).hasSize(2);
                assertThat(archive.location(Q3)).isEqualTo("Archive/2019/Q3.mbox.gz");
                StoredMessage second = archive.messages(INBOX).toList().get(1);
                assertThat(second.position()).isEqualTo(2);
                assertThat(second.message().uid()).isEqualTo(2);
                assertThat(second.message().flags()).isEqualTo(newMessage(7, 2, inbox.get(2L)).flags());
            }
            assertThat(Files.exists(dir.resolve("INBOX/Sent.mbox.index"))).as("read-only: no index rebuilt").isFalse();
        }

        @Test
        void forAnIndexInTheOtherLayoutThanTheRecordedOne() throws Exception {
            store(MboxStore.builder(dir).layout(Layout.FLAT).build(), SENT, 2);
            Files.writeString(dir.resolve(DirectoryLayout.RECORD), "version=1\nlayout=nested\n");
            MboxStore store = MboxStore.builder(dir).build();
            // what the writing SPI says: listed, but absent when opened
            assertThat(store.folders()).extracting(FolderInfo::name).containsExactly("INBOX/Sent");
            assertThat(store.openReadOnly(store.folders().get(0))).isEmpty();
            try (BackupArchive archive = store.read()) {
                assertThat(archive.folders()).extracting(FolderInfo::name).containsExactly("INBOX/Sent");
                assertThat(readAll(archive).get("INBOX/Sent")).hasSize(2);
                assertThat(archive.location(archive.folders().get(0))).isEqualTo("INBOX.Sent.mbox");
                assertThat(archive.verify().problems()).extracting(VerifyReport.Problem::message)
                        .anyMatch(m -> m.contains("the other") || m.contains("is in the flat layout"));
            }
        }

        @Test
        void forTheOriginalScriptsFlatFilesWithoutIndex() throws Exception {
            String inbox = "From nobody Sat Nov 21 23:39:50 2026\nMessage-ID: <a@x>\n\none\n\n"
                    + "From nobody Sat Nov 21 23:39:51 2026\nMessage-ID: <b@x>\n\ntwo\n\n";
            Files.writeString(dir.resolve("INBOX.mbox"), inbox, StandardCharsets.ISO_8859_1);
            Files.writeString(dir.resolve("INBOX.Sent.mbox"), "From nobody Sat Nov 21 23:39:52 2026\n"
                    + "Message-ID: <c@x>\n\nthree\n\n", StandardCharsets.ISO_8859_1);
            Map<String, String> before = StoreFixtures.snapshot(dir);
            MboxStore store = MboxStore.builder(dir).build();
            assertThat(store.folders()).as("the SPI lists folders with an index only").isEmpty();
            try (BackupArchive archive = store.read()) {
                assertThat(archive.folders()).extracting(FolderInfo::name).containsExactly("INBOX", "INBOX/Sent");
                Map<String, List<String>> read = readAll(archive);
                assertThat(read.get("INBOX")).hasSize(2);
                assertThat(read.get("INBOX/Sent")).hasSize(1);
                assertThat(archive.messages().map(m -> m.message().identity().value()))
                        .containsExactly("mid:<a@x>", "mid:<b@x>", "mid:<c@x>");
                assertThat(archive.messages().toList().get(2).message().internalDate())
                        .hasToString("2026-11-21T23:39:52Z");
            }
            assertThat(StoreFixtures.snapshot(dir)).as("nothing written").isEqualTo(before);
        }

        @Test
        void forAFlatBackupOpenedWithTheDefaultBuilder() throws Exception {
            store(MboxStore.builder(dir).layout(Layout.FLAT).build(), SENT, 2);
            Files.delete(dir.resolve(DirectoryLayout.RECORD)); // as an older version left it: detected
            try (BackupArchive archive = MboxStore.builder(dir).build().read()) {
                assertThat(archive.folders()).containsExactly(new FolderInfo("INBOX/Sent", "/", Set.of(), false));
                assertThat(archive.location(SENT)).isEqualTo("INBOX.Sent.mbox");
                assertThat(readAll(archive).get("INBOX/Sent")).hasSize(2);
            }
        }

        @Test
        void forAFolderCreatedButNeverCommittedWhichHoldsNothing() throws Exception {
            MboxStore store = MboxStore.builder(dir).build();
            store(store, INBOX, 1);
            // an index holding only its header: a first open cut short before its first commit
            String header = Files.readAllLines(dir.resolve("INBOX.mbox.index")).get(0).replace("INBOX", "New");
            Files.writeString(dir.resolve("New.mbox.index"), header.substring(0, header.lastIndexOf(' ') + 1)
                    + crc(header) + "\n");
            try (BackupArchive archive = store.read()) {
                assertThat(archive.folders()).extracting(FolderInfo::name).containsExactly("INBOX", "New");
                assertThat(archive.messages(archive.folders().get(1))).isEmpty();
                assertThat(archive.messages().count()).isEqualTo(1);
            }
        }
    }

    /** The CRC32 field of an index line, computed over the line before its last field. */
    private static String crc(String line) {
        String body = line.substring(0, line.lastIndexOf(' '));
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", c.getValue());
    }

    @Nested
    class StreamsAndClosing {

        @Test
        void theStreamOfAllMessagesReadsAFolderOnlyWhenItGetsThere() throws Exception {
            MboxStore store = MboxStore.builder(dir).build();
            store(store, Q3, 2);
            store(store, INBOX, 2);
            Files.write(dir.resolve("INBOX.mbox"), new byte[10]); // shorter than its index records
            try (BackupArchive archive = store.read()) {
                assertThat(archive.messages().limit(2).map(m -> m.folder().name()))
                        .containsExactly("Archive/2019/Q3", "Archive/2019/Q3");
                assertThatThrownBy(() -> archive.messages().count()).isInstanceOf(UncheckedIOException.class)
                        .cause().isInstanceOf(MalformedMboxException.class).hasMessageContaining("INBOX.mbox");
                assertThatThrownBy(() -> archive.messages(INBOX)).isInstanceOf(MalformedMboxException.class)
                        .hasMessageContaining("INBOX.mbox");
            }
        }

        @Test
        void closingEndsTheViewAndIsIdempotent() throws Exception {
            MboxStore store = MboxStore.builder(dir).codec("gzip").build();
            store(store, INBOX, 3);
            BackupArchive archive = store.read();
            StoredMessage first;
            try (Stream<StoredMessage> s = archive.messages(INBOX)) {
                first = s.findFirst().orElseThrow();
            }
            assertThat(read(archive, first)).hasSize((int) first.message().length());
            archive.close();
            archive.close();
            assertThatThrownBy(archive::folders).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> archive.open(first)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> archive.messages(new FolderInfo("Nope", "/", Set.of(), false)))
                    .isInstanceOf(IllegalStateException.class);
            try (BackupArchive again = store.read()) {
                assertThatThrownBy(() -> again.messages(new FolderInfo("Nope", "/", Set.of(), false)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"Nope\"");
            }
        }
    }

    @Nested
    class Verification {

        @Test
        void aCorruptedByteIsFoundWithFolderUidAndOffset() throws Exception {
            MboxStore store = MboxStore.builder(dir).build();
            store(store, INBOX, 3);
            store(store, SENT, 1);
            Path mbox = dir.resolve("INBOX.mbox");
            byte[] bytes = Files.readAllBytes(mbox);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int at = text.indexOf("body 2");
            long offset = text.lastIndexOf("From ", text.lastIndexOf("Message-ID", at));
            bytes[at] ^= 0x20;
            Files.write(mbox, bytes);
            try (BackupArchive archive = store.read()) {
                VerifyReport r = archive.verify();
                assertThat(r.ok()).isFalse();
                assertThat(r.messages()).isEqualTo(4);
                assertThat(r.general()).isEmpty();
                VerifyReport.FolderResult inbox = r.folders().get(0);
                assertThat(inbox.folder().name()).isEqualTo("INBOX");
                assertThat(inbox.file()).isEqualTo("INBOX.mbox");
                assertThat(inbox.problems()).singleElement().satisfies(p -> {
                    assertThat(p.folder()).isEqualTo("INBOX");
                    assertThat(p.uid()).isEqualTo(2);
                    assertThat(p.offset()).isEqualTo(offset);
                    assertThat(r.describe(p)).startsWith("INBOX.mbox at byte " + offset + " (UID 2): SHA-256 ");
                });
                assertThat(r.folders().get(1).problems()).isEmpty();
                assertThat(archive.verify(FolderFilter.all().include("INBOX/Sent")).ok()).isTrue();
                assertThat(archive.verify(FolderFilter.all().exclude("INBOX/.*")).problems()).hasSize(1);
                assertThat(r.toReport().folders().get(0).errors()).singleElement()
                        .satisfies(e -> assertThat(e.uid()).isEqualTo(2));

                StoredMessage second = archive.messages(INBOX).toList().get(1);
                assertThatThrownBy(() -> read(archive, second)).isInstanceOf(IntegrityException.class)
                        .hasMessageContaining("INBOX.mbox at byte " + offset + " (UID 2)");
            }
        }
    }
}
