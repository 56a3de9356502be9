package io.github.imapbackup.testing.imap;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One network fault for a {@link FaultProxy}: where it strikes (a trigger), what it does (an
 * action) and how often. Immutable; each setter returns a copy.
 *
 * <pre>{@code
 * proxy.add(Fault.literal("FETCH", 3, 1000).cut());                  // cut 1000 bytes into the 3rd FETCH literal
 * proxy.add(Fault.command("APPEND", 2).refuse("NO", "OVERQUOTA"));   // the 2nd APPEND is refused
 * proxy.add(Fault.answer("UID FETCH", 1).bye("[UNAVAILABLE] shutting down"));
 * proxy.add(Fault.greeting().delay(Duration.ofSeconds(2)).eachConnection());
 * }</pre>
 *
 * <p>Occurrences are counted over all connections of the proxy: the fault strikes at the
 * {@code nth} and the following ones until it struck {@link #times(int)} times (1 by default).
 * With {@link #eachConnection()} they are counted per connection, and it strikes on every
 * connection. With {@link #onConnection(int)} or {@link #notOnConnection(int)} only the occurrences
 * on that connection (or on the others) count and the fault strikes only there: connections are
 * numbered from 1 in the order the proxy accepted them.
 */
public final class Fault {

    /** Where a fault strikes. */
    public enum Where {
        /** The server's greeting (the first response of a connection). */
        GREETING,
        /** A client's command, as it arrives (before it is forwarded). */
        COMMAND,
        /** Inside a literal of a client's command (an APPEND's message; each of a MULTIAPPEND's), at a byte offset. */
        COMMAND_LITERAL,
        /** The server's tagged answer to a client's command, before it is forwarded. */
        ANSWER,
        /** Inside a literal the server sends (a FETCH's message bytes), at a byte offset. */
        LITERAL,
        /** After a number of bytes from the server on one connection. */
        BYTES
    }

    /** What a fault does. */
    public enum Action {
        /** Closes both sides of the connection (the client sees an end of stream). */
        CUT,
        /** Resets the client's side (TCP RST) and closes the server's. */
        RESET,
        /** Stops forwarding in both directions, the sockets left open, until the proxy is released or closed. */
        STALL,
        /** Forwards the next bytes one at a time, with a pause after each. */
        DRIP,
        /** Sends the client an untagged {@code * BYE} and closes the connection. */
        BYE,
        /** Holds everything for a while, then goes on. */
        DELAY,
        /**
         * The command is not forwarded (a {@code NOOP} takes its place, so the answers keep their
         * order) and its tagged answer becomes {@code NO} or {@code BAD} with a response code:
         * what a server refusing it says; nothing of it reaches the server.
         */
        REFUSE
    }

    final Where where;
    final String name;
    final int nth;
    final long offset;
    final Action action;
    final Duration pause;
    final int bytes;
    final String text;
    final int times;
    final boolean eachConnection;
    /** The connection the fault is limited to (0: any), or with {@link #exceptConnection} the one it skips. */
    final int connection;
    final boolean exceptConnection;

    private Fault(Where where, String name, int nth, long offset, Action action, Duration pause, int bytes,
            String text, int times, boolean eachConnection, int connection, boolean exceptConnection) {
        if (nth < 1 || offset < 0 || times < 1 || connection < 0) {
            throw new IllegalArgumentException("nth " + nth + ", offset " + offset + ", times " + times
                    + ", connection " + connection);
        }
        this.where = where;
        this.name = name == null ? null : name.toUpperCase(Locale.ROOT);
        this.nth = nth;
        this.offset = offset;
        this.action = action;
        this.pause = pause;
        this.bytes = bytes;
        this.text = text;
        this.times = times;
        this.eachConnection = eachConnection;
        this.connection = connection;
        this.exceptConnection = exceptConnection;
    }

    private static Fault at(Where where, String name, int nth, long offset) {
        return new Fault(where, name, nth, offset, Action.CUT, Duration.ZERO, 0, null, 1, false, 0, false);
    }

    private Fault with(Action a, Duration p, int b, String t) {
        return new Fault(where, name, nth, offset, a, p, b, t, times, eachConnection, connection, exceptConnection);
    }

    /** {@return a fault at the server's greeting (cuts unless told otherwise)} */
    public static Fault greeting() {
        return at(Where.GREETING, null, 1, 0);
    }

    /**
     * A fault at the {@code nth} client command {@code name}, as it arrives.
     *
     * @param name the command, e.g. {@code APPEND}, {@code UID FETCH}, {@code EXAMINE}, {@code LIST}
     * @param nth from 1
     * @return the fault (cuts unless told otherwise)
     */
    public static Fault command(String name, int nth) {
        return at(Where.COMMAND, Objects.requireNonNull(name, "name"), nth, 0);
    }

    /**
     * A fault inside the {@code nth} literal that the client sends in commands {@code name}
     * (each message of a MULTIAPPEND counts).
     *
     * @param name the command, e.g. {@code APPEND}
     * @param nth from 1
     * @param offset how many bytes of the literal pass first (a literal shorter than that: at its end)
     * @return the fault (cuts unless told otherwise)
     */
    public static Fault commandLiteral(String name, int nth, long offset) {
        return at(Where.COMMAND_LITERAL, Objects.requireNonNull(name, "name"), nth, offset);
    }

    /**
     * A fault at the server's tagged answer to the {@code nth} client command {@code name}: the
     * server did the command; the client does not learn it (cut, reset, BYE) or learns it late.
     *
     * @param name the command
     * @param nth from 1
     * @return the fault (cuts unless told otherwise)
     */
    public static Fault answer(String name, int nth) {
        return at(Where.ANSWER, Objects.requireNonNull(name, "name"), nth, 0);
    }

    /**
     * A fault inside the {@code nth} literal the server sends in a response whose first line
     * holds {@code keyword}.
     *
     * @param keyword e.g. {@code FETCH}
     * @param nth from 1
     * @param offset how many bytes of the literal pass first (a literal shorter than that: at its end)
     * @return the fault (cuts unless told otherwise)
     */
    public static Fault literal(String keyword, int nth, long offset) {
        return at(Where.LITERAL, Objects.requireNonNull(keyword, "keyword"), nth, offset);
    }

    /**
     * A fault once {@code count} bytes came from the server on a connection.
     *
     * @param count bytes, 0 or more
     * @return the fault (cuts unless told otherwise)
     */
    public static Fault afterBytes(long count) {
        return at(Where.BYTES, null, 1, count);
    }

    /** {@return this fault cutting the connection} */
    public Fault cut() {
        return with(Action.CUT, Duration.ZERO, 0, null);
    }

    /** {@return this fault resetting the connection} */
    public Fault reset() {
        return with(Action.RESET, Duration.ZERO, 0, null);
    }

    /** {@return this fault stalling the connection} */
    public Fault stall() {
        return with(Action.STALL, Duration.ZERO, 0, null);
    }

    /**
     * {@return this fault dripping bytes}
     *
     * @param perByte the pause after each byte
     * @param count how many bytes drip
     */
    public Fault drip(Duration perByte, int count) {
        return with(Action.DRIP, Objects.requireNonNull(perByte, "perByte"), count, null);
    }

    /**
     * {@return this fault saying {@code * BYE text} and closing}
     *
     * @param byeText what follows {@code * BYE }, e.g. {@code [UNAVAILABLE] Server shutting down}
     */
    public Fault bye(String byeText) {
        return with(Action.BYE, Duration.ZERO, 0, Objects.requireNonNull(byeText, "byeText"));
    }

    /**
     * {@return this fault holding the connection a while}
     *
     * @param d how long
     */
    public Fault delay(Duration d) {
        return with(Action.DELAY, Objects.requireNonNull(d, "d"), 0, null);
    }

    /**
     * {@return this fault refusing a command (only at {@link #command}): its answer becomes
     * {@code tag STATUS [CODE] ...}}
     *
     * @param status {@code NO} or {@code BAD}
     * @param code the response code, e.g. {@code OVERQUOTA}, {@code THROTTLED}, {@code SERVERBUG}
     */
    public Fault refuse(String status, String code) {
        if (where != Where.COMMAND || !(status.equals("NO") || status.equals("BAD"))) {
            throw new IllegalArgumentException("refuse() needs a command() fault and NO or BAD: " + status);
        }
        return with(Action.REFUSE, Duration.ZERO, 0, status + " [" + code + "] " + code.toLowerCase(Locale.ROOT)
                + " (injected by the test's FaultProxy)");
    }

    /**
     * {@return this fault striking {@code count} times (at consecutive occurrences from the nth)}
     *
     * @param count 1 or more
     */
    public Fault times(int count) {
        return new Fault(where, name, nth, offset, action, pause, bytes, text, count, eachConnection, connection,
                exceptConnection);
    }

    /** {@return this fault striking at every occurrence from the nth on} */
    public Fault always() {
        return times(Integer.MAX_VALUE);
    }

    /** {@return this fault counted per connection, striking on every connection} */
    public Fault eachConnection() {
        return new Fault(where, name, nth, offset, action, pause, bytes, text, times, true, connection,
                exceptConnection);
    }

    /**
     * {@return this fault counted and striking on connection {@code number} only}
     *
     * @param number from 1, in the order the proxy accepted the connections
     */
    public Fault onConnection(int number) {
        return limitedTo(number, false);
    }

    /**
     * {@return this fault counted and striking on every connection but {@code number}}
     *
     * @param number from 1, in the order the proxy accepted the connections
     */
    public Fault notOnConnection(int number) {
        return limitedTo(number, true);
    }

    private Fault limitedTo(int number, boolean except) {
        if (number < 1) {
            throw new IllegalArgumentException("connections are numbered from 1: " + number);
        }
        return new Fault(where, name, nth, offset, action, pause, bytes, text, times, eachConnection, number, except);
    }

    /** {@return whether occurrences on connection {@code number} count for this fault} */
    boolean appliesTo(int number) {
        return connection == 0 || (number == connection) != exceptConnection;
    }

    /** {@return where it strikes} */
    public Where where() {
        return where;
    }

    /** {@return what it does} */
    public Action action() {
        return action;
    }

    @Override
    public String toString() {
        return action.name().toLowerCase(Locale.ROOT) + " at " + where.name().toLowerCase(Locale.ROOT)
                + (name == null ? "" : " " + name) + " #" + nth + (offset > 0 ? " +" + offset : "")
                + (text == null ? "" : " \"" + text + "\"") + (pause.isZero() ? "" : " " + pause.toMillis() + " ms")
                + (times == 1 ? "" : times == Integer.MAX_VALUE ? " always" : " x" + times)
                + (eachConnection ? " each connection" : "")
                + (connection == 0 ? "" : (exceptConnection ? " not on connection " : " on connection ") + connection);
    }
}
