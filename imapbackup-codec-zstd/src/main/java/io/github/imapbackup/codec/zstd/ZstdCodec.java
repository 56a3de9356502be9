package io.github.imapbackup.mbox.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdUtils;

/** Zstandard: each append is a new frame; reading takes every frame. Needs {@code com.github.luben:zstd-jni}. */
final class ZstdCodec extends AbstractCodec {

    ZstdCodec() {
        super("zstd", ".zst", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd},
                "com.github.luben:zstd-jni");
    }

    @Override
    public boolean isAvailable() {
        try {
            return ZstdUtils.isZstdCompressionAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    OutputStream newCompressor(OutputStream out) throws IOException {
        return new ZstdCompressorOutputStream(out);
    }

    @Override
    InputStream newDecompressor(InputStream in) throws IOException {
        return new ZstdCompressorInputStream(in);
    }
}
