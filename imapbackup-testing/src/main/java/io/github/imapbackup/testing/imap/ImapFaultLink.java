package io.github.imapbackup.testing.imap;

import io.github.imapbackup.testing.net.TcpProxy;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection of a {@link FaultProxy}: reads IMAP lines and literals in both directions,
 * forwards them, and injects the faults that strike.
 */
final class ImapFaultLink implements TcpProxy.Link {

    private final FaultProxy proxy;
    private final TcpProxy.Connection connection;
    /** Tagged answers to act on: the client's tag, and the fault that strikes its answer. */
    private final Map<String, Fault> answers = new ConcurrentHashMap<>();
    /** Held while a whole response goes to the client, so that an injected one never lands inside it. */
    private final Object toClient = new Object();
    private volatile OutputStream client;
    private volatile boolean stalled;

    ImapFaultLink(FaultProxy proxy, TcpProxy.Connection connection) {
        this.proxy = proxy;
        this.connection = connection;
    }

    /** The end of the connection, thrown by a fault that closes it. */
    private static final class Ended extends InterruptedIOException {
        private static final long serialVersionUID = 1L;
    }

    /** One direction's output: drip and stall, and the byte count (for {@link Fault.Where#BYTES}). */
    private final class Out {
        private final OutputStream out;
        private final boolean fromServer;
        private long written;
        private int dripLeft;
        private Duration drip = Duration.ZERO;

        Out(OutputStream out, boolean fromServer) {
            this.out = out;
            this.fromServer = fromServer;
        }

        void write(byte[] b, int off, int len) throws IOException {
            int end = off + len;
            while (off < end) {
                while (stalled) {
                    proxy.stall(connection);
                    stalled = false;
                }
                if (connection.isClosed()) {
                    throw new Ended();
                }
                int n = end - off;
                long mark = fromServer ? proxy.nextByteMark(connection, written) : -1;
                if (mark == written) {
                    Fault f = proxy.strike(Fault.Where.BYTES, null, connection, "at byte " + written);
                    if (f != null) {
                        act(f, this);
                    }
                    mark = proxy.nextByteMark(connection, written + 1);
                }
                if (mark > written) {
                    n = (int) Math.min(n, mark - written);
                }
                if (dripLeft > 0) {
                    n = 1;
                }
                out.write(b, off, n);
                off += n;
                written += n;
                if (dripLeft > 0) {
                    out.flush();
                    dripLeft--;
                    pause(drip);
                }
            }
        }

        void write(byte[] b) throws IOException {
            write(b, 0, b.length);
        }

        void flush() throws IOException {
            out.flush();
        }
    }

    @Override
    public void upstream(InputStream fromClient, OutputStream toServer) throws IOException {
        Lines in = new Lines(fromClient);
        Out out = new Out(toServer, false);
        for (byte[] line = in.line(); line != null; line = in.line()) {
            String text = ascii(line);
            String tag = word(text, 0);
            String name = commandName(text);
            Fault command = proxy.strike(Fault.Where.COMMAND, name, connection, tag);
            Fault answer = proxy.strike(Fault.Where.ANSWER, name, connection, tag);
            if (answer != null) {
                answers.put(tag, answer);
            }
            if (command != null && command.action == Fault.Action.REFUSE) {
                answers.put(tag, command);
                out.write(ascii(tag + " NOOP\r\n"));
                out.flush();
                skipLiterals(in, line);
                continue;
            }
            if (command != null) {
                act(command, out);
            }
            out.write(line);
            for (long n = literal(line); n >= 0; n = literal(line)) {
                out.flush();
                copy(in, out, n, proxy.strike(Fault.Where.COMMAND_LITERAL, name, connection, tag));
                line = in.line();
                if (line == null) {
                    return;
                }
                out.write(line);
            }
            out.flush();
        }
    }

    /** Skips a refused command's non-synchronising literals (a synchronising one the client does not send). */
    private static void skipLiterals(Lines in, byte[] line) throws IOException {
        while (literal(line) >= 0 && ascii(line).stripTrailing().endsWith("+}")) {
            in.skip(literal(line));
            line = in.line();
            if (line == null) {
                return;
            }
        }
    }

