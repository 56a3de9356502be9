package io.github.imapbackup.mbox;

import io.github.imapbackup.mbox.internal.HashingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/** Passes a stored message through and, at its end, throws when its length or SHA-256 is not the recorded one. */
final class CheckingInputStream extends HashingInputStream {

    private final long length;
    private final String sha256;
    private final Supplier<? extends IOException> mismatch;
    private boolean checked;

    CheckingInputStream(InputStream in, long length, String sha256, Supplier<? extends IOException> mismatch) {
        super(in);
        this.length = length;
        this.sha256 = sha256;
        this.mismatch = mismatch;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            check();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            check();
        }
        return n;
    }

    private void check() throws IOException {
        if (!checked) {
            checked = true;
            if (count() != length || !hex().equals(sha256)) {
                throw mismatch.get();
            }
        }
    }
}
