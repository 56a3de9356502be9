package io.github.imapbackup.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Guesses the dialect of a foreign mbox file by reading it once:
 * <ol>
 * <li>a line matching {@code ^>>+From } anywhere: {@link Dialect#MBOXRD} (an mboxo writer never
 *     produces one unless the message had it, an mboxrd writer does for every {@code >From });</li>
 * <li>otherwise, if every message has a {@code Content-Length:} header in its header section:
 *     {@link Dialect#MBOXCL} when some line matches {@code ^>From }, else {@link Dialect#MBOXCL2};</li>
 * <li>otherwise {@link Dialect#MBOXO}: {@code >From} lines are left as they are, since mboxo
 *     quoting cannot be undone reliably.</li>
 * </ol>
 * Messages are found here by the same rule as the reader's (an empty line, then a From_ line), so
 * the guess may be off only for files that the reader would split differently anyway.
 */
final class DialectDetector {

    private static final int BUF = 1 << 16;
    private static final byte[] CL = "content-length:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private DialectDetector() { }

    static Dialect detect(InputStream in, Path file) throws IOException {
        LineScanner s = new LineScanner(in, BUF);
        boolean rd = false;
        boolean oQuoted = false;
        long messages = 0;
        long withLength = 0;
        boolean prevBlank = true;
        boolean inHeaders = false;
        boolean hasLength = false;
        while (s.nextLine()) {
            byte[] b = s.buf;
            int st = s.start;
            int len = s.end - st;
            boolean blank = len == 0 || len == 1 && b[st] == '\r';
            if (prevBlank && len >= 5 && b[st] == 'F' && FromLineParser.parse(b, st, trimCr(b, st, s.end)) != null) {
                if (messages > 0 && hasLength) {
                    withLength++;
                }
                messages++;
                inHeaders = true;
                hasLength = false;
            } else if (inHeaders) {
                if (blank) {
                    inHeaders = false;
                } else if (len >= CL.length && startsWithIgnoreCase(b, st, CL)) {
                    hasLength = true;
                }
            } else if (len >= 6 && b[st] == '>') {
                int i = st;
                while (i < s.end && b[i] == '>') {
                    i++;
                }
                if (s.end - i >= 5 && b[i] == 'F' && b[i + 1] == 'r' && b[i + 2] == 'o' && b[i + 3] == 'm'
                        && b[i + 4] == ' ') {
                    if (i - st >= 2) {
                        rd = true;
                        break;
                    }
                    oQuoted = true;
                }
            }
            prevBlank = blank;
        }
        if (messages > 0 && hasLength) {
            withLength++;
        }
        if (rd) {
            return Dialect.MBOXRD;
        }
        if (messages > 0 && withLength == messages) {
            return oQuoted ? Dialect.MBOXCL : Dialect.MBOXCL2;
        }
        return Dialect.MBOXO;
    }

    private static int trimCr(byte[] b, int st, int end) {
        return end > st && b[end - 1] == '\r' ? end - 1 : end;
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
     * Splits a stream into lines (without the {@code \n}); lines longer than the buffer come in
     * pieces, which only matters for their first piece.
     */
    static final class LineScanner {
        private final InputStream in;
        final byte[] buf;
        int start;
        int end;
        private int pos;
        private int lim;
        private boolean eof;

        LineScanner(InputStream in, int size) {
            this.in = in;
            this.buf = new byte[size];
        }

        boolean nextLine() throws IOException {
            while (true) {
                int j = pos;
                while (j < lim && buf[j] != '\n') {
                    j++;
                }
                if (skipping) {
                    if (j < lim) {
                        skipping = false;
                        pos = j + 1;
                        continue;
                    }
                    pos = lim;
                } else if (j < lim) {
                    start = pos;
                    end = j;
                    pos = j + 1;
                    return true;
                }
                if (eof) {
                    if (pos < lim) {
                        start = pos;
                        end = lim;
                        pos = lim;
                        return true;
                    }
                    return false;
                }
                if (pos == 0 && lim == buf.length) {
                    // A line longer than the buffer: give its first piece, skip the rest later.
                    start = 0;
                    end = lim;
                    pos = lim;
                    skipping = true;
                    return true;
                }
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
                int r = in.read(buf, lim, buf.length - lim);
                if (r < 0) {
                    eof = true;
                } else {
                    lim += r;
                }
            }
        }

        private boolean skipping;
    }
}
