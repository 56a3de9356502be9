package io.github.imapbackup.internal;

import io.github.imapbackup.MessageIdentity;
import java.util.Arrays;

/**
 * The fast path of the extractor: jumps from line end to line end, looks at line starts only, and
 * keeps the raw header bytes. Only when no usable Message-ID is found (or the header outgrows
 * {@link #MAX_RAW}) does the byte-by-byte {@link HeaderScanner} run; it applies the same rules, which
 * the property tests check.
 */
final class QuickScanner {

    /** Raw header bytes kept before handing over to the streaming scanner. */
    static final int MAX_RAW = 1 << 18;
    private static final int NAME_LIMIT = 256;
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] EMPTY = {};
    private static final byte[] MESSAGE_ID = {'m', 'e', 's', 's', 'a', 'g', 'e', '-', 'i', 'd'};

    private final boolean hash;
    /** Sized by the first feed (often a short header-fields answer), then doubled as needed. */
    private byte[] raw = EMPTY;
    private int rawLen;
    private int lineStart;
    private int searchFrom;
    private boolean lineChecked;
    private boolean seenId;
    private boolean inId;
    private int idValueStart;
    private String messageId;
    private int end = -1;
    private HeaderScanner slow;

    /**
     * Creates a scanner.
     *
     * @param hash whether the synthetic identity may be needed
     */
    QuickScanner(boolean hash) {
        this.hash = hash;
    }

    /**
     * Feeds bytes.
     *
     * @return the index in {@code b} just after the empty line ending the header section, or -1
     */
    int feed(byte[] b, int off, int len) {
        if (slow != null) {
            return slow.feed(b, off, len);
        }
        if (rawLen + len > MAX_RAW) {
            slow = new HeaderScanner(hash);
            if (slow.feed(raw, 0, rawLen) >= 0) {
                throw new AssertionError("header end missed by the quick scan");
            }
            raw = null;
            return slow.feed(b, off, len);
        }
        if (rawLen + len > raw.length) {
            raw = Arrays.copyOf(raw, Math.min(MAX_RAW, Math.max(rawLen + len, raw.length * 2)));
        }
        System.arraycopy(b, off, raw, rawLen, len);
        int base = rawLen;
        rawLen += len;
        int e = scan(false);
        return e < 0 ? -1 : off + (e - base);
    }

    /** The stream ended. */
    void end() {
        if (slow != null) {
            slow.end();
        } else if (end < 0) {
            scan(true);
        }
    }

    /** Returns the normalized first Message-ID, or null (after the end was seen). */
    String messageId() {
        return slow != null ? slow.messageId() : messageId;
    }

    /** Returns the identity (after the end was seen). */
    MessageIdentity identity() {
        String id = messageId();
        if (id != null) {
            return MessageIdentity.ofMessageId(id);
        }
        HeaderScanner s = slow;
        if (s == null) {
            s = new HeaderScanner(true);
            if (s.feed(raw, 0, end) < 0) {
                s.end();
            }
        }
        return new MessageIdentity(MessageIdentity.SYNTHETIC_PREFIX + s.syntheticHash());
    }

    /** Examines complete lines; returns the header end in {@code raw}, or -1 for more input. */
    private int scan(boolean eof) {
        while (true) {
            int s = lineStart;
            if (!lineChecked) {
                if (s >= rawLen) {
                    return eof ? finish(rawLen, rawLen) : -1;
                }
                byte c = raw[s];
                if (c == LF) {
                    return finish(s, s + 1);
                }
                if (c == CR) {
                    if (s + 1 >= rawLen) {
                        if (!eof) {
                            return -1;
                        }
                    } else if (raw[s + 1] == LF) {
                        return finish(s, s + 2);
                    }
                }
                if (c != ' ' && c != '\t') {
                    if (inId) {
                        finishId(s);
                    }
                    if (!seenId) {
                        int colon = matchMessageId(s, eof);
                        if (colon == -2) {
                            return -1;
                        }
                        if (colon >= 0) {
                            seenId = true;
                            inId = true;
                            idValueStart = colon + 1;
                        }
                    }
                }
                lineChecked = true;
                searchFrom = s;
            }
            int i = indexOfLf(searchFrom);
            if (i < 0) {
                searchFrom = rawLen;
                return eof ? finish(rawLen, rawLen) : -1;
            }
            lineStart = i + 1;
            lineChecked = false;
        }
    }

    private int indexOfLf(int from) {
        byte[] r = raw;
        for (int i = from, n = rawLen; i < n; i++) {
            if (r[i] == LF) {
                return i;
            }
        }
        return -1;
    }

    /** Returns the colon's index, -1 when the line is no Message-ID field, -2 to wait for input. */
    private int matchMessageId(int s, boolean eof) {
        for (int k = 0; k < MESSAGE_ID.length; k++) {
            if (s + k >= rawLen) {
                return eof ? -1 : -2;
            }
            byte b = raw[s + k];
            if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != MESSAGE_ID[k]) {
                return -1;
            }
        }
        for (int j = s + MESSAGE_ID.length; ; j++) {
            if (j - s > NAME_LIMIT) {
                return -1;
            }
            if (j >= rawLen) {
                return eof ? -1 : -2;
            }
            byte b = raw[j];
            if (b == ':') {
                return j;
            }
            if (b != ' ' && b != '\t') {
                return -1;
            }
        }
    }

    private int finish(int fieldEnd, int headerEnd) {
        if (inId) {
            finishId(fieldEnd);
        }
        end = headerEnd;
        return headerEnd;
    }

    /** The Message-ID field ends before {@code fieldEnd}: its value without LF and CR-before-LF. */
    private void finishId(int fieldEnd) {
        inId = false;
        byte[] v = new byte[Math.min(fieldEnd - idValueStart, HeaderScanner.MAX_ID_FIELD + 1)];
        int n = 0;
        for (int i = idValueStart; i < fieldEnd && n < v.length; i++) {
            byte b = raw[i];
            if (b == LF || b == CR && i + 1 < rawLen && raw[i + 1] == LF) {
                continue;
            }
            v[n++] = b;
        }
        messageId = n == 0 || n > HeaderScanner.MAX_ID_FIELD ? null : MessageIdCleaner.normalize(v, n);
    }
}
