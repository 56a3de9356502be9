package io.github.imapbackup.imap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ResponseInputStream;

/**
 * Bounds on one server response, so that a hostile or broken server ends in a clear error instead
 * of an OutOfMemoryError or a read without end (docs/IMAP.md, "Hostile servers"). Angus reads a
 * whole response (its lines and literals) into one array: a line of 100 MB, or a literal announced
 * as 2 GB, would be allocated as it comes. Here every response is read into a {@link Bounded}
 * buffer that refuses to grow beyond the limits, and a literal announced beyond what Angus can
 * count ({@code {1099511627776}}, which Angus would take for the end of the response and then read
 * the literal's bytes as responses) is refused too.
 *
 * <p>Limits: a line outside literals at most {@link #LINE_MAX} bytes, except a {@code SEARCH} or
 * {@code ESEARCH} answer (all UIDs of a folder in one line), at most {@link #SEARCH_LINE_MAX}; a
 * literal at most {@code max(}{@link #LITERAL_MIN_MAX}{@code , 2 × fetch size)} bytes (bodies are
 * asked for in pieces of the fetch size; a message fetched whole was listed at most that big).
 */
final class ResponseLimits {

    /** The longest response line outside literals, except SEARCH answers. */
    static final int LINE_MAX = 8 << 20;
    /** The longest SEARCH or ESEARCH answer: about 2.9 million UIDs of 10 digits. */
    static final int SEARCH_LINE_MAX = 32 << 20;
    /** The largest literal, whatever the fetch size. */
    static final int LITERAL_MIN_MAX = 32 << 20;

    private static final Pattern UNCOUNTABLE_LITERAL = Pattern.compile("\\{(\\d{10,})\\+?}\r\n$");
    private static final Pattern FETCH_UID = Pattern.compile("^\\* \\d+ FETCH \\(.*?\\bUID (\\d+)");

