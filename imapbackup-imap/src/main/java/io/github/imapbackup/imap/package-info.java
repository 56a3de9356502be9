/** IMAP message source (and later target) over Angus Mail. */
package io.github.imapbackup.imap;
