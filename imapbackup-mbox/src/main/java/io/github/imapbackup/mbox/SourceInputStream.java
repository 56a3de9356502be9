package io.github.imapbackup.mbox;

import java.io.IOException;
import java.io.InputStream;

/** Marks failures of the content stream, to tell them from write failures. */
final class SourceInputStream extends InputStream {
    private final InputStream in;
    boolean failed;

    SourceInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }
}
