package io.github.imapbackup.mbox.codec;

import io.github.imapbackup.spi.AbstractCompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/** bzip2: each append is a new stream; reading takes every stream. */
final class Bzip2Codec extends AbstractCompressionCodec {

    Bzip2Codec() {
        super("bzip2", ".bz2", new byte[] {'B', 'Z', 'h'});
    }

    @Override
    protected OutputStream newCompressor(OutputStream out) throws IOException {
        return new BZip2CompressorOutputStream(out);
    }

    @Override
    protected InputStream newDecompressor(InputStream in) throws IOException {
        return new BZip2CompressorInputStream(in, true);
    }
}