    @Override
    public void downstream(InputStream fromServer, OutputStream toClient) throws IOException {
        client = toClient;
        Lines in = new Lines(fromServer);
        Out out = new Out(toClient, true);
        boolean greeting = true;
        for (byte[] line = in.line(); line != null; line = in.line()) {
            String text = ascii(line);
            Fault hit = null;
            if (greeting) {
                hit = proxy.strike(Fault.Where.GREETING, null, connection, "");
                greeting = false;
            } else if (!text.startsWith("*") && !text.startsWith("+")) {
                hit = answers.remove(word(text, 0));
            }
            Fault inLiteral = literal(line) >= 0
                    ? proxy.strike(Fault.Where.LITERAL, text.toUpperCase(Locale.ROOT), connection, excerpt(text)) : null;
            synchronized (this.toClient) {
                if (hit != null && hit.action == Fault.Action.REFUSE) {
                    line = ascii(word(text, 0) + " " + hit.text + "\r\n");
                } else if (hit != null) {
                    act(hit, out);
                }
                if (inLiteral != null && inLiteral.action == Fault.Action.BYE) {
                    act(inLiteral, out);
                }
                out.write(line);
                for (long n = literal(line); n >= 0; n = literal(line)) {
                    copy(in, out, n, inLiteral);
                    inLiteral = null;
                    line = in.line();
                    if (line == null) {
                        return;
                    }
                    out.write(line);
                }
                out.flush();
            }
        }
    }

    /** Copies a literal of {@code n} bytes, the fault striking after its offset. */
    private void copy(Lines in, Out out, long n, Fault fault) throws IOException {
        long before = fault == null ? n : Math.min(n, fault.offset);
        in.copy(out, before);
        if (fault != null) {
            out.flush();
            act(fault, out);
        }
        in.copy(out, n - before);
    }

    /** Does what a fault says; throws {@link Ended} when it closes the connection. */
    private void act(Fault f, Out out) throws IOException {
        switch (f.action) {
            case CUT -> {
                connection.cut();
                throw new Ended();
            }
            case RESET -> {
                connection.reset();
                throw new Ended();
            }
            case STALL -> stalled = true;
            case DELAY -> pause(f.pause);
            case DRIP -> {
                out.drip = f.pause;
                out.dripLeft = f.bytes;
            }
            case BYE -> {
                OutputStream c = client;
                if (c != null) {
                    synchronized (toClient) {
                        c.write(ascii("* BYE " + f.text + "\r\n"));
                        c.flush();
                    }
                }
                connection.cut();
                throw new Ended();
            }
            default -> throw new IllegalStateException("cannot " + f);
        }
        while (stalled) {
            proxy.stall(connection);
            stalled = false;
        }
    }

    private static void pause(Duration d) throws InterruptedIOException {
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    /** {@return a command's name: its first word after the tag, with the second for UID commands} */
    static String commandName(String line) {
        String first = word(line, 1).toUpperCase(Locale.ROOT);
        return first.equals("UID") ? "UID " + word(line, 2).toUpperCase(Locale.ROOT) : first;
    }

    /** {@return the {@code index}th space-separated word of a line (0 for the first), or ""} */
    static String word(String line, int index) {
        String[] words = line.strip().split(" ", index + 2);
        return words.length > index ? words[index] : "";
    }

    /** {@return the size of the literal a line announces ({@code {N}}, {@code {N+}}, {@code ~{N}}), or -1} */
    static long literal(byte[] line) {
        int end = line.length;
        while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
            end--;
        }
        if (end < 3 || line[end - 1] != '}') {
            return -1;
        }
        int i = end - 2;
        if (line[i] == '+' || line[i] == '-') {
            i--;
        }
        int digitsEnd = i + 1;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
            i--;
        }
        if (i < 0 || line[i] != '{' || i + 1 == digitsEnd || digitsEnd - i > 19) {
            return -1;
        }
        return Long.parseLong(new String(line, i + 1, digitsEnd - i - 1, StandardCharsets.US_ASCII));
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String excerpt(String line) {
        String s = line.strip();
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Reads lines (to LF) and literal bytes from one side. */
    private static final class Lines {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final byte[] buf = new byte[65536];

        Lines(InputStream in) {
            this.in = new BufferedInputStream(in, 65536);
        }

        /** {@return the next line with its line end, or null at the end of the stream} */
        byte[] line() throws IOException {
            line.reset();
            for (int b = in.read(); b >= 0; b = in.read()) {
                line.write(b);
                if (b == '\n') {
                    return line.toByteArray();
                }
            }
            return line.size() == 0 ? null : line.toByteArray();
        }

        void copy(Out out, long n) throws IOException {
            while (n > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, n));
                if (r < 0) {
                    throw new Ended();
                }
                out.write(buf, 0, r);
                n -= r;
            }
        }

        void skip(long n) throws IOException {
            while (n > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, n));
                if (r < 0) {
                    throw new Ended();
                }
                n -= r;
            }
        }
    }
}
