package io.github.imapbackup.mbox.format;

import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.Decompression;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
public final class MboxReader extends EntryScanner implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(MboxReader.class);

    static final int DEFAULT_BUFFER = 1 << 20;

    private final Dialect dialect;

    private boolean started;
    private boolean closed;
    private long count;

    private EntryContent stream;
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
                Objects.requireNonNull(dialect, "dialect"), compressed, bufferSize);
        this.dialect = dialect;
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
        return openDetected(file, Codecs.DEFAULT_MAX_EXPANSION);
    }

    /**
     * Parses a date as From_ lines and {@code Date:} header fields write it, with the leniency the
     * reader applies to From_ lines: RFC 5322 dates ({@code Mon, 1 Jan 2001 12:00:00 +0100 (CET)}),
     * asctime ({@code Mon Jan  1 12:00:00 2001}, taken as UTC), common zone names.
     *
     * @param text the date
     * @return the instant; empty when the text is no date, names no existing time, or has a zone
     *     that is not known
     */
    public static java.util.Optional<Instant> parseDate(String text) {
        return java.util.Optional.ofNullable(FromLineParser.date(text));
    }

    private static MboxReader openDetected(Path file, int maxExpansion) throws IOException {
        Path f = resolve(file);
        Dialect d;
        CompressionCodec codec = Codecs.detect(f);
        try (InputStream in = openStream(f, codec, maxExpansion)) {
            d = DialectDetector.detect(in, f, codec != Codecs.NONE);
        }
        return open(f, d, maxExpansion);
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
        return open(file, dialect, Codecs.DEFAULT_MAX_EXPANSION);
    }

    /**
     * Opens an mbox file, compressed or not, in the given dialect or (null) the detected one, with a
     * limit on how far a compressed file may expand: reading a file that expands more stops with
     * {@link io.github.imapbackup.mbox.codec.DecompressionBombException}.
     *
     * @param file the file or bundle directory
     * @param dialect the dialect, or null to detect it as {@link #open(Path)} does
     * @param maxExpansion the most uncompressed bytes per compressed byte
     *     ({@link Codecs#DEFAULT_MAX_EXPANSION} by default); 0 for no limit
     * @return the reader
     * @throws IOException if the file cannot be opened
     */
    public static MboxReader open(Path file, Dialect dialect, int maxExpansion) throws IOException {
        if (maxExpansion < 0) {
            throw new IllegalArgumentException("maxExpansion must be 0 (no limit) or positive, not " + maxExpansion);
        }
        if (dialect == null) {
            return openDetected(file, maxExpansion);
        }
        Path f = resolve(file);
        CompressionCodec codec = Codecs.detect(f);
        return new MboxReader(openStream(f, codec, maxExpansion), f, dialect, codec != Codecs.NONE, DEFAULT_BUFFER);
    }

    static Path resolve(Path file) {
        Objects.requireNonNull(file, "file");
        return Files.isDirectory(file) ? file.resolve("mbox") : file;
    }

    private static InputStream openStream(Path f, CompressionCodec codec, int maxExpansion) throws IOException {
        return Decompression.open(codec, Files.newInputStream(f), f, maxExpansion, 0, 0);
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
        startEntry();
        stream = new EntryContent(this);
        return new MboxEntry(count++, entryOffset, sep, le, p.sender(), p.date(), stream);
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

    @Override
    void warn(long offset, String message) {
        LOG.debug("{} at byte {}: {}", file, offset, message);
        if (warnings.size() < MAX_WARNINGS) {
            warnings.add(new MboxWarning(file, offset, message));
        } else {
            warningsLeftOut++;
        }
    }

    @Override
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
}
