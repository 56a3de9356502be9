/**
 * Compression codecs for mbox files: none, gzip, bzip2, xz, zstd
 * ({@link io.github.imapbackup.mbox.codec.Codecs}), each a
 * {@link io.github.imapbackup.spi.CompressionCodec}. Every run that appends to a compressed mbox
 * adds new members (gzip, bzip2), streams (xz) or frames (zstd), so the standard tools read the
 * whole file as one mbox. xz and zstd need their optional libraries on the path
 * ({@code org.tukaani:xz}, {@code com.github.luben:zstd-jni}).
 *
 * <pre>{@code
 * MboxStore store = MboxStore.builder(Path.of("backup")).codec("gzip").build();
 * CompressionCodec found = Codecs.bySuffix("Inbox.mbox.gz").orElse(Codecs.NONE);
 * }</pre>
 */
package io.github.imapbackup.mbox.codec;
