package io.github.imapbackup.spi;

import io.github.imapbackup.CodecUnavailableException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A base for codecs recognised by a fixed signature (magic bytes) at the start of a file: it holds
 * name, suffix and signature, buffers both directions, and checks availability before each use.
 * A codec that needs an optional library names it (Maven artifact and Java module) and overrides
 * {@link #isAvailable()}.
 *
 * <pre>{@code
 * public final class Lz4Codec extends AbstractCompressionCodec {
 *     public Lz4Codec() {
 *         super("lz4", ".lz4", new byte[] {0x04, 0x22, 0x4d, 0x18}, "org.lz4:lz4-java", "org.lz4.java");
 *     }
 *
 *     protected OutputStream newCompressor(OutputStream out) throws IOException {
 *         return new LZ4FrameOutputStream(out);
 *     }
 *
 *     protected InputStream newDecompressor(InputStream in) throws IOException {
 *         return new LZ4FrameInputStream(in); // must read every frame, not only the first
 *     }
 * }
 * }</pre>
 */
public abstract class AbstractCompressionCodec implements CompressionCodec {

    /** The buffer size of both directions. */
    protected static final int BUFFER = 1 << 16;

    private final String name;
    private final String suffix;
    private final byte[] magic;
    private final String artifact;
    private final String module;

    /**
     * Creates a codec that needs no library beyond those imapbackup requires.
     *
     * @param name the name, e.g. {@code gzip}
     * @param suffix the file name suffix, e.g. {@code .gz}, or the empty string for no compression
     * @param magic the bytes every file in this format starts with (empty: never detected)
     */
    protected AbstractCompressionCodec(String name, String suffix, byte[] magic) {
        this(name, suffix, magic, "", "");
    }

    /**
     * Creates a codec that needs an optional library.
     *
     * @param name the name, e.g. {@code zstd}
     * @param suffix the file name suffix, e.g. {@code .zst}
     * @param magic the bytes every file in this format starts with (empty: never detected)
     * @param artifact the library's Maven coordinates, e.g. {@code com.github.luben:zstd-jni}
     * @param module the library's Java module name, e.g. {@code com.github.luben.zstd_jni}
     */
    protected AbstractCompressionCodec(String name, String suffix, byte[] magic, String artifact,
            String module) {
        this.name = Objects.requireNonNull(name, "name");
        this.suffix = Objects.requireNonNull(suffix, "suffix");
        this.magic = magic.clone();
        this.artifact = Objects.requireNonNull(artifact, "artifact");
        this.module = Objects.requireNonNull(module, "module");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String suffix() {
        return suffix;
    }

    /**
     * {@inheritDoc} This implementation says yes; a codec with an optional library checks it.
     */
    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public final boolean matches(byte[] signature, int length) {
        if (magic.length == 0 || length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (signature[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * @throws CodecUnavailableException naming the library's Maven artifact and Java module
     */
    @Override
    public final void requireAvailable() throws CodecUnavailableException {
        if (artifact.isEmpty()) {
            CompressionCodec.super.requireAvailable();
        } else if (!isAvailable()) {
            throw new CodecUnavailableException(name, artifact, module);
        }
    }

    @Override
    public final OutputStream compress(OutputStream out) throws IOException {
        requireAvailable();
        return new ReportedOnce(newCompressor(new BufferedOutputStream(out, BUFFER)));
    }

    /**
     * A compressor that throws, when closed, the very failure a write already threw (xz does: it
     * keeps the failure and throws it again) says it once: a try-with-resources around it would
     * otherwise add the failure to itself as suppressed, which {@link Throwable#addSuppressed}
     * refuses with an IllegalArgumentException that hides the real cause (a full disk).
     */
    private static final class ReportedOnce extends java.io.FilterOutputStream {
        private IOException thrown;

        ReportedOnce(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                thrown = e;
                throw e;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                thrown = e;
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                thrown = e;
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                if (e != thrown) {
                    throw e;
                }
                // already thrown by a write: the caller has it
            }
        }
    }

    @Override
    public final InputStream decompress(InputStream in) throws IOException {
        requireAvailable();
        return newDecompressor(new BufferedInputStream(in, BUFFER));
    }

    /**
     * Starts a new member/stream/frame; called only when the codec is available.
     *
     * @param out where the compressed bytes go (buffered)
     * @return the stream to write uncompressed bytes to; closing it finishes the member and closes {@code out}
     * @throws IOException if writing fails
     */
    protected abstract OutputStream newCompressor(OutputStream out) throws IOException;

    /**
     * Reads every member/stream/frame; called only when the codec is available.
     *
     * @param in the compressed bytes (buffered)
     * @return the uncompressed bytes; closing it closes {@code in}
     * @throws IOException if reading fails
     */
    protected abstract InputStream newDecompressor(InputStream in) throws IOException;

    @Override
    public String toString() {
        return name;
    }
}
