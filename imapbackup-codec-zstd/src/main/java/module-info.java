/**
 * The Zstandard codec ({@code zstd}, files {@code .mbox.zst}) for imapbackup, on zstd-jni. Found by
 * the service loader: on the module path this module is resolved by service binding when
 * {@code io.github.imapbackup.mbox} is, and brings {@code com.github.luben.zstd_jni} with it.
 */
module io.github.imapbackup.codec.zstd {
    requires transitive io.github.imapbackup;
    requires org.apache.commons.compress;
    requires com.github.luben.zstd_jni;

    exports io.github.imapbackup.codec.zstd;

    provides io.github.imapbackup.spi.CompressionCodec with io.github.imapbackup.codec.zstd.ZstdCodec;
}
