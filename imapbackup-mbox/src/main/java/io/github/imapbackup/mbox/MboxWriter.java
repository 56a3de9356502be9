package io.github.imapbackup.mbox;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Writes messages as mboxrd (see {@code docs/FORMAT.md}): a From_ line, the exact bytes with every
 * line matching {@code ^>*From } given one more {@code >}, a {@code \n} if the message does not end
 * with one, and an empty line. Streams: never holds a whole message. Not thread-safe.
 *
 * <pre>{@code
 * try (MboxWriter w = new MboxWriter(Files.newOutputStream(file), 0)) {
 *     MboxWriter.Written m = w.write("alice@example.org", Instant.now(), messageStream);
 * }
 * }</pre>
 */
public final class MboxWriter implements Closeable {

    private static final int BUF = 1 << 16;
    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    private final OutputStream out;
    private final byte[] in = new byte[BUF];
    private final byte[] buf = new byte[BUF * 2 + 16];
    private int fill;
    private long position;
    private final MessageDigest sha;
    private boolean closed;

    /**
     * Creates a writer.
     *
     * @param out where the mbox bytes go (not buffered further by the caller's need: this class
     *     buffers); closed by {@link #close()}
     * @param position the position of the next byte in the (uncompressed) mbox, for offsets
     */
    public MboxWriter(OutputStream out, long position) {
        this.out = Objects.requireNonNull(out, "out");
        this.position = position;
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /**
     * What was written for one message.
     *
     * @param offset position of the From_ line in the uncompressed mbox
     * @param length number of message bytes read from the content (exact bytes)
     * @param sha256 lowercase hex SHA-256 of those bytes
     * @param newlineAdded whether a {@code \n} was added because the message did not end with one
     * @param end position just after the message's trailing empty line
     */
    public record Written(long offset, long length, String sha256, boolean newlineAdded, long end) { }

    /** Returns the position of the next byte in the uncompressed mbox. */
    public long position() {
        return position + fill;
    }

    /**
     * Writes one message.
     *
     * @param sender the sender's addr-spec for the From_ line, or null for {@code MAILER-DAEMON}
     * @param date the INTERNALDATE for the From_ line
     * @param content the exact message bytes, read to the end (not closed)
     * @return what was written
     * @throws IOException if reading the content or writing fails
     */
    public Written write(String sender, Instant date, InputStream content) throws IOException {
        ensureOpen();
        long offset = position();
        put(FromLine.format(sender, date));
        sha.reset();
        long length = 0;
        boolean lineStart = true;
        long pendingGt = 0;
        int fromMatched = 0;
        int last = '\n';
        int n;
        while ((n = content.read(in, 0, in.length)) >= 0) {
            if (n == 0) {
                continue;
            }
            sha.update(in, 0, n);
            length += n;
            last = in[n - 1] & 0xff;
            int i = 0;
            while (i < n) {
                if (lineStart) {
                    byte b = in[i];
                    if (fromMatched == 0 && b == '>') {
                        pendingGt++;
                        i++;
                        continue;
                    }
                    if (b == FROM[fromMatched]) {
                        fromMatched++;
                        i++;
                        if (fromMatched == FROM.length) {
                            putByte('>');
                            putGt(pendingGt);
                            put(FROM);
                            pendingGt = 0;
                            fromMatched = 0;
                            lineStart = false;
                        }
                        continue;
                    }
                    putGt(pendingGt);
                    putPrefix(fromMatched);
                    pendingGt = 0;
                    fromMatched = 0;
                    lineStart = false;
                    continue;
                }
                int j = i;
                while (j < n && in[j] != '\n') {
                    j++;
                }
                if (j < n) {
                    put(in, i, j + 1 - i);
                    lineStart = true;
                    i = j + 1;
                } else {
                    put(in, i, n - i);
                    i = n;
                }
            }
        }
        putGt(pendingGt);
        putPrefix(fromMatched);
        boolean added = last != '\n' || length == 0;
        if (added) {
            putByte('\n');
        }
        putByte('\n');
        String hex = HexFormat.of().formatHex(sha.digest());
        return new Written(offset, length, hex, added, position());
    }

    /**
     * Writes buffered bytes to the underlying stream and flushes it.
     *
     * @throws IOException if writing fails
     */
    public void flush() throws IOException {
        ensureOpen();
        drain();
        out.flush();
    }

    /** Flushes and closes the underlying stream; idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            drain();
        } finally {
            out.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("mbox writer is closed");
        }
    }

    private void putGt(long count) throws IOException {
        for (long k = 0; k < count; k++) {
            putByte('>');
        }
    }

    private void putPrefix(int matched) throws IOException {
        if (matched > 0) {
            put(FROM, 0, matched);
        }
    }

    private void put(byte[] b) throws IOException {
        put(b, 0, b.length);
    }

    private void put(byte[] b, int off, int len) throws IOException {
        if (len > buf.length - fill) {
            drain();
            if (len > buf.length) {
                out.write(b, off, len);
                position += len;
                return;
            }
        }
        System.arraycopy(b, off, buf, fill, len);
        fill += len;
    }

    private void putByte(int b) throws IOException {
        if (fill == buf.length) {
            drain();
        }
        buf[fill++] = (byte) b;
    }

    private void drain() throws IOException {
        if (fill > 0) {
            out.write(buf, 0, fill);
            position += fill;
            fill = 0;
        }
    }
}
