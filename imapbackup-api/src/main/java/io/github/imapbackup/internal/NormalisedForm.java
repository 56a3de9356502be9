package io.github.imapbackup.internal;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The normalised form of a message, in which another program's copy of a server message equals the
 * server's: every CR removed, ASCII white space at both ends stripped, and the {@code >} of
 * {@code From} quoting (any depth, at the start of a line) removed. The original imapbackup script
 * stored messages so (CRs removed, stripped, unquoted), and put a {@code Message-Id:} line with its
 * own synthetic id before a message without one; {@link #ofStored} leaves that line out. Streams:
 * memory stays bounded whatever the message size.
 */
final class NormalisedForm {

    /** The start of the Message-ID the original script gave a message without one. */
    static final String SCRIPT_ID_PREFIX = "<19AF1258-1AAF-44EF-9D9A-731079D6FAD7.";
    private static final byte[] SCRIPT_LINE = ("message-id: " + SCRIPT_ID_PREFIX).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FROM = {'F', 'r', 'o', 'm'};
    private static final int MAX_HELD = 8192;

    private final MessageDigest digest = sha256();
    /** The digest without the held white space, once more of it came than {@link #held} holds. */
    private MessageDigest beforeSpace;
    private final byte[] held = new byte[MAX_HELD];
    private int heldLength;
    private boolean started;
    private boolean lineStart = true;
    /** {@code >} at the start of a line, held until "From" shows whether they quote it. */
    private long quotes;
    private int fromMatched;

    /**
     * A stored message in normalised form.
     *
     * @param identity the identity of the message without the script's synthetic Message-Id line
     * @param sha256 the SHA-256 of its normalised form
     */
    record Stored(MessageIdentity identity, String sha256) { }

    /** {@return whether an identity is one the original script made up for a message without one} */
    static boolean scriptIdentity(MessageIdentity id) {
        return id.value().startsWith(MessageIdentity.MESSAGE_ID_PREFIX + SCRIPT_ID_PREFIX);
    }

    /** Returns the SHA-256 of the normalised form of a whole stream, read to its end. */
    static String of(InputStream in) throws IOException {
        NormalisedForm f = new NormalisedForm();
        byte[] buf = new byte[1 << 16];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            f.update(buf, 0, n);
        }
        return f.hex();
    }

    /**
     * Reads a stored message to its end: its normalised digest and identity, without a first line
     * that is the original script's synthetic Message-Id field (the script's form of a message that
     * had none).
     */
    static Stored ofStored(InputStream in, MessageIdExtractor extractor) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(SCRIPT_LINE.length + 256);
        boolean scriptLine = startsWithScriptLine(buffered);
        buffered.reset();
        if (scriptLine) {
            for (int c = buffered.read(); c >= 0 && c != '\n'; c = buffered.read()) {
                // skip the line
            }
        }
        NormalisedForm f = new NormalisedForm();
        InputStream tee = new FilterInputStream(buffered) {
            @Override
            public int read() throws IOException {
                int c = in.read();
                if (c >= 0) {
                    f.update((byte) c);
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    f.update(b, off, n);
                }
                return n;
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
        MessageIdentity identity = extractor.identify(tee);
        byte[] buf = new byte[1 << 16];
        while (tee.read(buf) >= 0) {
            // the tee digests what passes
        }
        return new Stored(identity, f.hex());
    }

    private static boolean startsWithScriptLine(InputStream in) throws IOException {
        for (byte b : SCRIPT_LINE) {
            int c = in.read();
            if (c < 0 || Character.toLowerCase(c) != Character.toLowerCase(b)) {
                return false;
            }
        }
        return true;
    }

    void update(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            update(b[i]);
        }
    }

    void update(byte b) {
        if (b == '\r') {
            return;
        }
        if (!started) {
            if (space(b)) {
                return;
            }
            started = true;
        }
        if (lineStart && fromMatched == 0 && b == '>') {
            quotes++;
            return;
        }
        if (quotes > 0) {
            if (b == FROM[fromMatched]) {
                if (++fromMatched == FROM.length) {
                    quotes = 0;
                    fromMatched = 0;
                    for (byte f : FROM) {
                        emit(f);
                    }
                }
                return;
            }
            releaseQuotes();
        }
        emit(b);
    }

    /** The held {@code >} did not quote a "From": they are text. */
    private void releaseQuotes() {
        for (long i = 0; i < quotes; i++) {
            emit((byte) '>');
        }
        for (int i = 0; i < fromMatched; i++) {
            emit(FROM[i]);
        }
        quotes = 0;
        fromMatched = 0;
    }

    private void emit(byte b) {
        if (space(b)) {
            if (heldLength == held.length) {
                if (beforeSpace == null) {
                    beforeSpace = copy(digest);
                }
                digest.update(held, 0, heldLength);
                heldLength = 0;
            }
            held[heldLength++] = b;
        } else {
            digest.update(held, 0, heldLength);
            heldLength = 0;
            beforeSpace = null;
            digest.update(b);
        }
        lineStart = b == '\n';
    }

    /** {@return the lowercase hex SHA-256 of the normalised form of what was given} */
    String hex() {
        if (quotes > 0) {
            releaseQuotes();
        }
        return HexFormat.of().formatHex(beforeSpace != null ? beforeSpace.digest() : digest.digest());
    }

    private static boolean space(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == 0x0c;
    }

    private static MessageDigest copy(MessageDigest d) {
        try {
            return (MessageDigest) d.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of this Java runtime cannot be cloned", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
