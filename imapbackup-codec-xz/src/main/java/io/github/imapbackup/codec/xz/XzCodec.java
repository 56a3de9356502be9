package io.github.imapbackup.mbox.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZUtils;

/** xz: each append is a new stream; reading takes every stream. Needs {@code org.tukaani:xz}. */
final class XzCodec extends AbstractCodec {

    XzCodec() {
        super("xz", ".xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, "org.tukaani:xz");
    }

    @Override
    public boolean isAvailable() {
        try {
            return XZUtils.isXZCompressionAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    OutputStream newCompressor(OutputStream out) throws IOException {
        return new XZCompressorOutputStream(out);
    }

    @Override
    InputStream newDecompressor(InputStream in) throws IOException {
        return XZCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
    }
}
