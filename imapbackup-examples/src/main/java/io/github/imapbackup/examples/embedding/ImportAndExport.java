package io.github.imapbackup.examples.embedding;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.transfer.MboxExporter;
import io.github.imapbackup.mbox.transfer.MboxImporter;
import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.codec.Codecs;
import java.nio.file.Path;
import java.util.List;

/**
 * Embedding example: import a foreign mbox file (say, a Thunderbird folder) into a backup
 * directory, merging without duplicates, then export the folder as {@code .eml} files and as a
 * gzip-compressed mboxo file for mutt.
 */
public final class ImportAndExport {

    private ImportAndExport() { }

    /**
     * Imports, then exports.
     *
     * @param mbox the mbox file to import
     * @param backup the backup directory
     * @param out where the exports go ({@code out/eml}, {@code out/mbox})
     * @return the import report
     * @throws BackupException if the store fails as a whole
     */
    public static BackupReport run(Path mbox, Path backup, Path out) throws BackupException {
        MboxStore store = MboxStore.builder(backup).build();
        BackupReport imported = MboxImporter.builder(store).build().importFiles(List.of(mbox), "Imported");
        MboxExporter exporter = MboxExporter.builder(store).folders(FolderFilter.all().include("Imported")).build();
        exporter.exportEml(out.resolve("eml"));
        exporter.exportMbox(out.resolve("mbox"), Dialect.MBOXO, Codecs.GZIP);
        return imported;
    }
}
