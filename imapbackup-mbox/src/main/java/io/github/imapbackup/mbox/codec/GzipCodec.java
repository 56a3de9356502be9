package io.github.imapbackup.mbox.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** gzip (RFC 1952): each append is a new member; reading takes every member. */
final class GzipCodec extends AbstractCodec {

    GzipCodec() {
        super("gzip", ".gz", new byte[] {0x1f, (byte) 0x8b}, "org.apache.commons:commons-compress");
    }

    @Override
    OutputStream newCompressor(OutputStream out) throws IOException {
        return new GzipCompressorOutputStream(out);
    }

    @Override
    InputStream newDecompressor(InputStream in) throws IOException {
        return GzipCompressorInputStream.builder().setInputStream(in)
                .setDecompressConcatenated(true).get();
    }
}
