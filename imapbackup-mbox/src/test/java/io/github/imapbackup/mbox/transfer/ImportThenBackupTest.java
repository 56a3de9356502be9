package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import records no incremental state (no folder state, entries without UIDs), so a later
 * backup of the same folder adopts the imported messages instead of storing them again, and the
 * backup after that is incremental: the folder is not even opened.
 */
@Timeout(60)
class ImportThenBackupTest {

    private static final FolderInfo INBOX = new FolderInfo("INBOX", "/", Set.of(), true);

    @TempDir
    Path dir;

    @Test
    void importRecordsNoStateAndALaterBackupStaysIncremental() throws Exception {
        List<String> messages = List.of("Message-ID: <a@x>\r\nSubject: a\r\n\r\nbody a\r\n",
                "Message-ID: <b@x>\r\nSubject: b\r\n\r\nbody b\r\n",
                "Message-ID: <b@x>\r\nSubject: b\r\n\r\nbody b\r\n",
                "Subject: no Message-ID\r\nFrom: c@x\r\n\r\nbody c\r\n");
        Path file = dir.resolve("INBOX.mbox");
        try (MboxWriter w = new MboxWriter(Files.newOutputStream(file), 0)) {
            for (String m : messages) {
                w.write("a@x", Instant.parse("2024-01-01T00:00:00Z"),
                        new ByteArrayInputStream(m.getBytes(StandardCharsets.US_ASCII)));
            }
        }
        MboxStore store = MboxStore.builder(dir.resolve("backup")).build();
        BackupReport imported = MboxImporter.builder(store).build().importFiles(List.of(file), "INBOX");
        assertThat(imported.hasFailures()).isFalse();
        assertThat(imported.totals().messagesCopied()).isEqualTo(4);
        try (FolderArchive a = store.openReadOnly(INBOX).orElseThrow()) {
            assertThat(a.state()).as("an import records no folder state").isEmpty();
            assertThat(a.messages()).hasSize(4).allSatisfy(e -> {
                assertThat(e.uidValidity()).isZero();
                assertThat(e.uid()).isZero();
            });
        }

        MemorySource source = new MemorySource();
        MemoryFolder inbox = source.folder("INBOX");
        messages.forEach(inbox::add);
        BackupSession session = BackupSession.builder().source(source).target(store).build();
        BackupReport first = session.run();
        assertThat(first.hasFailures()).isFalse();
        assertThat(first.totals().messagesCopied()).as("the imported messages are adopted").isZero();
        assertThat(source.openMessageCalls()).as("no body fetched").isZero();
        try (FolderArchive a = store.openReadOnly(INBOX).orElseThrow()) {
            assertThat(a.messages()).hasSize(4).extracting(ArchivedMessage::uid).doesNotContain(0L);
        }

        source.resetCounters();
        BackupReport second = session.run();
        assertThat(second.totals().messagesCopied()).isZero();
        assertThat(source.openCalls()).as("an unchanged folder is not opened").isZero();
        assertThat(source.messagesCalls()).isZero();
    }
}
