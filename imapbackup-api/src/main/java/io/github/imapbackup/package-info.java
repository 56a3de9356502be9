/**
 * The imapbackup API: copy the messages of an account's folders into a store, incrementally, and
 * report what was done.
 *
 * <p>The entry point is {@link io.github.imapbackup.BackupSession}: its builder takes a
 * {@link io.github.imapbackup.spi.MessageSource} (module {@code io.github.imapbackup.imap}:
 * {@code io.github.imapbackup.imap.ImapSource.builder()}) and a
 * {@link io.github.imapbackup.spi.MailboxStore} (module {@code io.github.imapbackup.mbox}:
 * {@code io.github.imapbackup.mbox.MboxStore.builder(Path)}, a backup directory of mbox files; the
 * same module imports and exports mbox files with {@code MboxImporter} and {@code MboxExporter}).
 * {@link io.github.imapbackup.BackupSession#run()} returns a
 * {@link io.github.imapbackup.BackupReport}: its {@link io.github.imapbackup.Outcome}, the
 * {@link io.github.imapbackup.Counters} of each folder, and every failure. A
 * {@link io.github.imapbackup.BackupListener} (or one per run, from a
 * {@link io.github.imapbackup.BackupListener.Factory}) follows the run as it goes. Failures are
 * {@link io.github.imapbackup.BackupException}s; one that stops a whole run carries its report.
 * {@link io.github.imapbackup.RestoreSession} runs the same engine the other way, from a backup
 * directory ({@code MboxStore.asSource()}) into an account, with the same builder, report and
 * listener.
 *
 * <pre>{@code
 * BackupSession session = BackupSession.builder()
 *         .source(account)                      // e.g. ImapSource.builder()...build()
 *         .target(backup)                        // e.g. MboxStore.builder(Path.of("backup")).build()
 *         .listener(new BackupListener() {
 *             @Override
 *             public void folderFinished(RunInfo run, FolderInfo folder, FolderReport report) {
 *                 log.info("{}: {} new", folder.name(), report.counters().messagesCopied());
 *             }
 *         })
 *         .build();
 * try {
 *     BackupReport report = session.run();
 *     report.allErrors().forEach(e -> log.warn("{}", e.message()));
 *     return report.hasFailures() ? 1 : 0;
 * } catch (BackupException e) {                 // the run stopped: cancelled, unreachable, fail-fast
 *     e.report().ifPresent(r -> log.warn("{} after {} messages", r.outcome(), r.totals().messagesCopied()));
 *     return 2;
 * }
 * }</pre>
 *
 * <p>The pluggable parts (sources, stores, identity, merge planning, codecs) are in
 * {@link io.github.imapbackup.spi}. The file formats and the identity rule are described in the
 * project's {@code docs/} pages (FORMAT.md, FORMAT-index.md, FORMAT-identity.md).
 */
package io.github.imapbackup;
