package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.mbox.transfer.MboxImporter;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.RecordingListener;
import io.github.imapbackup.testing.RecordingListener.Type;
import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.disk.Tmpfs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A backup onto a disk that fills up: a real, small tmpfs (mounting needs root; the test is skipped
 * otherwise). The report counts as copied exactly what the backup holds afterwards, every message
 * that is missing is an error with its UID, the exit status is 1, and the listener's
 * {@code messageCopied} of a message that was lost is corrected by a {@code messageFailed}. Once
 * there is room again, the next run completes the backup.
 */
@Timeout(120)
class FullDiskTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static final int MESSAGES = 30;

    @TempDir
    Path mountPoint;
    private Tmpfs disk;

    @AfterEach
    void unmount() {
        if (disk != null) {
            disk.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "bzip2", "xz", "zstd"})
    void countersCountOnlyWhatTheFullDiskKept(String codec) throws Exception {
        long seed = seeds.pick();
        String where = codec + ", seed " + seed + " (-Dimapbackup.seed=" + seed + ")";
        disk = Tmpfs.mount(mountPoint, 160 * 1024);
        MemorySource source = new MemorySource();
        MemoryFolder inbox = source.folder("INBOX");
        Random rnd = new Random(seed);
        for (int i = 0; i < MESSAGES; i++) {
            inbox.add(message(rnd, i));
        }
        Path dir = mountPoint.resolve("backup");
        Files.createDirectories(dir);
        RecordingListener events = new RecordingListener();
        MboxStore store = MboxStore.builder(dir).codec(codec).build();
        BackupReport report = BackupSession.builder().source(source).target(store).listener(events).build().run();

        FolderReport f = report.folders().get(0);
        List<ArchivedMessage> kept = kept(store, inbox);
        assertThat(kept.size()).as(where + ": the disk is too small for all").isLessThan(MESSAGES);
        assertThat(f.counters().messagesCopied()).as(where + ": copied = what the backup holds")
                .isEqualTo(kept.size());
        assertThat(f.counters().bytesCopied()).as(where)
                .isEqualTo(kept.stream().mapToLong(ArchivedMessage::length).sum());
        assertThat(report.hasFailures()).as(where).isTrue();
        Set<Long> keptUids = new HashSet<>();
        kept.forEach(m -> keptUids.add(m.uid()));
        Set<Long> errorUids = new HashSet<>();
        f.errors().stream().map(ReportError::uid).forEach(errorUids::add);
        for (long uid : inbox.uids()) {
            if (!keptUids.contains(uid)) {
                assertThat(errorUids).as(where + ": UID " + uid + " is missing, so it is an error").contains(uid);
            }
            List<Type> order = events.events().stream().filter(e -> e.uid() == uid)
                    .map(RecordingListener.Event::type).filter(t -> t != Type.BYTES_TRANSFERRED).toList();
            if (keptUids.contains(uid)) {
                assertThat(order).as(where + ": events of kept UID " + uid).endsWith(Type.MESSAGE_COPIED);
            } else {
                assertThat(order).as(where + ": events of lost UID " + uid).isNotEmpty().endsWith(Type.MESSAGE_FAILED);
            }
        }
        assertThat(f.errors()).as(where).allSatisfy(e -> assertThat(e.message()).doesNotContain("Exception"));

        // room again: the next run completes the backup, nothing twice
        disk.resize(8 << 20);
        BackupReport again = BackupSession.builder().source(source).target(store).build().run();
        assertThat(again.allErrors()).as(where).isEmpty();
        assertThat(again.totals().messagesCopied()).as(where).isEqualTo(MESSAGES - kept.size());
        assertThat(kept(store, inbox)).as(where).hasSize(MESSAGES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "zstd"})
    void importCountsOnlyWhatTheFullDiskKept(String codec, @TempDir Path elsewhere) throws Exception {
        long seed = seeds.pick();
        String where = codec + ", seed " + seed + " (-Dimapbackup.seed=" + seed + ")";
        disk = Tmpfs.mount(mountPoint, 160 * 1024);
        Random rnd = new Random(seed);
        List<byte[]> messages = new java.util.ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            messages.add(message(rnd, i));
        }
        Path file = elsewhere.resolve("Old.mbox");
        try (MboxWriter w = new MboxWriter(Files.newOutputStream(file), 0)) {
            for (byte[] m : messages) {
                w.write("a@example.org", java.time.Instant.parse("2024-01-01T00:00:00Z"),
                        new java.io.ByteArrayInputStream(m));
            }
        }
        MboxStore store = MboxStore.builder(mountPoint.resolve("backup")).codec(codec).build();
        BackupReport report = MboxImporter.builder(store).build().importFiles(List.of(file), "Old");
        FolderInfo info = new FolderInfo("Old", "/", Set.of(), true);
        long kept;
        try (FolderArchive a = store.openReadOnly(info).orElse(null)) {
            kept = a == null ? 0 : a.messages().size();
        }
        assertThat(kept).as(where).isLessThan(MESSAGES);
        assertThat(report.totals().messagesCopied()).as(where + ": imported = what the folder holds").isEqualTo(kept);
        assertThat(report.hasFailures()).as(where).isTrue();
        assertThat(report.allErrors()).as(where).isNotEmpty();
    }

    /** The messages the backup holds, each checked against the source's bytes. */
    private static List<ArchivedMessage> kept(MboxStore store, MemoryFolder inbox) throws IOException {
        FolderInfo info = new FolderInfo("INBOX", "/", Set.of(), true);
        try (FolderArchive a = store.openReadOnly(info).orElse(null)) {
            if (a == null) {
                return List.of();
            }
            List<ArchivedMessage> all = a.messages();
            for (ArchivedMessage m : all) {
                try (InputStream in = a.openMessage(m)) {
                    assertThat(in.readAllBytes()).as("UID " + m.uid()).isEqualTo(inbox.content(m.uid()));
                }
            }
            assertThat(all.stream().map(ArchivedMessage::uid).distinct().count()).isEqualTo(all.size());
            return all;
        }
    }

    /** About 12 KB that no codec shrinks much (random base64-like lines). */
    private static byte[] message(Random rnd, int i) {
        StringBuilder sb = new StringBuilder("Message-ID: <full" + i + "@example.org>\r\nSubject: " + i + "\r\n\r\n");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int line = 0; line < 160; line++) {
            for (int c = 0; c < 76; c++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            sb.append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
