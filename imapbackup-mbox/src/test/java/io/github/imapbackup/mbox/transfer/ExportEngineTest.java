package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export as a run of the engine: the export directory lists what an earlier export wrote, so a
 * rerun writes only what is missing; one message that cannot be written fails alone; copies a
 * folder holds twice are exported twice.
 */
@Timeout(30)
class ExportEngineTest {

    @TempDir
    Path dir;
    private MboxStore store;

    @BeforeEach
    void backup() throws Exception {
        MemorySource source = new MemorySource();
        MemoryFolder inbox = source.folder("INBOX");
        for (int i = 0; i < 6; i++) {
            inbox.add(message(i));
        }
        inbox.add(message(2)); // the same message twice: two UIDs, two copies
        store = MboxStore.builder(dir.resolve("backup")).build();
        BackupSession.builder().source(source).target(store).build().run();
    }

    private static byte[] message(int i) {
        return ("Message-ID: <e" + i + "@x>\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aRerunWritesOnlyWhatIsMissing() throws Exception {
        Path out = dir.resolve("eml");
        BackupReport first = MboxExporter.builder(store).build().exportEml(out);
        assertThat(first.allErrors()).isEmpty();
        assertThat(first.totals().messagesCopied()).isEqualTo(7);
        assertThat(first.totals().duplicatesOnSource()).isEqualTo(1);
        List<Path> files = files(out);
        assertThat(files).hasSize(7);
        Path gone = out.resolve("INBOX/000007-7.eml");
        assertThat(gone).hasBinaryContent(message(2));
        Files.delete(gone);
        Files.delete(out.resolve("INBOX/000002-2.eml"));

        BackupReport again = MboxExporter.builder(store).build().exportEml(out);
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesSkipped()).isEqualTo(5);
        assertThat(again.totals().messagesCopied()).isEqualTo(2);
        assertThat(files(out)).containsExactlyInAnyOrderElementsOf(files);
        assertThat(gone).hasBinaryContent(message(2));
    }

    @Test
    void aFileInTheWayFailsThatMessageAloneAndIsKept() throws Exception {
        Path out = dir.resolve("eml");
        Files.createDirectories(out.resolve("INBOX"));
        Path other = out.resolve("INBOX/000003-3.eml");
        Files.writeString(other, "someone else's file");

        BackupReport r = MboxExporter.builder(store).build().exportEml(out);
        assertThat(r.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(r.hasFailures()).isTrue();
        assertThat(r.allErrors()).singleElement().satisfies(e -> {
            assertThat(e.folder()).isEqualTo("INBOX");
            assertThat(e.message()).contains("000003-3.eml").contains("not overwritten");
        });
        assertThat(r.totals().messagesCopied()).as(r.toString()).isEqualTo(6);
        assertThat(other).hasContent("someone else's file");
        assertThat(files(out)).hasSize(7);
    }

    @Test
    void aDryRunWritesNothingAndCountsWhatAnExportWould() throws Exception {
        Path out = dir.resolve("mbox");
        BackupReport r = MboxExporter.builder(store).dryRun(true).build().exportMbox(out, Dialect.MBOXO, Codecs.GZIP);
        assertThat(r.dryRun()).isTrue();
        assertThat(r.allErrors()).isEmpty();
        assertThat(r.totals().messagesCopied()).isEqualTo(7);
        assertThat(out).doesNotExist();

        BackupReport real = MboxExporter.builder(store).build().exportMbox(out, Dialect.MBOXO, Codecs.GZIP);
        assertThat(real.totals().messagesCopied()).isEqualTo(7);
        assertThat(files(out)).singleElement().satisfies(p -> assertThat(p.toString()).endsWith("INBOX.mbox.gz"));
        BackupReport dryAgain = MboxExporter.builder(store).dryRun(true).build()
                .exportMbox(out, Dialect.MBOXO, Codecs.GZIP);
        assertThat(dryAgain.totals().messagesSkipped()).isEqualTo(7);
        assertThat(dryAgain.totals().messagesCopied()).isZero();
    }

    private static List<Path> files(Path out) throws Exception {
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
