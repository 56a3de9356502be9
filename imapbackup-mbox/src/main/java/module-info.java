/** mbox files: reader and writer (mboxrd and foreign dialects), codecs, the folder index, the backup directory store. */
module io.github.imapbackup.mbox {
    requires transitive io.github.imapbackup;
    requires org.apache.commons.compress;
    requires org.apache.commons.io;
    requires static com.github.luben.zstd_jni;
    requires static org.tukaani.xz;
    requires org.slf4j;

    exports io.github.imapbackup.mbox;
    exports io.github.imapbackup.mbox.codec;
    exports io.github.imapbackup.mbox.format;
    exports io.github.imapbackup.mbox.transfer;
}
