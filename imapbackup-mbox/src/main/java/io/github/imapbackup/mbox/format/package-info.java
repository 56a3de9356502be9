/**
 * Reading mbox files, streaming: {@link io.github.imapbackup.mbox.format.MboxReader} is a pull
 * cursor over the messages of one file, each an {@link io.github.imapbackup.mbox.format.MboxEntry}
 * (position, From_ line, sender, date, and the message bytes as a stream). It reads imapbackup's
 * own files and other programs' (mboxo, mboxrd, mboxcl, mboxcl2, Thunderbird's {@code From - }
 * lines, CRLF or LF; the {@link io.github.imapbackup.mbox.format.Dialect} is detected unless given),
 * compressed with any codec of {@link io.github.imapbackup.mbox.codec.Codecs}. Malformed input is a
 * {@link io.github.imapbackup.MalformedMboxException} naming the file and byte offset; where
 * another program might split a file otherwise, {@link
 * io.github.imapbackup.mbox.format.MboxReader#warnings()} says where
 * ({@link io.github.imapbackup.mbox.format.MboxWarning}). No message is ever held whole in memory.
 *
 * <pre>{@code
 * MessageIdExtractor ids = MessageIdExtractor.standard();
 * try (MboxReader reader = MboxReader.open(Path.of("Inbox.mbox.gz"))) {
 *     for (MboxEntry e = reader.next(); e != null; e = reader.next()) {
 *         try (InputStream message = e.content()) {
 *             log.info("{} from {}: {}", e.number(), e.sender(), ids.identify(message));
 *         }
 *     }
 *     log.info("dialect {}, warnings {}", reader.dialect(), reader.warnings());
 * }
 * }</pre>
 *
 * <p>Writing mbox files is the job of the store ({@link io.github.imapbackup.mbox.MboxStore}) and of
 * the exporter ({@link io.github.imapbackup.mbox.transfer.MboxExporter}); the writer itself is not
 * API. The rules are in {@code docs/FORMAT-mbox.md}.
 */
package io.github.imapbackup.mbox.format;
