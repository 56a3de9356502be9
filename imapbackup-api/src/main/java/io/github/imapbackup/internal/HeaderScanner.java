package io.github.imapbackup.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A one-pass, byte-driven scanner of a header section: finds the first Message-ID field and,
 * when asked, computes the normalized SHA-256 of the whole section (see docs/FORMAT-identity.md).
 * Feeding may be split at any byte; the result never depends on where.
 */
final class HeaderScanner {

    /** Raw bytes of the first Message-ID field kept at most; a longer field is unusable. */
    static final int MAX_ID_FIELD = 1 << 20;
    /** Field names longer than this are never Message-ID nor excluded. */
    private static final int MAX_NAME = 256;
    /** Normalized bytes kept before they are fed to the digest. */
    private static final int OUT_CHUNK = 1 << 16;

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** Fields that mbox writers add or rewrite; left out of the synthetic identity. */
    private static final String[] EXCLUDED = {
        "status", "x-status", "x-keywords", "x-uid", "x-imap", "x-imapbase", "content-length",
        "lines", "x-mozilla-status", "x-mozilla-status2", "x-mozilla-keys", "x-gm-thrid",
        "x-gmail-labels",
    };
    private static final byte[] MESSAGE_ID = "message-id".getBytes(StandardCharsets.US_ASCII);

    private enum State { LINE_START, NAME, VALUE, DONE }

    private enum Kind { OTHER, EXCLUDED, MESSAGE_ID }

    private State state = State.LINE_START;
    private Kind kind = Kind.OTHER;
    private boolean fieldOpen;
    private boolean pendingCr;

    // fast mode: only the end of the header section is still of interest
    private boolean fast;
    private boolean fastLineStart;
    private boolean fastCrAtStart;

    private final byte[] name = new byte[MAX_NAME];
    private int nameLen;

    private boolean seenMessageId;
    private boolean decided;
    private byte[] id = new byte[128];
    private int idLen;
    private boolean idOverflow;
    private String messageId;

    private boolean hashing;
    private byte[] out;
    private int outLen;
    private MessageDigest digest;
    private boolean valueHasContent;
    private boolean pendingSpace;

    /**
     * Creates a scanner.
     *
     * @param hash whether the synthetic identity may be needed
     */
    HeaderScanner(boolean hash) {
        this.hashing = hash;
        this.out = hash ? new byte[1024] : null;
    }

    /** Returns whether the end of the header section was seen. */
    boolean done() {
        return state == State.DONE;
    }

    /**
     * Feeds bytes.
     *
     * @return the index just after the empty line that ends the header section, or -1 when the
     *     section did not end within these bytes
     */
    int feed(byte[] buf, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (fast) {
                return fastScan(buf, i, end);
            }
            if (state == State.VALUE && !pendingCr && kind != Kind.MESSAGE_ID) {
                i = valueSpan(buf, i, end);
                if (i == end) {
                    break;
                }
            }
            byte b = buf[i];
            if (pendingCr) {
                pendingCr = false;
                if (b != LF) {
                    onByte(CR); // a bare CR is an ordinary byte
                    if (fast) {
                        fastLineStart = false;
                        fastCrAtStart = false;
                        return fastScan(buf, i, end);
                    }
                }
            }
            if (b == CR) {
                pendingCr = true;
                continue;
            }
            onByte(b);
            if (state == State.DONE) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The stream ended (header-only message without an empty line). */
    void end() {
        if (state == State.DONE) {
            return;
        }
        if (pendingCr && !fast) {
            // a final lone CR counts as the line end it becomes in an mbox (where a \n is added
            // after a message without one), so a message has one identity with or without it
            pendingCr = false;
            onByte(LF);
            if (state == State.DONE) {
                return;
            }
        }
        endField();
        state = State.DONE;
    }

    /** Returns the normalized first Message-ID, or null when there is none or it is unusable. */
    String messageId() {
        return messageId;
    }

    /** Returns the hex SHA-256 of the normalized header section (after {@link #end()} or done). */
    String syntheticHash() {
        if (!hashing) {
            throw new IllegalStateException("no hash computed");
        }
        MessageDigest d = digest();
        d.update(out, 0, outLen);
        outLen = 0;
        return HexFormat.of().formatHex(d.digest());
    }

    private int fastScan(byte[] buf, int from, int end) {
        boolean lineStart = fastLineStart;
        boolean crAtStart = fastCrAtStart;
        for (int i = from; i < end; i++) {
            byte b = buf[i];
            if (b == LF) {
                if (lineStart || crAtStart) {
                    state = State.DONE;
                    return i + 1;
                }
                lineStart = true;
            } else if (b == CR && lineStart) {
                crAtStart = true;
                lineStart = false;
            } else {
                lineStart = false;
                crAtStart = false;
            }
        }
        fastLineStart = lineStart;
        fastCrAtStart = crAtStart;
        return -1;
    }

    private void onByte(byte b) {
        switch (state) {
            case LINE_START -> {
                if (b == LF) {
                    endField();
                    state = State.DONE;
                } else if (b == ' ' || b == '\t') {
                    if (!fieldOpen) {
                        startField();
                        kind = Kind.OTHER;
                    }
                    state = State.VALUE;
                    valueByte(b);
                } else {
                    endField();
                    if (fast) {
                        // only the end of the section matters now; this byte starts a line
                        fastLineStart = false;
                        fastCrAtStart = false;
                        state = State.NAME;
                        return;
                    }
                    startField();
                    state = State.NAME;
                    nameByte(b);
                }
            }
            case NAME -> {
                if (b == LF) {
                    // a line without a colon: not a field, but part of the section
                    kind = Kind.OTHER;
                    flushName();
                    state = State.LINE_START;
                } else if (b == ':') {
                    nameDone();
                    state = State.VALUE;
                } else {
                    nameByte(b);
                }
            }
            case VALUE -> {
                if (b == LF) {
                    state = State.LINE_START;
                } else {
                    valueByte(b);
                }
            }
            case DONE -> throw new IllegalStateException("header section already ended");
            default -> throw new AssertionError(state);
        }
    }

    private void startField() {
        fieldOpen = true;
        nameLen = 0;
        kind = Kind.OTHER;
        valueHasContent = false;
        pendingSpace = false;
    }

    private void endField() {
        if (!fieldOpen) {
            return;
        }
        fieldOpen = false;
        if (state == State.NAME) {
            kind = Kind.OTHER;
            flushName();
        }
        if (hashing && kind != Kind.EXCLUDED) {
            put(LF);
        }
        pendingSpace = false;
        if (kind == Kind.MESSAGE_ID) {
            messageId = idLen == 0 || idOverflow ? null : MessageIdCleaner.normalize(id, idLen);
            decided = true;
            id = null;
            if (messageId != null) {
                hashing = false;
                out = null;
            }
        }
        kind = Kind.OTHER;
        if (decided && !hashing) {
            fast = true;
        }
    }

    private void nameByte(byte b) {
        if (nameLen == MAX_NAME) {
            kind = Kind.OTHER;
            flushName();
            state = State.VALUE;
            valueByte(b);
            return;
        }
        name[nameLen++] = b;
    }

    /** Emits the collected name bytes as plain text (a line that is no field, or too long). */
    private void flushName() {
        for (int i = 0; i < nameLen; i++) {
            valueByte(name[i]);
        }
        nameLen = 0;
    }

    private void nameDone() {
        int n = nameLen;
        while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t')) {
            n--;
        }
        if (!seenMessageId && equalsLower(name, n, MESSAGE_ID)) {
            seenMessageId = true;
            kind = Kind.MESSAGE_ID;
        } else if (excluded(n)) {
            kind = Kind.EXCLUDED;
        } else {
            kind = Kind.OTHER;
        }
        if (hashing && kind != Kind.EXCLUDED) {
            for (int i = 0; i < n; i++) {
                put(lower(name[i]));
            }
            put((byte) ':');
        }
        nameLen = 0;
        valueHasContent = false;
        pendingSpace = false;
    }

