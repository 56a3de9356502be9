/**
 * mbox files: reader and writer (mboxrd and foreign dialects), the folder index, the backup
 * directory store, and the codecs: none, gzip and bzip2 built in, others (xz, zstd, your own) found
 * as services of {@code io.github.imapbackup.spi.CompressionCodec}.
 */
module io.github.imapbackup.mbox {
    requires transitive io.github.imapbackup;
    requires org.apache.commons.compress;
    requires org.apache.commons.io;
    requires org.slf4j;

    exports io.github.imapbackup.mbox;
    exports io.github.imapbackup.mbox.codec;
    exports io.github.imapbackup.mbox.format;
    exports io.github.imapbackup.mbox.transfer;

    uses io.github.imapbackup.spi.CompressionCodec;
}
