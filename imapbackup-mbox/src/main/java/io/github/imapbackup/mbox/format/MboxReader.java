package io.github.imapbackup.mbox.format;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.Bytes;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the messages of an mbox file, one at a time, streaming (a pull cursor: call
 * {@link #next()} until it returns null). Never holds a whole message in memory.
 *
 * <p>A <em>separator</em> is a line of at most 4096 bytes that starts with {@code From } and
 * either is the first line of the file or follows an empty line ({@code \n} or {@code \r\n}) and
 * names a sender (an address-like token, or any token followed by a date; the date is read when it
 * can be, else {@link MboxEntry#date()} is empty), or is strict anywhere: a sender and an asctime
 * date, as git {@code format-patch}, mutt and Thunderbird write them (see
 * {@code docs/FORMAT-mbox.md}). The empty line before a separator belongs to no message. A
 * {@code From } line in the body that does not meet that is message content; where another reader
 * might have split, {@link #warnings()} says so. The file must start with a separator; anything
 * else is reported as {@link MalformedMboxException}.
 *
 * <p>With {@link Dialect#MBOXRD} every line matching {@code ^>+From } loses one {@code >}. With
 * {@link Dialect#MBOXCL} and {@link Dialect#MBOXCL2} a {@code Content-Length:} header in a
 * message's header section gives the length of its body; it is trusted only if the bytes after the
 * body are an empty line and a separator, an empty line and the end, or the end. When it is the
 * first line of the header section it is the file's (an mboxcl2 writer put it there) and is left
 * out of the content.
 *
 * <pre>{@code
 * try (MboxReader reader = MboxReader.open(Path.of("Inbox.mbox.gz"))) {
 *     for (MboxEntry e = reader.next(); e != null; e = reader.next()) {
 *         try (InputStream message = e.content()) {
 *             message.transferTo(out);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class MboxReader extends MboxInput implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(MboxReader.class);

    static final int DEFAULT_BUFFER = 1 << 20;

    private static final int LINE_START = 0;
    private static final int MID = 1;
    private static final int GT_RUN = 2;

    private static final byte[] LF = {'\n'};
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] GT = {'>'};
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    private final Dialect dialect;
    private final boolean unquote;
    private final boolean useLength;

    private boolean started;
    private boolean closed;
    private long count;

    private EntryContent stream;
    private boolean entryDone = true;
    private long entryOffset;
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
    private final List<MboxWarning> warnings = new ArrayList<>();
    private long warningsLeftOut;

    /** The most warnings kept; the rest are counted. */
    static final int MAX_WARNINGS = 100;

    /**
     * Reads an uncompressed mbox stream as {@link Dialect#MBOXRD}.
     *
     * @param uncompressed the mbox bytes; closed by {@link #close()}
     * @param fileForErrors the file named in exceptions
     */
    public MboxReader(InputStream uncompressed, Path fileForErrors) {
        this(uncompressed, fileForErrors, Dialect.MBOXRD);
    }

    /**
     * Reads an uncompressed mbox stream in a given dialect.
     *
     * @param uncompressed the mbox bytes; closed by {@link #close()}
     * @param fileForErrors the file named in exceptions
     * @param dialect the dialect
     */
    public MboxReader(InputStream uncompressed, Path fileForErrors, Dialect dialect) {
        this(uncompressed, fileForErrors, dialect, false, DEFAULT_BUFFER);
    }

    /**
     * Reads an uncompressed mbox stream that starts at a known position of a file, for example at
     * the end of what an index already covers. The stream must start at a From_ line (or be empty).
     *
     * @param uncompressed the mbox bytes from {@code startOffset} on; closed by {@link #close()}
     * @param fileForErrors the file named in exceptions
     * @param dialect the dialect
     * @param startOffset the position of the stream's first byte in the (uncompressed) file; entry
     *     offsets and exception offsets count from the file's start
     */
    public MboxReader(InputStream uncompressed, Path fileForErrors, Dialect dialect, long startOffset) {
        this(uncompressed, fileForErrors, dialect, false, DEFAULT_BUFFER);
        if (startOffset < 0) {
            throw new IllegalArgumentException("negative start offset " + startOffset);
        }
        this.base = startOffset;
    }

    MboxReader(InputStream in, Path file, Dialect dialect, boolean compressed, int bufferSize) {
        super(Objects.requireNonNull(in, "uncompressed"), Objects.requireNonNull(file, "fileForErrors"),
                compressed, bufferSize);
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.unquote = dialect.unquotes();
        this.useLength = dialect.usesContentLength();
    }

    /**
     * Opens a foreign mbox file, compressed or not (the codec is detected from the first bytes), and
     * detects its dialect by reading it once more:
     * <ol>
     * <li>if every message has a {@code Content-Length:} header and every such header is
     *     right (the body it counts is followed by the end of the file, or an empty line and then a
     *     From_ line or the end): {@link Dialect#MBOXCL} when some body line matches
     *     {@code ^>+From }, else {@link Dialect#MBOXCL2};</li>
     * <li>otherwise, if some body line matches {@code ^>>+From }: {@link Dialect#MBOXRD} (an
     *     mboxrd writer makes one of every {@code >From } line; an mboxo writer only copies those
     *     that were in the message);</li>
     * <li>otherwise {@link Dialect#MBOXO}: {@code >From } lines stay as they are, since mboxo
     *     quoting cannot be undone reliably. (Without any {@code >From } line mboxo and mboxrd read
     *     the same.)</li>
     * </ol>
     * Files that imapbackup wrote itself are mboxrd: open them with
     * {@link #open(Path, Dialect) open(file, Dialect.MBOXRD)}, which reads the file only once and
     * gives every message back exactly, even one that held a {@code From } line and nothing that
     * looks like mboxrd. A directory is read as an Apple Mail {@code .mbox} bundle: its file
     * {@code mbox}.
     *
     * @param file the file or bundle directory
     * @return the reader
     * @throws MalformedMboxException if compressed data is damaged
     * @throws IOException if the file cannot be read
     */
    public static MboxReader open(Path file) throws IOException {
        Path f = resolve(file);
        Dialect d;
        CompressionCodec codec = Codecs.detect(f);
        try (InputStream in = openStream(f, codec)) {
            d = DialectDetector.detect(in, f, codec != Codecs.NONE);
        }
        return open(f, d);
    }

    /**
     * Opens an mbox file, compressed or not, read in the given dialect. A directory is read as an
     * Apple Mail {@code .mbox} bundle.
     *
     * @param file the file or bundle directory
     * @param dialect the dialect
     * @return the reader
     * @throws IOException if the file cannot be opened
     */
    public static MboxReader open(Path file, Dialect dialect) throws IOException {
        Objects.requireNonNull(dialect, "dialect");
        Path f = resolve(file);
        CompressionCodec codec = Codecs.detect(f);
        return new MboxReader(openStream(f, codec), f, dialect, codec != Codecs.NONE, DEFAULT_BUFFER);
    }

    static Path resolve(Path file) {
        Objects.requireNonNull(file, "file");
        return Files.isDirectory(file) ? file.resolve("mbox") : file;
    }

    private static InputStream openStream(Path f, CompressionCodec codec) throws IOException {
        InputStream raw = Files.newInputStream(f);
        try {
            return codec.decompress(raw);
        } catch (IOException | RuntimeException e) {
            try {
                raw.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof BackupException || e instanceof RuntimeException) {
                throw e;
            }
            throw new MalformedMboxException(f, 0, "not a valid " + codec.name() + " file", e);
        }
    }

    /**
     * Returns the dialect this reader reads.
     *
     * @return the dialect this reader reads
     */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Returns the file named in exceptions.
     *
     * @return the file named in exceptions
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the next message; the previous one's content is skipped if not read.
     *
     * @return the message, or null at the end of the file
     * @throws MalformedMboxException if the file is not a valid mbox
     * @throws IOException if reading fails
     */
    public MboxEntry next() throws IOException {
        ensureOpen();
        if (stream != null) {
            while (!entryDone) {
                if (readContent(null, 0, Integer.MAX_VALUE) < 0) {
                    break;
                }
            }
            stream.invalidate();
            stream = null;
        }
        if (!started) {
            started = true;
            if (ensure(1) == 0) {
                return null;
            }
            if (separatorLength(pos, true) < 0) {
                throw new MalformedMboxException(file, base + pos,
                        "the file does not start with a From_ line (\"From <sender> <date>\")");
            }
        } else if (ensure(1) == 0) {
            return null;
        }
        int lineLen = separatorLength(pos, true);
        if (lineLen < 0) {
            throw new IllegalStateException("reader is not at a separator");
        }
        int end = pos + lineLen;
        int le = 0;
        if (end < lim && buf[end] == '\n') {
            le = 1;
            if (lineLen > 0 && buf[end - 1] == '\r') {
                end--;
                le = 2;
            }
        }
        FromLineParser.Parsed p = lastFromLine;
        byte[] sep = java.util.Arrays.copyOfRange(buf, pos, end);
        entryOffset = base + pos;
        pos = end + le;
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
        stream = new EntryContent(this);
        return new MboxEntry(count++, entryOffset, sep, le, p.sender(), p.date(), stream);
    }






    /**
     * Reads content bytes of the current entry into b (or discards them if b is null).
     *
     * @return the number of bytes, or -1 at the end of the entry
     */
    int readContent(byte[] b, int off, int len) throws IOException {
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
     * Returns the places where the reader was unsure how to split the file, so far: a From_ line
     * with a date that follows no empty line and is not in the strict form (read as message text;
     * mutt would split there), a wrong Content-Length (the message's end was found by its From_
     * line instead). Files imapbackup
     * wrote give none. At most {@value #MAX_WARNINGS} are kept; a last one then says how many more
     * there were.
     *
     * @return the warnings, in file order
     */
    public List<MboxWarning> warnings() {
        if (warningsLeftOut == 0) {
            return List.copyOf(warnings);
        }
        List<MboxWarning> all = new ArrayList<>(warnings);
        all.add(new MboxWarning(file, base + pos, warningsLeftOut + " more warnings like these"));
        return List.copyOf(all);
    }

    private void warn(long offset, String message) {
        LOG.debug("{} at byte {}: {}", file, offset, message);
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(new MboxWarning(file, offset, message));
        } else {
            warningsLeftOut++;
        }
    }

    void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("mbox reader is closed");
        }
    }

    /** Closes the underlying stream; idempotent. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            in.close();
        }
    }

    /**
     * Returns the next content byte if it can be had without a decision (mid-line, not a line
     * end), else -2.
     */
    int quickByte() {
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
    int owedBytes() {
        return owedLen - owedPos;
    }
}
