package io.github.imapbackup.mbox.format;

import io.github.imapbackup.mbox.internal.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Guesses the dialect of a foreign mbox file by reading it once:
 * <ol>
 * <li>if every message has a {@code Content-Length:} header and every such header is right
 *     (the body it counts is followed by the end of the file, or an empty line and then a From_
 *     line or the end): {@link Dialect#MBOXCL} when some body line matches {@code ^>+From }, else
 *     {@link Dialect#MBOXCL2};</li>
 * <li>otherwise {@link Dialect#MBOXRD}. mboxo and mboxrd cannot be told apart when the only
 *     quoted lines are {@code >From }; reading them as mboxrd gives back the original bytes of
 *     every file an mboxrd writer made (ours included) and of the {@code >From } lines an mboxo
 *     writer made by quoting a {@code From } line, which is where such lines come from in mail;
 *     it is wrong only for a {@code >From } line that was already in a message stored by an mboxo
 *     writer. (When no line starts with {@code >From}, mboxo and mboxrd read the same.)</li>
 * </ol>
 * Messages are found by the reader's rules (see {@link MboxInput#separatorLength}), except inside a
 * body counted by a {@code Content-Length:} header; with {@code Content-Length: 0} and no body, the
 * empty line that ends the header section is also the one before the next From_ line.
 */
final class DialectDetector {

    private static final int BUF = 1 << 16;
    private static final byte[] CL = "content-length:".getBytes(StandardCharsets.US_ASCII);

    private DialectDetector() { }

    static Dialect detect(InputStream in, Path file, boolean compressed) throws IOException {
        Segments s = new Segments(in, BUF, file, compressed);
        boolean oQuoted = false;
        boolean rdQuoted = false;
        int valid = 0;
        int invalid = 0;
        long messages = 0;
        long withLength = 0;
        boolean prevBlank = true;
        boolean inHeaders = false;
        long contentLength = -1;
        long expectEnd = -1;
        boolean zeroCount = false;
        int check = 0;
        while (s.next()) {
            byte[] b = s.buf;
            int st = s.start;
            int len = s.end - st;
            long off = s.offset;
            long end = off + len;
            boolean lineStart = s.lineStart;
            boolean blank = lineStart && s.newline && (len == 0 || len == 1 && b[st] == '\r');
            if (lineStart && !inHeaders) {
                int q = quotedFrom(b, st, s.end);
                oQuoted |= q == 1;
                rdQuoted |= q > 1;
            }
            if (expectEnd >= 0) {
                if (expectEnd > end || expectEnd == end && !s.newline) {
                    if (lineStart) {
                        prevBlank = blank;
                    }
                    continue;
                }
                if (expectEnd == off && lineStart) {
                    check = 1;
                } else if (expectEnd == end && s.newline) {
                    check = 1; // the body did not end with a line end; the writer added this one
                    expectEnd = -1;
                    zeroCount = false;
                    prevBlank = false;
                    continue;
                } else {
                    invalid++;
                }
                expectEnd = -1;
            }
            if (!lineStart) {
                continue;
            }
            boolean afterBlank = prevBlank;
            if (check == 1) {
                check = blank ? 2 : 0;
                if (!blank) {
                    if (zeroCount && isSeparator(s, b, st, true)) {
                        // Content-Length 0 and no body: the header's end was the empty line before this.
                        valid++;
                        afterBlank = true;
                    } else {
                        invalid++;
                    }
                }
                zeroCount = false;
            } else if (check == 2) {
                check = 0;
                if (isSeparator(s, b, st, true)) {
                    valid++;
                } else {
                    invalid++;
                }
            }
            if ((afterBlank || !inHeaders) && isSeparator(s, b, st, afterBlank)) {
                messages++;
                inHeaders = true;
                contentLength = -1;
            } else if (inHeaders) {
                if (blank) {
                    inHeaders = false;
                    if (contentLength >= 0) {
                        expectEnd = end + 1 + contentLength;
                        zeroCount = contentLength == 0;
                    }
                } else if (len >= CL.length && startsWithIgnoreCase(b, st, CL) && contentLength < 0) {
                    contentLength = number(b, st + CL.length, s.end);
                    if (contentLength >= 0) {
                        withLength++;
                    }
                }
            }
            prevBlank = blank;
        }
        if (check != 0 || expectEnd >= 0 && expectEnd == s.total) {
            valid++;
        } else if (expectEnd >= 0) {
            invalid++;
        }
        if (valid > 0 && invalid == 0 && withLength == messages) {
            return oQuoted || rdQuoted ? Dialect.MBOXCL : Dialect.MBOXCL2;
        }
        return Dialect.MBOXRD;
    }

    /** Whether the line is a separator by the reader's rules (see {@link MboxInput}). */
    private static boolean isSeparator(Segments s, byte[] b, int st, boolean afterEmptyLine) {
        int e = s.end;
        if (e > st && b[e - 1] == '\r') {
            e--;
        }
        if (e - st < 5 || b[st] != 'F') {
            return false;
        }
        FromLineParser.Parsed p = FromLineParser.parse(b, st, e);
        return p != null && (afterEmptyLine ? p.kind().separatesAfterEmptyLine() : p.kind().separatesAnywhere());
    }

    /** Returns the number of '>' before "From " at the line start, or 0. */
    private static int quotedFrom(byte[] b, int st, int end) {
        int i = st;
        while (i < end && b[i] == '>') {
            i++;
        }
        if (i == st || end - i < 5 || b[i] != 'F' || b[i + 1] != 'r' || b[i + 2] != 'o' || b[i + 3] != 'm'
                || b[i + 4] != ' ') {
            return 0;
        }
        return i - st;
    }

    private static long number(byte[] b, int p, int end) {
        while (p < end && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        long v = 0;
        int digits = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9' && digits < 18) {
            v = v * 10 + (b[p++] - '0');
            digits++;
        }
        while (p < end && (b[p] == ' ' || b[p] == '\t' || b[p] == '\r')) {
            p++;
        }
        return digits > 0 && p == end ? v : -1;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int st, byte[] lower) {
        for (int i = 0; i < lower.length; i++) {
            int c = b[st + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Splits a stream into lines (without the {@code \n}); a line longer than the buffer comes in
     * pieces, and only its first piece has {@code lineStart}.
     */
    static final class Segments {
        private final InputStream in;
        final byte[] buf;
        int start;
        int end;
        /** Stream offset of buf[start]. */
        long offset;
        boolean lineStart;
        /** Whether the segment ends with a '\n' (not included in [start, end)). */
        boolean newline;
        /** Total bytes read, valid at the end. */
        long total;
        private long base;
        private int pos;
        private int lim;
        private boolean eof;
        private boolean nextIsLineStart = true;

        private final Path file;
        private final boolean compressed;

        Segments(InputStream in, int size, Path file, boolean compressed) {
            this.in = in;
            this.buf = new byte[size];
            this.file = file;
            this.compressed = compressed;
        }

        private int read(int off, int len) throws IOException {
            return Streams.readMbox(in, buf, off, len, file, compressed, base + lim);
        }

        boolean next() throws IOException {
            while (true) {
                int j = pos;
                while (j < lim && buf[j] != '\n') {
                    j++;
                }
                if (j < lim || eof && pos < lim || pos == 0 && lim == buf.length) {
                    start = pos;
                    end = j;
                    offset = base + pos;
                    newline = j < lim;
                    lineStart = nextIsLineStart;
                    nextIsLineStart = newline;
                    pos = newline ? j + 1 : j;
                    return true;
                }
                if (eof) {
                    total = base + lim;
                    return false;
                }
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                base += pos;
                lim -= pos;
                pos = 0;
                int r = read(lim, buf.length - lim);
                if (r < 0) {
                    eof = true;
                } else {
                    lim += r;
                }
            }
        }
    }
}
