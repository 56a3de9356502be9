/** Compression codecs for mbox files: none, gzip, bzip2, xz, zstd. */
package io.github.imapbackup.mbox.codec;
