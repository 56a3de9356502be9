/**
 * Moving mail between a store and files: {@link io.github.imapbackup.mbox.transfer.MboxImporter}
 * imports foreign mbox files (any dialect, any codec) into a folder of a
 * {@link io.github.imapbackup.spi.MailboxStore}, merging without duplicates;
 * {@link io.github.imapbackup.mbox.transfer.MboxExporter} writes a store's folders out as
 * {@code .eml} files with the exact bytes, or as mbox files in a chosen
 * {@link io.github.imapbackup.mbox.format.Dialect} and codec. Both stream, return a
 * {@link io.github.imapbackup.BackupReport}, tell a {@link io.github.imapbackup.BackupListener},
 * can be cancelled, and can be run dry; running either again completes what an interrupted run
 * left and stores or writes nothing twice.
 *
 * <pre>{@code
 * MboxStore store = MboxStore.builder(Path.of("backup")).build();
 * BackupReport imported = MboxImporter.builder(store).build()
 *         .importFiles(List.of(Path.of("Thunderbird/Inbox")), "Imported");
 * BackupReport exported = MboxExporter.builder(store).folders(FolderFilter.all().include("Imported")).build()
 *         .exportMbox(Path.of("out"), Dialect.MBOXRD, Codecs.GZIP);
 * }</pre>
 */
package io.github.imapbackup.mbox.transfer;
