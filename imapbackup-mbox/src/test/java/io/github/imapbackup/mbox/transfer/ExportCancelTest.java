package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link MboxExporter#cancel()}: what is written stays complete, the report says what was not, a rerun completes. */
@Timeout(30)
class ExportCancelTest {

    @TempDir
    Path dir;
    private MboxStore store;

    @BeforeEach
    void backup() throws Exception {
        MemorySource source = new MemorySource();
        MemoryFolder inbox = source.folder("INBOX");
        MemoryFolder sent = source.folder("Sent");
        for (int i = 0; i < 20; i++) {
            (i % 2 == 0 ? inbox : sent).add(("Message-ID: <c" + i + "@x>\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        store = MboxStore.builder(dir.resolve("backup")).build();
        BackupSession.builder().source(source).target(store).build().run();
    }

    /** An exporter that cancels itself at the {@code n}th copied message (or at the first folder when 0). */
    private MboxExporter cancelling(int n) {
        AtomicReference<MboxExporter> self = new AtomicReference<>();
        BackupListener l = new BackupListener() {
            private int copied;

            @Override
            public void folderStarted(RunInfo run, FolderInfo folder, long onSource, long toCopy, long bytes) {
                if (n == 0) {
                    self.get().cancel();
                }
            }

            @Override
            public void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
                if (++copied == n) {
                    self.get().cancel();
                }
            }
        };
        self.set(MboxExporter.builder(store).listener(l).build());
        return self.get();
    }

    @Test
    void cancelledEmlExportSaysWhatIsLeftAndARerunCompletesIt() throws Exception {
        Path out = dir.resolve("eml");
        BackupReport r = cancelling(4).exportEml(out);
        assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(r.hasFailures()).isTrue();
        assertThat(r.totals().messagesCopied()).isEqualTo(4);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("export interrupted after writing 4 messages").contains("\"INBOX\" (partly)")
                .contains("\"Sent\"").contains("again"));
        assertThat(files(out)).hasSize(4);

        BackupReport again = MboxExporter.builder(store).build().exportEml(out);
        assertThat(again.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesSkipped()).isEqualTo(4);
        assertThat(again.totals().messagesCopied()).isEqualTo(16);
        assertThat(files(out)).hasSize(20).allMatch(p -> p.toString().endsWith(".eml"));
    }

    @Test
    void cancelledMboxExportLeavesNoPartialFileAndARerunCompletesIt() throws Exception {
        Path out = dir.resolve("mbox");
        BackupReport r = cancelling(0).exportMbox(out, Dialect.MBOXRD, Codecs.NONE);
        assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(r.hasFailures()).isTrue();
        assertThat(r.totals().messagesCopied()).isZero();
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("its file was not finished and was removed"));
        assertThat(files(out)).isEmpty();

        BackupReport again = MboxExporter.builder(store).build().exportMbox(out, Dialect.MBOXRD, Codecs.NONE);
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesCopied()).isEqualTo(20);
        BackupReport third = MboxExporter.builder(store).build().exportMbox(out, Dialect.MBOXRD, Codecs.NONE);
        assertThat(third.allErrors()).as("an identical file is kept and skipped").isEmpty();
        assertThat(third.totals().messagesSkipped()).isEqualTo(20);
        Files.writeString(out.resolve("Sent.mbox"), "something else\n");
        BackupReport other = MboxExporter.builder(store).build().exportMbox(out, Dialect.MBOXRD, Codecs.NONE);
        assertThat(other.allErrors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("Sent.mbox").contains("not overwritten"));
        assertThat(out.resolve("Sent.mbox")).hasContent("something else");
    }

    private static List<Path> files(Path out) throws Exception {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
