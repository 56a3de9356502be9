package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.spi.MailboxStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the snippet of this package's Javadoc ({@code package-info.java}) compiling and working. */
@Timeout(60)
class SnippetTest {

    @TempDir
    Path dir;

    /** The snippet, with the paths as parameters. */
    static BackupReport[] snippet(Path backup, Path thunderbirdInbox, Path out) throws BackupException {
        MboxStore store = MboxStore.builder(backup).build();
        BackupReport imported = MboxImporter.builder(store).build()
                .importFiles(List.of(thunderbirdInbox), "Imported");
        BackupReport exported = MboxExporter.builder(store).folders(FolderFilter.all().include("Imported")).build()
                .exportMbox(out, Dialect.MBOXRD, Codecs.GZIP);
        return new BackupReport[] {imported, exported};
    }

    @Test
    void theSnippetImportsAndExports() throws IOException {
        Path inbox = dir.resolve("Inbox");
        Files.writeString(inbox, "From - Sat Nov 21 10:00:00 2026\nMessage-ID: <a@example.org>\n\nHi.\n",
                StandardCharsets.US_ASCII);
        BackupReport[] r = snippet(dir.resolve("backup"), inbox, dir.resolve("out"));
        assertThat(r[0].totals().messagesCopied()).isEqualTo(1);
        assertThat(r[1].totals().messagesCopied()).isEqualTo(1);
        assertThat(dir.resolve("out/Imported.mbox.gz")).isRegularFile();
    }
}
