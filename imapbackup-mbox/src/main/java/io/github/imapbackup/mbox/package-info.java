/** The backup directory store, its folder index and its verifier. */
package io.github.imapbackup.mbox;
