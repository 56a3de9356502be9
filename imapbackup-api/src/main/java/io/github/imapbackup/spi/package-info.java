/**
 * The pluggable parts of imapbackup: where messages come from ({@link
 * io.github.imapbackup.spi.MessageSource}), where they go ({@link
 * io.github.imapbackup.spi.MailboxStore}), how they are identified ({@link
 * io.github.imapbackup.spi.MessageIdExtractor}) and merged ({@link
 * io.github.imapbackup.spi.MergePlanner}), and how files are compressed ({@link
 * io.github.imapbackup.spi.CompressionCodec}).
 */
package io.github.imapbackup.spi;
