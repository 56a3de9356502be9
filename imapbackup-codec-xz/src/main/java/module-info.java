/**
 * The xz codec ({@code xz}, files {@code .mbox.xz}) for imapbackup, on XZ for Java. Found by the
 * service loader: on the module path this module is resolved by service binding when
 * {@code io.github.imapbackup.mbox} is, and brings {@code org.tukaani.xz} with it.
 */
module io.github.imapbackup.codec.xz {
    requires transitive io.github.imapbackup;
    requires org.apache.commons.compress;
    requires org.tukaani.xz;

    exports io.github.imapbackup.codec.xz;

    provides io.github.imapbackup.spi.CompressionCodec with io.github.imapbackup.codec.xz.XzCodec;
}
