/** mbox reader and writer, the folder index and the backup directory store. */
package io.github.imapbackup.mbox;
