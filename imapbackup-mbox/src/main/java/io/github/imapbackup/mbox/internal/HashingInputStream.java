package io.github.imapbackup.mbox.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hashes (SHA-256) and counts every byte read through it, whoever reads and however. */
public class HashingInputStream extends FilterInputStream {

    private final MessageDigest sha;
    private long count;

    /**
     * Wraps a stream.
     *
     * @param in the stream whose bytes are hashed and counted
     */
    public HashingInputStream(InputStream in) {
        super(in);
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            sha.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            sha.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: every byte is hashed once
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    /** {@return the number of bytes read so far} */
    public long count() {
        return count;
    }

    /** {@return the lowercase hex SHA-256 of the bytes read (call once, at the end)} */
    public String hex() {
        return HexFormat.of().formatHex(sha.digest());
    }
}
