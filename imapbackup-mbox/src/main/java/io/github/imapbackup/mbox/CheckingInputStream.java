package io.github.imapbackup.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Supplier;

/** Passes a stored message through and, at its end, throws when its length or SHA-256 is not the recorded one. */
final class CheckingInputStream extends InputStream {

    private final InputStream in;
    private final MessageDigest sha;
    private final long length;
    private final String sha256;
    private final Supplier<? extends IOException> mismatch;
    private long count;
    private boolean checked;

    CheckingInputStream(InputStream in, long length, String sha256, Supplier<? extends IOException> mismatch) {
        this.in = in;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        this.length = length;
        this.sha256 = sha256;
        this.mismatch = mismatch;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            check();
        } else {
            sha.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            check();
        } else {
            sha.update(b, off, n);
            count += n;
        }
        return n;
    }

    private void check() throws IOException {
        if (!checked) {
            checked = true;
            if (count != length || !HexFormat.of().formatHex(sha.digest()).equals(sha256)) {
                throw mismatch.get();
            }
        }
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
