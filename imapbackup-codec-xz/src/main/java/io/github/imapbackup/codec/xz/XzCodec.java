package io.github.imapbackup.codec.xz;

import io.github.imapbackup.spi.AbstractCompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZUtils;

/**
 * xz, name {@code xz}, suffix {@code .xz}: each append is a new stream; reading takes every stream.
 * Needs {@code org.tukaani:xz} (Java module {@code org.tukaani.xz}), a dependency of this artifact.
 * Installed as a service: having this artifact on the class or module path is enough.
 *
 * <pre>{@code
 * MboxStore store = MboxStore.builder(Path.of("backup")).codec("xz").build();
 * }</pre>
 */
public final class XzCodec extends AbstractCompressionCodec {

    /** Creates the codec (the service loader does). */
    public XzCodec() {
        super("xz", ".xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, "org.tukaani:xz", "org.tukaani.xz");
    }

    /** {@return whether the xz library can be loaded} */
    @Override
    public boolean isAvailable() {
        try {
            return XZUtils.isXZCompressionAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    protected OutputStream newCompressor(OutputStream out) throws IOException {
        return new XZCompressorOutputStream(out);
    }

    @Override
    protected InputStream newDecompressor(InputStream in) throws IOException {
        return XZCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
    }
}
