package io.github.imapbackup.internal;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * The standard Message-ID extractor (see {@link MessageIdExtractor#standard()}); the rules are in
 * {@code docs/FORMAT-identity.md}. Its own byte scanners ({@link QuickScanner}, then
 * {@link HeaderScanner} only for synthetic identities and huge headers) read the header section
 * once, in chunks when the stream supports {@code mark} (then it resets to just after the empty
 * line), otherwise byte by byte, so it never consumes any byte of the body. Mime4j is not used on
 * this path: a dedicated scanner is several times faster; a test checks both agree.
 */
public final class StandardMessageIdExtractor implements MessageIdExtractor {

    /** The shared instance. */
    public static final StandardMessageIdExtractor INSTANCE = new StandardMessageIdExtractor();

    private static final int CHUNK = 8192;

    private StandardMessageIdExtractor() { }

    @Override
    public MessageIdentity identify(InputStream message) throws IOException {
        QuickScanner scanner = new QuickScanner(true);
        scan(Objects.requireNonNull(message, "message"), scanner);
        return scanner.identity();
    }

    @Override
    public Optional<String> messageId(InputStream header) throws IOException {
        QuickScanner scanner = new QuickScanner(false);
        scan(Objects.requireNonNull(header, "header"), scanner);
        return Optional.ofNullable(scanner.messageId());
    }

    /**
     * Returns the identity of a header section held in memory.
     *
     * @param bytes the bytes (a header section, or a whole message)
     * @param off where it starts
     * @param len how many bytes
     * @return the identity
     */
    public MessageIdentity identify(byte[] bytes, int off, int len) {
        Objects.checkFromIndexSize(off, len, bytes.length);
        QuickScanner scanner = new QuickScanner(true);
        int end = off + len;
        for (int p = off; ; p += CHUNK) {
            if (p >= end) {
                scanner.end();
                break;
            }
            if (scanner.feed(bytes, p, Math.min(CHUNK, end - p)) >= 0) {
                break;
            }
        }
        return scanner.identity();
    }

    private static void scan(InputStream in, QuickScanner scanner) throws IOException {
        if (in.markSupported()) {
            scanMarked(in, scanner);
            return;
        }
        byte[] one = new byte[1];
        while (true) {
            int b = in.read();
            if (b < 0) {
                scanner.end();
                return;
            }
            one[0] = (byte) b;
            if (scanner.feed(one, 0, 1) >= 0) {
                return;
            }
        }
    }

    private static void scanMarked(InputStream in, QuickScanner scanner) throws IOException {
        // a short header in memory (a header-fields answer) needs no 8 KiB buffer
        byte[] buf = new byte[Math.max(256, Math.min(CHUNK, in.available()))];
        while (true) {
            in.mark(buf.length);
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                scanner.end();
                return;
            }
            int used = scanner.feed(buf, 0, n);
            if (used >= 0) {
                if (used < n) {
                    in.reset();
                    skipFully(in, used);
                }
                return;
            }
        }
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new IOException("stream shorter after reset than before");
                }
                s = 1;
            }
            left -= s;
        }
    }
}
