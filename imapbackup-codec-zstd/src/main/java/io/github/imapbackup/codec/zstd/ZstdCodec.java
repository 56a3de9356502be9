package io.github.imapbackup.codec.zstd;

import io.github.imapbackup.spi.AbstractCompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdUtils;

/**
 * Zstandard, name {@code zstd}, suffix {@code .zst}: each append is a new frame; reading takes
 * every frame. Needs {@code com.github.luben:zstd-jni} (Java module
 * {@code com.github.luben.zstd_jni}), a dependency of this artifact. Installed as a service: having
 * this artifact on the class or module path is enough.
 *
 * <pre>{@code
 * MboxStore store = MboxStore.builder(Path.of("backup")).codec("zstd").build();
 * }</pre>
 */
public final class ZstdCodec extends AbstractCompressionCodec {

    /** Creates the codec (the service loader does). */
    public ZstdCodec() {
        super("zstd", ".zst", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd},
                "com.github.luben:zstd-jni", "com.github.luben.zstd_jni");
    }

    /** {@return whether zstd-jni and its native library can be loaded} */
    @Override
    public boolean isAvailable() {
        try {
            return ZstdUtils.isZstdCompressionAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    protected OutputStream newCompressor(OutputStream out) throws IOException {
        return new ZstdCompressorOutputStream(out);
    }

    @Override
    protected InputStream newDecompressor(InputStream in) throws IOException {
        return new ZstdCompressorInputStream(in);
    }
}
