package io.github.imapbackup.mbox.codec;

import java.io.InputStream;
import java.io.OutputStream;

/** No compression: plain mbox files. */
final class NoCodec extends AbstractCodec {

    NoCodec() {
        super("none", "", new byte[0], "none");
    }

    @Override
    OutputStream newCompressor(OutputStream out) {
        return out;
    }

    @Override
    InputStream newDecompressor(InputStream in) {
        return in;
    }
}