    private void valueByte(byte b) {
        if (kind == Kind.EXCLUDED) {
            return;
        }
        if (kind == Kind.MESSAGE_ID) {
            captureId(b);
        }
        if (!hashing) {
            return;
        }
        if (b == ' ' || b == '\t' || b == CR) {
            if (valueHasContent) {
                pendingSpace = true;
            }
            return;
        }
        if (pendingSpace) {
            put((byte) ' ');
            pendingSpace = false;
        }
        put(b);
        valueHasContent = true;
    }

    /**
     * Does what {@link #valueByte} does for each byte up to the next CR or LF, in one loop; returns
     * where it stopped.
     */
    private int valueSpan(byte[] buf, int from, int end) {
        int stop = from;
        while (stop < end && buf[stop] != CR && buf[stop] != LF) {
            stop++;
        }
        if (kind == Kind.EXCLUDED || !hashing) {
            return stop;
        }
        for (int p = from; p < stop; ) {
            int q = Math.min(stop, p + OUT_CHUNK / 2);
            reserve(q - p + 1);
            byte[] o = out;
            int n = outLen;
            boolean space = pendingSpace;
            boolean content = valueHasContent;
            for (int k = p; k < q; k++) {
                byte c = buf[k];
                if (c == ' ' || c == '\t') {
                    space = content;
                } else {
                    if (space) {
                        o[n++] = ' ';
                        space = false;
                    }
                    o[n++] = c;
                    content = true;
                }
            }
            outLen = n;
            pendingSpace = space;
            valueHasContent = content;
            p = q;
        }
        return stop;
    }

    /** Makes room for {@code k} more normalized bytes (at most {@link #OUT_CHUNK}). */
    private void reserve(int k) {
        if (outLen + k <= out.length) {
            return;
        }
        if (out.length < OUT_CHUNK) {
            out = java.util.Arrays.copyOf(out, Math.min(OUT_CHUNK, Math.max(out.length * 2, outLen + k)));
        }
        if (outLen + k > out.length) {
            digest().update(out, 0, outLen);
            outLen = 0;
        }
    }

    private void captureId(byte b) {
        if (idOverflow) {
            return;
        }
        if (idLen == id.length) {
            if (idLen >= MAX_ID_FIELD) {
                idOverflow = true;
                return;
            }
            id = java.util.Arrays.copyOf(id, Math.min(MAX_ID_FIELD, idLen * 2));
        }
        id[idLen++] = b;
    }

    private void put(byte b) {
        if (outLen == out.length) {
            if (out.length < OUT_CHUNK) {
                out = java.util.Arrays.copyOf(out, out.length * 2);
            } else {
                digest().update(out, 0, outLen);
                outLen = 0;
            }
        }
        out[outLen++] = b;
    }

    private MessageDigest digest() {
        if (digest == null) {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
            }
        }
        return digest;
    }

    private boolean excluded(int n) {
        for (String e : EXCLUDED) {
            if (e.length() == n && equalsLower(name, n, e)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsLower(byte[] a, int n, byte[] lower) {
        if (n != lower.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (lower(a[i]) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsLower(byte[] a, int n, String lower) {
        for (int i = 0; i < n; i++) {
            if (lower(a[i]) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }
}
