package io.github.imapbackup.mbox;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Streams for tests: ones that return at most n bytes per read. */
final class TestStreams {

    private TestStreams() { }

    static InputStream chunked(byte[] data, int chunk) {
        return chunked(new ByteArrayInputStream(data), chunk);
    }

    static InputStream chunked(InputStream in, int chunk) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }

            @Override
            public int available() {
                return 0;
            }
        };
    }
}
