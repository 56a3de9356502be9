package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.spi.FolderArchive;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link MboxImporter#cancel()}: what was appended is saved and counted, the rest is reported, a rerun completes. */
@Timeout(30)
class ImportCancelTest {

    @TempDir
    Path dir;

    @Test
    void cancelledImportSavesWhatItAppendedAndARerunAddsTheRestOnce() throws Exception {
        Path file = dir.resolve("Old.mbox");
        try (MboxWriter w = new MboxWriter(Files.newOutputStream(file), 0)) {
            for (int i = 0; i < 20; i++) {
                byte[] m = ("Message-ID: <" + (i % 10 == 3 ? "same" : "i" + i) + "@x>\r\n\r\nbody " + (i == 13 ? 3 : i)
                        + "\r\n").getBytes(StandardCharsets.US_ASCII);
                w.write("a@x", Instant.parse("2024-01-01T00:00:00Z"), new ByteArrayInputStream(m));
            }
        }
        MboxStore store = MboxStore.builder(dir.resolve("backup")).build();
        AtomicReference<MboxImporter> self = new AtomicReference<>();
        AtomicReference<BackupReport> heard = new AtomicReference<>();
        List<RunInfo> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
        self.set(MboxImporter.builder(store).listenerFactory(run -> {
            runs.add(run);
            return new BackupListener() {
                private int copied;

                @Override
                public void messageCopied(RunInfo r, FolderInfo folder, long uid, long bytes) {
                    if (++copied == 5) {
                        self.get().cancel();
                    }
                }

                @Override
                public void runFinished(RunInfo r, BackupReport report) {
                    heard.set(report);
                }
            };
        }).build());
        BackupReport r = self.get().importFiles(List.of(file, file), "Old");
        assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(heard.get()).isSameAs(r);
        assertThat(runs).singleElement().satisfies(run -> assertThat(run.command()).isEqualTo("import"));
        assertThat(r.hasFailures()).isTrue();
        assertThat(r.totals().messagesCopied()).isEqualTo(5);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("import interrupted after importing and saving 5 messages").contains("(partly)")
                .contains("not stored twice"));
        assertThat(stored(store)).isEqualTo(5);

        BackupReport again = MboxImporter.builder(store).build().importFiles(List.of(file), "Old");
        assertThat(again.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesSkipped()).isEqualTo(5);
        assertThat(again.totals().messagesCopied()).isEqualTo(15);
        assertThat(again.totals().duplicatesOnSource()).as("<same> twice with the same bytes").isEqualTo(1);
        assertThat(stored(store)).isEqualTo(20);
    }

    private static int stored(MboxStore store) throws Exception {
        try (FolderArchive a = store.openReadOnly(new FolderInfo("Old", "/", Set.of(), true)).orElseThrow()) {
            List<ArchivedMessage> all = a.messages();
            return all.size();
        }
    }
}
