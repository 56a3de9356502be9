/**
 * The backup directory: {@link io.github.imapbackup.mbox.MboxStore}, the
 * {@link io.github.imapbackup.spi.MailboxStore} that keeps one mbox file and one index per folder
 * (in the {@link io.github.imapbackup.mbox.Layout} of the directory), and
 * {@link io.github.imapbackup.mbox.BackupArchive} (from {@link io.github.imapbackup.mbox.MboxStore#read()}), which checks every stored message against its
 * index. The folder index, the archive of one folder, crash repair and locking are package-private:
 * a store's folders are used through the SPI ({@link io.github.imapbackup.spi.FolderArchive}),
 * usually by a {@link io.github.imapbackup.BackupSession}.
 *
 * <pre>{@code
 * MboxStore store = MboxStore.builder(Path.of("backup")).codec("gzip").build();
 * BackupReport report = BackupSession.builder().source(source).target(store).build().run();
 * VerifyReport check;
 * try (BackupArchive archive = store.read()) {
 *     check = archive.verify();
 * }
 * log.info("{} messages copied; {} problems found", report.totals().messagesCopied(),
 *         check.problems().size());
 * }</pre>
 *
 * <p>The other packages of this module: {@link io.github.imapbackup.mbox.format} reads mbox files
 * (imapbackup's own and other programs'), {@link io.github.imapbackup.mbox.transfer} imports
 * foreign mbox files into a store and exports a store to {@code .eml} or mbox files, and
 * {@link io.github.imapbackup.mbox.codec} holds the compression codecs. The files themselves are
 * described in {@code docs/FORMAT-index.md} and {@code docs/FORMAT-mbox.md}.
 */
package io.github.imapbackup.mbox;
