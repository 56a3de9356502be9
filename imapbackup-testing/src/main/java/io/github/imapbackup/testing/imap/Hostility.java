package io.github.imapbackup.testing.imap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The ways {@link FakeImapServer} can lie, for tests of what a client does with hostile input
 * from a server (docs/IMAP.md, "Hostile servers"): literals that announce more or fewer bytes
 * than they hold, an RFC822.SIZE that lies, UIDs out of order or repeated, FETCH responses
 * nobody asked for, response lines of any length, literals that never end. Each mode is small
 * and they combine; get this object with {@link FakeImapServer#hostile()}.
 *
 * <pre>{@code
 * server.hostile().rfc822Size("INBOX", 1, 10)                 // says 10 bytes, sends the body
 *         .announce("INBOX", 2, "", 5)                        // BODY[] {5} followed by every byte
 *         .searchOrder(Hostility.Order.REPEATED)              // * SEARCH 1 1 2 2 3 3
 *         .longLine("^LIST", "* LIST () \"/\" \"", "a", "\"", 100 << 20); // a 100 MB line first
 * }</pre>
 */
public final class Hostility {

    /** How the UIDs of a SEARCH answer, or the responses of a FETCH answer, are ordered. */
    public enum Order {
        /** In UID order, each once (an honest server). */
        AS_IS,
        /** Highest first. */
        REVERSED,
        /** Each twice in a row. */
        REPEATED,
        /** Highest first, each twice. */
        REVERSED_REPEATED
    }

    /** What follows the header of an endless literal. */
    public enum Endless {
        /** Bytes without end, as fast as the client reads them. */
        STREAM,
        /** A few bytes, then silence (the connection stays open). */
        STALL
    }

    /** A response line sent before the answer to matching commands. */
    private record LongLine(Pattern command, String prefix, String filler, String suffix, long bytes) {
    }

    /** An endless literal for one message's body. */
    private record EndlessLiteral(long announced, Endless how) {
    }

    private final Map<String, Long> sizes = new ConcurrentHashMap<>();
    private final Map<String, Long> announced = new ConcurrentHashMap<>();
    private final Map<String, EndlessLiteral> endless = new ConcurrentHashMap<>();
    private final List<LongLine> longLines = new CopyOnWriteArrayList<>();
    private final List<String> extraFetches = new CopyOnWriteArrayList<>();
    private volatile Order searchOrder = Order.AS_IS;
    private volatile Order fetchOrder = Order.AS_IS;

    Hostility() {
    }

    private static String key(String folder, long uid) {
        return folder + "\u0000" + uid;
    }

    /**
     * Answers {@code RFC822.SIZE} of one message with {@code size} instead of its real size.
     *
     * @param folder the folder
     * @param uid the UID
     * @param size the size claimed
     * @return this
     */
    public Hostility rfc822Size(String folder, long uid, long size) {
        sizes.put(key(folder, uid), size);
        return this;
    }

    /**
     * Sends a literal of one message's section announcing {@code bytes} bytes, followed by the
     * section's real bytes: fewer than announced (the client waits for the rest, reading the
     * closing parenthesis and the tagged answer as part of the message), or more (the rest runs
     * into the FETCH response's syntax).
     *
     * @param folder the folder
     * @param uid the UID
     * @param section {@code ""} for {@code BODY[]}, or e.g. {@code HEADER.FIELDS (MESSAGE-ID FROM SENDER)}
     *     as the client asked (compared without case)
     * @param bytes the size announced
     * @return this
     */
    public Hostility announce(String folder, long uid, String section, long bytes) {
        announced.put(key(folder, uid) + "\u0000" + section.toUpperCase(java.util.Locale.ROOT), bytes);
        return this;
    }

    /**
     * Answers every body fetch of one message with a literal announcing {@code bytes} bytes that
     * never ends (the connection ends only when the client closes it).
     *
     * @param folder the folder
     * @param uid the UID
     * @param bytes the size announced, e.g. {@code 1L << 40}
     * @param how bytes without end, or silence
     * @return this
     */
    public Hostility endlessLiteral(String folder, long uid, long bytes, Endless how) {
        endless.put(key(folder, uid), new EndlessLiteral(bytes, how));
        return this;
    }

    /**
     * Orders the UIDs (or sequence numbers) of every SEARCH answer.
     *
     * @param order the order
     * @return this
     */
    public Hostility searchOrder(Order order) {
        this.searchOrder = order;
        return this;
    }

    /**
     * Orders the FETCH responses of every FETCH answer ({@link Order#REPEATED}: each message's
     * response twice).
     *
     * @param order the order
     * @return this
     */
    public Hostility fetchOrder(Order order) {
        this.fetchOrder = order;
        return this;
    }

    /**
     * Adds an untagged response to every FETCH answer, before its tagged OK: e.g. a FETCH for a
     * UID or a sequence number the client never asked for, {@code * 99 FETCH (UID 999 BODY[]
     * {5}\r\nhello)}.
     *
     * @param response the response without its final CRLF (it may hold literals)
     * @return this
     */
    public Hostility extraFetchResponse(String response) {
        extraFetches.add(response);
        return this;
    }

    /**
     * Sends, before the answer to every command matching {@code command} (a regular expression
     * found, without case, in the command line without its tag), one response line of
     * {@code bytes} bytes: {@code prefix}, {@code filler} repeated, {@code suffix}, CRLF. It is
     * streamed, never held in memory.
     *
     * @param command e.g. {@code "^LIST"}, {@code "^UID SEARCH"}, {@code "^UID FETCH .*FLAGS"}
     * @param prefix e.g. {@code * SEARCH}
     * @param filler e.g. {@code " 1"}
     * @param suffix e.g. {@code ""}
     * @param bytes the line's length without CRLF
     * @return this
     */
    public Hostility longLine(String command, String prefix, String filler, String suffix, long bytes) {
        longLines.add(new LongLine(Pattern.compile(command, Pattern.CASE_INSENSITIVE), prefix, filler, suffix, bytes));
        return this;
    }

    // ------------------------------------------------------------------ used by the session

    long sizeSent(String folder, long uid, long real) {
        return sizes.getOrDefault(key(folder, uid), real);
    }

    long announced(String folder, long uid, String section, long real) {
        return announced.getOrDefault(key(folder, uid) + "\u0000" + section.toUpperCase(java.util.Locale.ROOT), real);
    }

    <T> List<T> searchOrder(List<T> hits) {
        return order(hits, searchOrder);
    }

    <T> List<T> fetchOrder(List<T> responses) {
        return order(responses, fetchOrder);
    }

    private static <T> List<T> order(List<T> in, Order order) {
        List<T> out = new ArrayList<>();
        boolean reverse = order == Order.REVERSED || order == Order.REVERSED_REPEATED;
        boolean repeat = order == Order.REPEATED || order == Order.REVERSED_REPEATED;
        for (int i = 0; i < in.size(); i++) {
            T t = in.get(reverse ? in.size() - 1 - i : i);
            out.add(t);
            if (repeat) {
                out.add(t);
            }
        }
        return out;
    }

    void writeExtraFetches(OutputStream out) throws IOException {
        for (String r : extraFetches) {
            out.write((r + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Writes the long lines planned for this command (without tag). */
    void writeLongLines(String command, OutputStream out) throws IOException {
        for (LongLine l : longLines) {
            if (!l.command().matcher(command).find()) {
                continue;
            }
            byte[] prefix = l.prefix().getBytes(StandardCharsets.UTF_8);
            byte[] suffix = (l.suffix() + "\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] filler = l.filler().getBytes(StandardCharsets.UTF_8);
            out.write(prefix);
            long left = l.bytes() - prefix.length - (suffix.length - 2);
            byte[] block = new byte[Math.max(1, 65_536 / filler.length) * filler.length];
            for (int i = 0; i < block.length; i++) {
                block[i] = filler[i % filler.length];
            }
            while (left > 0) {
                int n = (int) Math.min(block.length, left);
                out.write(block, 0, n);
                left -= n;
            }
            out.write(suffix);
        }
    }

    /** {@return whether a body fetch of this message gets an endless literal} */
    boolean endless(String folder, long uid) {
        return endless.containsKey(key(folder, uid));
    }

    /** Writes the endless literal's header after {@code head}, then its bytes without end or silence. */
    void writeEndless(String folder, long uid, byte[] head, OutputStream out, Runnable stall) throws IOException {
        EndlessLiteral e = endless.get(key(folder, uid));
        out.write(head);
        out.write(("BODY[] {" + e.announced() + "}\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] line = "From the endless literal, one more line of it\r\n".getBytes(StandardCharsets.US_ASCII);
        if (e.how() == Endless.STALL) {
            out.write(line);
            out.flush();
            stall.run();
            return;
        }
        byte[] block = new byte[line.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(line, 0, block, i * line.length, line.length);
        }
        while (true) {
            out.write(block); // ends when the client closes the connection
        }
    }
}
