/**
 * The {@code zstd} compression codec for imapbackup's mbox files, installed as a service of
 * {@link io.github.imapbackup.spi.CompressionCodec}: put this artifact on the class or module path
 * and {@code MboxStore.builder(dir).codec("zstd")} finds it, as do reading, appending and verifying a
 * backup written with it. See {@code docs/CODECS.md}.
 */
package io.github.imapbackup.codec.zstd;
