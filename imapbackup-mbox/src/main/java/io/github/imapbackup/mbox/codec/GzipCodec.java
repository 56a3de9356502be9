package io.github.imapbackup.mbox.codec;

import io.github.imapbackup.spi.AbstractCompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** gzip (RFC 1952): each append is a new member; reading takes every member. */
final class GzipCodec extends AbstractCompressionCodec {

    GzipCodec() {
        super("gzip", ".gz", new byte[] {0x1f, (byte) 0x8b});
    }

    @Override
    protected OutputStream newCompressor(OutputStream out) throws IOException {
        return new GzipCompressorOutputStream(out);
    }

    @Override
    protected InputStream newDecompressor(InputStream in) throws IOException {
        return GzipCompressorInputStream.builder().setInputStream(in)
                .setDecompressConcatenated(true).get();
    }
}
