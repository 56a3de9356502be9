package io.github.imapbackup.mbox.internal;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Streams for tests: ones that return at most n bytes per read. */
public final class TestStreams {

    private TestStreams() { }

    public static InputStream chunked(byte[] data, int chunk) {
        return chunked(new ByteArrayInputStream(data), chunk);
    }

    public static InputStream chunked(InputStream in, int chunk) {
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
