package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups through the engine at known times: the index records when each message was archived and
 * when the server's expunge was found, and the special-use attribute the server lists, as the
 * server changes.
 */
@Timeout(60)
class BackupTimesTest {

    @TempDir
    Path dir;

    private BackupReport backup(MemorySource server, ArchiveSelectionTest.MovingClock clock) throws Exception {
        BackupReport r = BackupSession.builder().source(server).target(MboxStore.builder(dir).clock(clock).build())
                .build().run();
        assertThat(r.allErrors()).isEmpty();
        return r;
    }

    @Test
    void backupsRecordArchivedAndExpungedTimesAndTheSpecialUseAttribute() throws Exception {
        MemorySource server = new MemorySource();
        MemoryFolder inbox = server.folder("INBOX");
        MemoryFolder sent = server.folder("Sent");
        sent.attributes("\\HasNoChildren", "\\Sent");
        long a = inbox.add("Message-ID: <a@x>\r\n\r\na\r\n");
        sent.add("Message-ID: <s@x>\r\n\r\ns\r\n");
        ArchiveSelectionTest.MovingClock clock = new ArchiveSelectionTest.MovingClock(ArchiveSelectionTest.T1);
        backup(server, clock);
        assertThat(Files.readString(dir.resolve("Sent.mbox.index"), StandardCharsets.UTF_8))
                .startsWith("H imapbackup-index " + IndexFormat.VERSION + " none / Sent " + ArchiveSelectionTest.T1 + " \\Sent ");

        inbox.expunge(a);
        inbox.add("Message-ID: <b@x>\r\n\r\nb\r\n");
        sent.attributes("\\HasNoChildren"); // the server no longer says which folder is its Sent
        clock.now = ArchiveSelectionTest.T2;
        backup(server, clock);

        MboxStore store = MboxStore.builder(dir).build();
        try (BackupArchive archive = store.read()) {
            assertThat(archive.messages(new FolderInfo("INBOX", "/", java.util.Set.of(), true)).toList())
                    .extracting(m -> m.archivedAt().orElseThrow() + " " + m.expungedAt().map(Object::toString)
                            .orElse("-"))
                    .containsExactly(ArchiveSelectionTest.T1 + " " + ArchiveSelectionTest.T2,
                            ArchiveSelectionTest.T2 + " -");
            assertThat(archive.folders()).extracting(FolderInfo::attributes).containsOnly(java.util.Set.of());
            assertThat(archive.verify().ok()).isTrue();
        }
        assertThat(ArchiveSelectionTest.offered(store, ArchiveSelection.builder().asOf(ArchiveSelectionTest.T1)
                .build())).containsExactly(Map.entry("INBOX", List.of("a")), Map.entry("Sent", List.of("s")));
        assertThat(ArchiveSelectionTest.offered(store, ArchiveSelection.builder().asOf(ArchiveSelectionTest.T2)
                .build())).containsExactly(Map.entry("INBOX", List.of("b")), Map.entry("Sent", List.of("s")));
        assertThat(Optional.of(backup(server, clock).totals().messagesCopied())).contains(0L);
    }
}
