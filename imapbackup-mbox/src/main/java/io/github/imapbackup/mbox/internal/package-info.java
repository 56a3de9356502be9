/** Not API (not exported): the mbox writer and the helpers the packages of this module share. */
package io.github.imapbackup.mbox.internal;
