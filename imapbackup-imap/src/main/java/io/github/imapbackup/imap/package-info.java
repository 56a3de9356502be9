/**
 * The IMAP side of imapbackup over Angus Mail: {@link io.github.imapbackup.imap.ImapSource}, a
 * {@link io.github.imapbackup.spi.MessageSource} for
 * {@link io.github.imapbackup.BackupSession.Builder#source}.
 */
package io.github.imapbackup.imap;
