package io.github.imapbackup.mbox.internal;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.mbox.format.Dialect;
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
 *
 * <p>For export, other dialects can be written ({@link #MboxWriter(OutputStream, long, Dialect)}):
 * {@link Dialect#MBOXO} quotes only {@code ^From } (one more {@code >}); {@link Dialect#MBOXCL2}
 * quotes nothing and puts a {@code Content-Length:} header (the body length) before the message's
 * first header field, which needs the message length up front
 * ({@link #write(String, Instant, InputStream, long)}) and a header section of at most 1 MiB.
 * {@link Dialect#MBOXCL} cannot be written while streaming (its length counts quoted bytes).
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
    private final Dialect dialect;
    private final boolean quoteGt;
    private boolean closed;

    /** The longest header section a {@link Dialect#MBOXCL2} message may have. */
    static final int MAX_HEADER = 1 << 20;

    /**
     * Creates a writer.
     *
     * @param out where the mbox bytes go (not buffered further by the caller's need: this class
     *     buffers); closed by {@link #close()}
     * @param position the position of the next byte in the (uncompressed) mbox, for offsets
     */
    public MboxWriter(OutputStream out, long position) {
        this(out, position, Dialect.MBOXRD);
    }

    /**
     * Creates a writer for a dialect.
     *
     * @param out where the mbox bytes go; closed by {@link #close()}
     * @param position the position of the next byte in the (uncompressed) mbox, for offsets
     * @param dialect {@link Dialect#MBOXRD}, {@link Dialect#MBOXO} or {@link Dialect#MBOXCL2}
     * @throws IllegalArgumentException for {@link Dialect#MBOXCL}
     */
    public MboxWriter(OutputStream out, long position, Dialect dialect) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        if (dialect == Dialect.MBOXCL) {
            throw new IllegalArgumentException("mboxcl cannot be written while streaming (its"
                    + " Content-Length counts quoted bytes); write mboxcl2 or mboxrd");
        }
        this.quoteGt = dialect == Dialect.MBOXRD;
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

    /**
     * Returns the dialect written.
     *
     * @return the dialect written
     */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Returns the position of the next byte in the uncompressed mbox.
     *
     * @return the position of the next byte in the uncompressed mbox
     */
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
     * @throws IllegalStateException if the dialect is {@link Dialect#MBOXCL2}, which needs the length
     */
    public Written write(String sender, Instant date, InputStream content) throws IOException {
        if (dialect == Dialect.MBOXCL2) {
            throw new IllegalStateException("mboxcl2 needs the message length: use write(sender, date,"
                    + " content, length)");
        }
        return write(sender, date, content, -1);
    }

    /**
     * Writes one message whose length is known.
     *
     * @param sender the sender's addr-spec for the From_ line, or null for {@code MAILER-DAEMON}
     * @param date the INTERNALDATE for the From_ line
     * @param content the exact message bytes, read to the end (not closed)
     * @param length the number of bytes {@code content} has, or -1 if unknown (not for
     *     {@link Dialect#MBOXCL2})
     * @return what was written
     * @throws IOException if reading the content or writing fails, or the content does not have
     *     {@code length} bytes (the mbox then holds a damaged message)
     */
    public Written write(String sender, Instant date, InputStream content, long length)
            throws IOException {
        ensureOpen();
        Objects.requireNonNull(content, "content");
        if (length < -1 || length == -1 && dialect == Dialect.MBOXCL2) {
            throw new IllegalArgumentException("bad message length " + length);
        }
        long offset = position();
        put(FromLine.format(sender, date));
        sha.reset();
        Written w = dialect == Dialect.MBOXCL2 ? writeCl2(content, length, offset)
                : writeQuoted(content, offset);
        if (length >= 0 && w.length() != length) {
            throw new BackupException("the message had " + w.length() + " bytes, not the " + length
                    + " announced; the mbox holds it as read", null);
        }
        return w;
    }

    private Written writeQuoted(InputStream content, long offset) throws IOException {
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
                    if (fromMatched == 0 && b == '>' && quoteGt) {
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
                // Copy up to the next line that starts with a byte quoting may concern.
                int j = i;
                while (true) {
                    int nl = Bytes.indexOfNewline(in, j, n);
                    if (nl < 0) {
                        put(in, i, n - i);
                        i = n;
                        break;
                    }
                    j = nl + 1;
                    if (j < n && in[j] != 'F' && (in[j] != '>' || !quoteGt)) {
                        continue;
                    }
                    put(in, i, j - i);
                    lineStart = true;
                    i = j;
                    break;
                }
            }
        }
        putGt(pendingGt);
        putPrefix(fromMatched);
        return finish(offset, length, last);
    }

    private Written finish(long offset, long length, int last) throws IOException {
        boolean added = last != '\n' || length == 0;
        if (added) {
            putByte('\n');
        }
        putByte('\n');
        String hex = HexFormat.of().formatHex(sha.digest());
        return new Written(offset, length, hex, added, position());
    }

    /** mboxcl2: header section buffered, Content-Length first, the rest copied as it is. */
    private Written writeCl2(InputStream content, long total, long offset) throws IOException {
        byte[] head = new byte[Math.min(MAX_HEADER, BUF)];
        int h = 0;
        int headerEnd = -1;
        int terminator = 0;
        boolean lineStart = true;
        int scanned = 0;
        while (headerEnd < 0) {
            if (h == head.length) {
                if (head.length >= MAX_HEADER) {
                    throw new BackupException("the message's header section is longer than "
                            + MAX_HEADER + " bytes: it cannot be written as mboxcl2", null);
                }
                head = java.util.Arrays.copyOf(head, Math.min(MAX_HEADER, head.length * 2));
            }
            int n = content.read(head, h, head.length - h);
            if (n < 0) {
                break;
            }
            h += n;
            for (; scanned < h && headerEnd < 0; scanned++) {
                byte b = head[scanned];
                if (lineStart && b == '\n') {
                    headerEnd = scanned + 1;
                    terminator = 1;
                } else if (lineStart && b == '\r' && scanned + 1 < h && head[scanned + 1] == '\n') {
                    headerEnd = scanned + 2;
                    terminator = 2;
                } else if (lineStart && b == '\r' && scanned + 1 == h) {
                    break; // decide when the next byte is there
                } else {
                    lineStart = b == '\n';
                }
            }
        }
        // Without an empty line the whole message is its header section: the body is empty.
        long body = headerEnd >= 0 ? total - headerEnd : 0;
        if (body < 0) {
            throw new BackupException("the message had more bytes than the " + total
                    + " announced", null);
        }
        put(("Content-Length: " + body + (terminator == 2 ? "\r\n" : "\n"))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        sha.update(head, 0, h);
        put(head, 0, h);
        long length = h;
        int last = h > 0 ? head[h - 1] & 0xff : '\n';
        int n;
        while ((n = content.read(in, 0, in.length)) >= 0) {
            if (n == 0) {
                continue;
            }
            sha.update(in, 0, n);
            put(in, 0, n);
            length += n;
            last = in[n - 1] & 0xff;
        }
        return finish(offset, length, last);
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
        try (out) { // a failure of the close is added to the drain's, not put in its place
            drain();
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
