package io.github.imapbackup.mbox.format;

import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.internal.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content of the current entry, scanned from the input window: finds where the entry ends (an
 * empty line and a separator, a strict From_ line, or a valid Content-Length) and undoes the From_
 * quoting of the dialect on the way. {@link MboxReader} finds the separators and gives the entries out.
 */
abstract class EntryScanner extends MboxInput {

    private static final Logger LOG = LoggerFactory.getLogger(MboxReader.class);

    private static final int LINE_START = 0;
    private static final int MID = 1;
    private static final int GT_RUN = 2;

    private static final byte[] LF = {'\n'};
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] GT = {'>'};
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    private final boolean unquote;
    private final boolean useLength;

    boolean entryDone = true;
    long entryOffset;
    private int state;
    /** Length of an empty line held back (it may precede a separator): 0, 1 or 2. */
    private int pendingBlank;
    private byte[] owed;
    private int owedPos;
    private int owedLen;
    /** Content-Length handling: still in the header section. */
    private boolean inHeaders;
    private long contentLength;
    /** Body bytes left to the declared length, or -1 when not counting. */
    private long remaining = -1;
    private boolean sawCandidate;
    /** Still at the first line of the header section (Content-Length dialects). */
    private boolean firstHeaderLine;

    EntryScanner(InputStream in, Path file, Dialect dialect, boolean compressed, int bufferSize) {
        super(in, file, compressed, bufferSize);
        this.unquote = dialect.unquotes();
        this.useLength = dialect.usesContentLength();
    }

    /** Starts scanning the content of an entry at pos (just after its From_ line). */
    final void startEntry() {
        entryDone = false;
        state = LINE_START;
        pendingBlank = 0;
        owedLen = 0;
        owedPos = 0;
        inHeaders = useLength;
        firstHeaderLine = useLength;
        contentLength = -1;
        remaining = -1;
        sawCandidate = false;
    }

    /** Records a place where the scanner was unsure how to split the file. */
    abstract void warn(long offset, String message);

    /** Fails if the reader is closed. */
    abstract void ensureOpen() throws IOException;

    /**
     * Reads content bytes of the current entry into b (or discards them if b is null).
     *
     * @return the number of bytes, or -1 at the end of the entry
     */
    final int readContent(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return entryDone && owedPos == owedLen ? -1 : 0;
        }
        int n = 0;
        while (n < len) {
            if (owedPos < owedLen) {
                int k = Math.min(owedLen - owedPos, len - n);
                if (b != null) {
                    System.arraycopy(owed, owedPos, b, off + n, k);
                }
                owedPos += k;
                n += k;
                continue;
            }
            if (entryDone) {
                break;
            }
            if (state == MID) {
                if (remaining == 0) {
                    endOfCount();
                    continue;
                }
                if (pos == lim && !fill()) {
                    entryDone = atEof();
                    continue;
                }
                int max = pos + Math.min(lim - pos, len - n);
                if (remaining > 0 && remaining < max - pos) {
                    max = pos + (int) remaining;
                }
                int j = scanMid(pos, max);
                int k = j - pos;
                if (b != null) {
                    System.arraycopy(buf, pos, b, off + n, k);
                }
                n += k;
                consume(k);
            } else if (state == LINE_START) {
                lineStart();
            } else {
                gtRun(b, off + n, len - n);
                n += lastCopied;
            }
        }
        return n == 0 && entryDone ? -1 : n;
    }

    private int lastCopied;

    /**
     * Scans from p to max for the end of the current line; continues over following lines whose
     * first byte needs no decision. Sets state to LINE_START when it stops after a line end.
     */
    private int scanMid(int p, int max) {
        byte[] a = buf;
        boolean stopAll = inHeaders;
        boolean gt = unquote;
        int j = p;
        while (true) {
            int nl = Bytes.indexOfNewline(a, j, max);
            if (nl < 0) {
                return max;
            }
            j = nl + 1;
            if (j < max && !stopAll) {
                byte c = a[j];
                if (c != '\n' && c != '\r' && (c != 'F' || !maybeFrom(a, j, max)) && (c != '>' || !gt)) {
                    continue;
                }
            }
            state = LINE_START;
            return j;
        }
    }

    /** Whether the line at j may start with "From " (true when the window ends before that is known). */
    private static boolean maybeFrom(byte[] a, int j, int max) {
        return j + 5 > max || a[j + 1] == 'r' && a[j + 2] == 'o' && a[j + 3] == 'm' && a[j + 4] == ' ';
    }

    private boolean atEof() throws IOException {
        if (remaining > 0) {
            throw new MalformedMboxException(file, base + pos, "the Content-Length " + contentLength
                    + " of the message at byte " + entryOffset + " runs past the end of the file");
        }
        pendingBlank = 0;
        return true;
    }

    private void consume(int k) {
        pos += k;
        if (remaining > 0) {
            remaining -= k;
        }
    }

    /** Decides what a line start means: separator, empty line, quoted From, header. */
    private void lineStart() throws IOException {
        if (remaining == 0) {
            endOfCount();
            return;
        }
        int avail = ensure(2);
        if (avail == 0) {
            entryDone = atEof();
            return;
        }
        byte c = buf[pos];
        int blank = c == '\n' ? 1 : c == '\r' && avail >= 2 && buf[pos + 1] == '\n' ? 2 : 0;
        if (blank > 0) {
            if (remaining > 0 && blank > remaining) {
                // A body ending in "\r"; the "\n" after it was added by the writer.
                if (pendingBlank > 0) {
                    owe(pendingBlank == 1 ? LF : CRLF);
                    pendingBlank = 0;
                }
                state = MID;
                return;
            }
            if (inHeaders) {
                inHeaders = false;
                pendingBlank = blank;
                pos += blank; // the header terminator is not part of the counted body
                if (contentLength >= 0) {
                    remaining = contentLength;
                }
                return;
            }
            if (pendingBlank > 0) {
                owe(pendingBlank == 1 ? LF : CRLF);
            }
            pendingBlank = blank;
            consume(blank);
            return;
        }
        if (pendingBlank > 0) {
            if (c == 'F') {
                if (separatorLength(pos, true) >= 0) {
                    if (remaining < 0) {
                        pendingBlank = 0;
                        entryDone = true;
                        return;
                    }
                    sawCandidate = true;
                }
            }
            owe(pendingBlank == 1 ? LF : CRLF);
            pendingBlank = 0;
            return;
        }
        if (c == 'F' && !inHeaders && fromLineWithoutEmptyLine()) {
            return;
        }
        if (inHeaders && (c == 'C' || c == 'c')) {
            int skip = headerLine();
            if (skip > 0 && firstHeaderLine) {
                // The Content-Length an mboxcl/mboxcl2 writer put in front: the file's, not the message's.
                firstHeaderLine = false;
                pos += skip;
                return;
            }
        }
        firstHeaderLine = false;
        if (unquote && c == '>') {
            consume(1);
            state = GT_RUN;
            return;
        }
        state = MID;
    }

    /** In GT_RUN: copies the run of '>' after a held one, then decides whether "From " follows. */
    private void gtRun(byte[] b, int off, int len) throws IOException {
        lastCopied = 0;
        if (pos == lim && !fill()) {
            owe(GT);
            state = MID;
            return;
        }
        int max = pos + Math.min(lim - pos, len);
        int j = pos;
        while (j < max && buf[j] == '>') {
            j++;
        }
        int k = j - pos;
        if (b != null) {
            for (int i = 0; i < k; i++) {
                b[off + i] = '>';
            }
        }
        consume(k);
        lastCopied = k;
        if (j == max) {
            return;
        }
        int avail = ensure(5);
        boolean from = avail >= 5 && buf[pos] == 'F' && buf[pos + 1] == 'r' && buf[pos + 2] == 'o'
                && buf[pos + 3] == 'm' && buf[pos + 4] == ' ';
        if (!from) {
            owe(GT);
        }
        state = MID;
    }

    /**
     * A From_ line that follows no empty line (git format-patch, some list archives) ends the
     * message when it is strict; a lenient one stays in the message, with a warning. Inside a
     * counted body it only makes a wrong count ambiguous.
     *
     * @return whether the message ends here
     */
    private boolean fromLineWithoutEmptyLine() throws IOException {
        if (separatorLength(pos, false) >= 0) {
            if (remaining < 0) {
                entryDone = true;
                return true;
            }
            sawCandidate = true;
        } else if (remaining < 0 && lastFromLine != null && lastFromLine.kind() == FromLineParser.Kind.DATED) {
            warn(base + pos, "a line looks like a From_ line but follows no empty line; it was read as part"
                    + " of the message at byte " + entryOffset);
        }
        return false;
    }

    /**
     * Reads a Content-Length header line at pos, if that is one.
     *
     * @return the length of the line with its line end if it is a readable Content-Length line, else 0
     */
    private int headerLine() throws IOException {
        int avail = ensure(FromLineParser.MAX_LINE);
        if (avail < CONTENT_LENGTH.length) {
            return 0;
        }
        for (int i = 0; i < CONTENT_LENGTH.length; i++) {
            int c = buf[pos + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != CONTENT_LENGTH[i]) {
                return 0;
            }
        }
        int p = pos + CONTENT_LENGTH.length;
        int stop = pos + avail;
        while (p < stop && (buf[p] == ' ' || buf[p] == '\t')) {
            p++;
        }
        long v = 0;
        int digits = 0;
        while (p < stop && buf[p] >= '0' && buf[p] <= '9' && digits < 18) {
            v = v * 10 + (buf[p] - '0');
            p++;
            digits++;
        }
        while (p < stop && (buf[p] == ' ' || buf[p] == '\t' || buf[p] == '\r')) {
            p++;
        }
        if (digits == 0 || p >= stop || buf[p] != '\n') {
            LOG.debug("{}: ignoring an unreadable Content-Length header in the message at byte {}",
                    file, entryOffset);
            return 0;
        }
        if (contentLength < 0) {
            contentLength = v;
        }
        return p + 1 - pos;
    }

    /**
     * The declared body length is used up. Valid if followed by the end, or an empty line and the
     * end, or an empty line and a separator; then the entry ends there. Otherwise the entry goes on
     * to the next separator.
     */
    private void endOfCount() throws IOException {
        remaining = -1;
        int avail = ensure(3);
        int p = 0;
        if (state == MID && avail > 0 && buf[pos] == '\n') {
            p = 1; // the line end a writer adds to a body that does not end with one
        }
        boolean valid = false;
        int blank = 0;
        if (avail == p) {
            valid = true;
        } else {
            byte c = buf[pos + p];
            blank = c == '\n' ? 1 : c == '\r' && avail > p + 1 && buf[pos + p + 1] == '\n' ? 2 : 0;
            if (blank > 0) {
                int after = ensureAt(pos + p + blank, 1);
                valid = after == 0 || separatorLength(pos + p + blank, true) >= 0;
            }
        }
        if (contentLength == 0 && pendingBlank > 0 && p == 0
                && (avail == 0 || blank == 0 && separatorLength(pos, true) >= 0)) {
            // No body: the empty line after the header section is the one before the separator.
            pendingBlank = 0;
            entryDone = true;
            return;
        }
        if (!valid) {
            countFailed();
            return;
        }
        if (pendingBlank > 0) {
            owe(pendingBlank == 1 ? LF : CRLF);
            pendingBlank = 0;
        }
        // p == 1: the count says the body has no final line end; the "\n" the writer added is not content.
        pos += p + blank;
        entryDone = true;
    }

    private void countFailed() throws IOException {
        remaining = -1;
        if (sawCandidate) {
            throw new MalformedMboxException(file, base + pos, "the Content-Length " + contentLength
                    + " of the message at byte " + entryOffset + " does not end at a From_ line, and"
                    + " its body holds lines that look like From_ lines: cannot tell where it ends");
        }
        warn(entryOffset, "the Content-Length " + contentLength + " of this message does not end at a"
                + " From_ line; its end was found by the next From_ line instead");
    }

    private void owe(byte[] bytes) {
        owed = bytes;
        owedPos = 0;
        owedLen = bytes.length;
    }

    /**
     * Returns the next content byte if it can be had without a decision (mid-line, not a line
     * end), else -2.
     */
    final int quickByte() {
        if (state == MID && owedPos == owedLen && !entryDone && pos < lim && remaining != 0) {
            byte c = buf[pos];
            if (c != '\n') {
                consume(1);
                return c & 0xff;
            }
        }
        return -2;
    }

    /** Returns the number of bytes owed (held back and due before anything else). */
    final int owedBytes() {
        return owedLen - owedPos;
    }
}
