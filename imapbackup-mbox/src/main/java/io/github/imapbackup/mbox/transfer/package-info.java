/** Import of foreign mbox files into a store and export of a store to .eml or mbox files. */
package io.github.imapbackup.mbox.transfer;