    /** Buffers up to this size are not counted against {@link #BUDGET}. */
    static final int FREE = 4 << 20;
    /**
     * What all connections' response buffers beyond {@link #FREE} may hold together: a quarter of
     * the heap (growing a buffer briefly needs it twice), so that several connections that get huge
     * answers at once end in a clear error, not in an OutOfMemoryError.
     */
    static final long BUDGET = Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4);
    private static final java.util.concurrent.atomic.AtomicLong RESERVED = new java.util.concurrent.atomic.AtomicLong();

    private final int literalMax;

    ResponseLimits(int fetchSize) {
        this.literalMax = (int) Math.min(Integer.MAX_VALUE - 64L, Math.max(LITERAL_MIN_MAX, 2L * fetchSize));
    }

    /** {@return the largest literal taken} */
    int literalMax() {
        return literalMax;
    }

    /** {@return a new buffer of {@code size} bytes bounded by these limits} */
    Bounded buffer(int size) {
        return new Bounded(size, this);
    }

    /** {@return Angus's reader wrapped so that it reads into bounded buffers} */
    ResponseInputStream guard(ResponseInputStream in) {
        return in instanceof Guarded ? in : new Guarded(in, this);
    }

    /** A response broke a limit: the connection cannot be used any more. */
    static final class OversizedResponseException extends IOException {
        private static final long serialVersionUID = 1L;

        OversizedResponseException(String message) {
            super(message);
        }
    }

    /** The read timeout passed in the middle of a response. */
    static final class StalledResponseException extends java.net.SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        StalledResponseException(String message, Throwable cause) {
            super(message);
            initCause(cause);
        }
    }

    /** Thrown out of {@link Bounded#grow}, which may not throw a checked exception; made a {@link OversizedResponseException} by {@link Guarded}. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** A response buffer that refuses to grow beyond the limits. */
    static final class Bounded extends ByteArray {
        private final ResponseLimits limits;
        /** How far the current response was scanned for literal headers. */
        private int scanned;
        /** The sizes the literal headers scanned so far announced. */
        private long literalBytes;

        Bounded(int size, ResponseLimits limits) {
            super(size);
            this.limits = limits;
        }

        /** How much of {@link #BUDGET} this buffer holds. */
        private long reserved;

        /** Starts a new response. */
        void reset() {
            scanned = 0;
            literalBytes = 0;
        }

        /** Gives back this buffer's part of {@link #BUDGET} (it is no longer read into). */
        void release() {
            RESERVED.addAndGet(-reserved);
            reserved = 0;
        }

        /** Takes {@code size} bytes of {@link #BUDGET} in all for this buffer, or throws. */
        private void reserve(long size, byte[] b) {
            long delta = (size > FREE ? size : 0) - reserved;
            if (delta <= 0) {
                return;
            }
            if (RESERVED.addAndGet(delta) > BUDGET) {
                RESERVED.addAndGet(-delta);
                throw new Refused(uid(b) + "the server sent a response of more than " + mb(b.length) + ", more than the"
                        + " memory left for server responses (" + mb(BUDGET) + " in all, a quarter of the heap; other"
                        + " connections hold the rest): run with fewer --connections or a larger heap (-Xmx)");
            }
            reserved += delta;
        }

        /**
         * Angus grows the buffer in two places: when a line fills it (by its length, at most 256 KiB)
         * and when a literal does not fit (to hold all of it at once, by {@code max(256, n + 16 -
         * room)}). The literal header {@code {n}CRLF} just read tells them apart.
         */
        @Override
        public void grow(int incr) {
            byte[] b = getBytes();
            long size = (long) b.length + incr;
            long announced = scan(b, incr);
            if (announced >= 0) {
                if (announced > limits.literalMax || size > Integer.MAX_VALUE - 8) {
                    throw new Refused(uid(b) + "the server announced a literal of " + announced
                            + " bytes, more than the " + mb(limits.literalMax) + " a response may hold here");
                }
            } else {
                int max = search(b) ? SEARCH_LINE_MAX : LINE_MAX;
                if (size > max + Math.min(literalBytes, size)) {
                    throw new Refused(uid(b) + "the server sent a response line longer than " + mb(max)
                            + " (it begins \"" + Errors.excerpt(new String(b, 0, Math.min(b.length, 40),
                                    StandardCharsets.ISO_8859_1)) + "\")");
                }
            }
            reserve(size, b);
            super.grow(incr);
        }

        /**
         * Scans the bytes read since the last growth for literal headers; returns the size of the one
         * this growth is for, or -1 when it is a line's growth.
         */
        private long scan(byte[] b, int incr) {
            long found = -1;
            for (int i = Math.max(0, scanned - 2); i + 2 < b.length; i++) {
                if (b[i] != '}' || b[i + 1] != '\r' || b[i + 2] != '\n') {
                    continue;
                }
                int d = i;
                while (d > 0 && b[d - 1] >= '0' && b[d - 1] <= '9' && i - d < 18) {
                    d--;
                }
                if (d == i || d == 0 || b[d - 1] != '{') {
                    continue;
                }
                long n = Long.parseLong(new String(b, d, i - d, StandardCharsets.US_ASCII));
                literalBytes += n;
                long room = b.length - (i + 3);
                if (Math.max(256, n + 16 - room) == incr) {
                    found = n;
                }
            }
            scanned = b.length;
            return found;
        }

        private static boolean search(byte[] b) {
            String start = new String(b, 0, Math.min(b.length, 12), StandardCharsets.ISO_8859_1).toUpperCase(
                    java.util.Locale.ROOT);
            return start.startsWith("* SEARCH") || start.startsWith("* ESEARCH");
        }
    }

    /** {@return "UID n: " when the response is a FETCH naming its UID early, else ""} */
    private static String uid(byte[] b) {
        Matcher m = FETCH_UID.matcher(new String(b, 0, Math.min(b.length, 200), StandardCharsets.ISO_8859_1));
        return m.find() ? "UID " + m.group(1) + ": " : "";
    }

    private static String mb(long bytes) {
        return (bytes >> 20) + " MB";
    }

    /** Angus's reader, reading into bounded buffers; a broken limit is an {@link IOException}. */
    private static final class Guarded extends ResponseInputStream {
        private final ResponseInputStream in;
        private final ResponseLimits limits;
        /** The buffer of the previous response (its part of the budget is given back with the next one). */
        private Bounded last;

        Guarded(ResponseInputStream in, ResponseLimits limits) {
            super(InputStream.nullInputStream());
            this.in = in;
            this.limits = limits;
        }

        @Override
        public ByteArray readResponse(ByteArray ba) throws IOException {
            Bounded buffer = ba instanceof Bounded b ? b : limits.buffer(128);
            if (last != null && last != buffer) {
                last.release();
            }
            last = buffer;
            buffer.reset();
            byte[] start = buffer.getBytes();
            java.util.Arrays.fill(start, 0, Math.min(start.length, 64), (byte) 0); // no response starts with NUL
            ByteArray r;
            boolean read = false;
            try {
                r = in.readResponse(buffer);
                read = true;
            } catch (Refused e) {
                throw new OversizedResponseException(e.getMessage());
            } catch (java.net.SocketTimeoutException e) {
                byte[] b = buffer.getBytes();
                if (b[0] == 0) {
                    throw e;
                }
                int n = 0;
                while (n < Math.min(b.length, 200) && b[n] != 0 && b[n] != '\r' && b[n] != '\n') {
                    n++;
                }
                throw new StalledResponseException(uid(b) + "the server stopped sending in the middle of a response"
                        + " (it begins \"" + Errors.excerpt(new String(b, 0, n, StandardCharsets.ISO_8859_1))
                        + "\"): a literal that announced more bytes than it held, or a server that stalled; nothing"
                        + " came for the read timeout (--timeout)", e);
            } catch (IndexOutOfBoundsException e) {
                // a literal announced so near 2^31 bytes that Angus's arithmetic overflows
                throw new OversizedResponseException(uid(buffer.getBytes()) + "the server announced a literal of about 2 GB, more than the "
                        + mb(limits.literalMax) + " a response may hold here");
            } finally {
                if (!read) {
                    buffer.release(); // the connection is lost
                }
            }
            checkUncountable(r);
            return r;
        }

        /** A literal whose size Angus cannot count ends Angus's response early: its bytes would follow as responses. */
        private void checkUncountable(ByteArray r) throws OversizedResponseException {
            if (!braceNearEnd(r)) {
                return; // the pattern cannot match: no String, no Matcher for the usual response
            }
            int from = Math.max(r.getStart(), r.getStart() + r.getCount() - 40);
            String tail = new String(r.getBytes(), from, r.getStart() + r.getCount() - from, StandardCharsets.ISO_8859_1);
            Matcher m = UNCOUNTABLE_LITERAL.matcher(tail);
            if (m.find() && (m.group(1).length() > 10 || Long.parseLong(m.group(1)) > Integer.MAX_VALUE)) {
                throw new OversizedResponseException(uid(r.getBytes()) + "the server announced a literal of " + m.group(1)
                        + " bytes, more than the " + mb(limits.literalMax) + " a response may hold here");
            }
        }

        /** Whether one of the last 5 bytes is a '}' (the pattern's "}\r\n", then at most a final line end). */
        private static boolean braceNearEnd(ByteArray r) {
            byte[] b = r.getBytes();
            int end = r.getStart() + r.getCount();
            for (int i = Math.max(r.getStart(), end - 5); i < end; i++) {
                if (b[i] == '}') {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }
}
