package io.github.imapbackup.spi;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

/**
 * A compressor that keeps its first failure and throws it again when closed (xz's does): the
 * failure reaches the caller of a try-with-resources as itself, not as "Self-suppression not
 * permitted" (seen on a full disk with the xz codec, FullDiskBackupIT).
 */
class AbstractCompressionCodecTest {

    /** A codec whose compressor fails every write with one kept failure, like XZOutputStream. */
    private static class StickyCodec extends AbstractCompressionCodec {
        StickyCodec() {
            super("sticky", ".sticky", new byte[] {1, 2}, "", "");
        }

        @Override
        protected OutputStream newCompressor(OutputStream out) {
            IOException full = new IOException("No space left on device");
            return new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    throw full;
                }

                @Override
                public void close() throws IOException {
                    throw full;
                }
            };
        }

        @Override
        protected InputStream newDecompressor(InputStream in) {
            return in;
        }
    }

    @Test
    void aFailureThrownAgainOnCloseReachesTheCallerAsItself() {
        assertThatThrownBy(() -> {
            try (OutputStream out = new StickyCodec().compress(new ByteArrayOutputStream())) {
                out.write(new byte[] {'x'}, 0, 1);
            }
        }).isInstanceOf(IOException.class).hasMessage("No space left on device").hasNoSuppressedExceptions();
    }

    @Test
    void aFailureOnlyCloseMeetsIsThrown() {
        AbstractCompressionCodec codec = new StickyCodec() {
            @Override
            protected OutputStream newCompressor(OutputStream out) {
                return new FilterOutputStream(out) {
                    @Override
                    public void close() throws IOException {
                        throw new IOException("closing failed");
                    }
                };
            }
        };
        assertThatThrownBy(() -> codec.compress(new ByteArrayOutputStream()).close())
                .isInstanceOf(IOException.class).hasMessage("closing failed");
    }
}
