package io.github.imapbackup.mbox.codec;

import io.github.imapbackup.spi.AbstractCompressionCodec;
import java.io.InputStream;
import java.io.OutputStream;

/** No compression: plain mbox files. */
final class NoCodec extends AbstractCompressionCodec {

    NoCodec() {
        super("none", "", new byte[0]);
    }

    @Override
    protected OutputStream newCompressor(OutputStream out) {
        return out;
    }

    @Override
    protected InputStream newDecompressor(InputStream in) {
        return in;
    }
}
