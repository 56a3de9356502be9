/** mbox files read: the reader, its entries, the dialects it knows and the warnings it gives. */
package io.github.imapbackup.mbox.format;
