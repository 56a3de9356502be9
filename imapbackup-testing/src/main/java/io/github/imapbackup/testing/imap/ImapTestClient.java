package io.github.imapbackup.testing.imap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny raw IMAP4rev1 client for tests: it sends exactly the bytes it is given (APPEND literals,
 * flags, INTERNALDATE) and reads responses with their literals, so tests control and see the wire.
 * Not thread-safe.
 *
 * <pre>{@code
 * try (ImapTestClient c = ImapTestClient.connect("127.0.0.1", port)) {
 *     c.login("alice", "secret");
 *     long uid = c.append("INBOX", bytes, Set.of("\\Seen"), Instant.parse("2020-01-01T10:00:00Z"));
 *     byte[] back = c.fetchBody("INBOX", uid);
 * }
 * }</pre>
 */
public final class ImapTestClient implements Closeable {

    /** The date-time form of IMAP's INTERNALDATE. */
    public static final DateTimeFormatter INTERNALDATE =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ROOT);

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");
    private static final Pattern APPENDUID = Pattern.compile("\\[APPENDUID (\\d+) (\\d+)]", Pattern.CASE_INSENSITIVE);
    private static final Pattern APPENDUID_SET =
            Pattern.compile("\\[APPENDUID \\d+ ([0-9:,]+)]", Pattern.CASE_INSENSITIVE);
    private static final Pattern FLAGS = Pattern.compile("FLAGS \\(([^)]*)\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern UID = Pattern.compile("[( ]UID (\\d+)", Pattern.CASE_INSENSITIVE);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String greeting;
    private int tagCounter;
    private long literalBytesDiscarded;
    private Set<String> capabilities;

    private ImapTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.greeting = readResponse(true).text();
    }

    /**
     * Connects (plain TCP) and reads the greeting.
     *
     * @param host the host
     * @param port the port
     * @return the connected client
     * @throws IOException on failure
     */
    public static ImapTestClient connect(String host, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), 10_000);
            s.setSoTimeout(60_000);
            return new ImapTestClient(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Returns the server's greeting line. */
    public String greeting() {
        return greeting;
    }

    /**
     * Logs in with LOGIN.
     *
     * @param user the user
     * @param password the password
     * @throws IOException on failure
     */
    public void login(String user, String password) throws IOException {
        command("LOGIN " + quote(user) + " " + quote(password));
        capabilities = null;
    }

    /** Returns the capabilities (asked once per login state). */
    public Set<String> capabilities() throws IOException {
        if (capabilities == null) {
            Set<String> caps = new LinkedHashSet<>();
            for (Response r : command("CAPABILITY")) {
                if (r.text().toUpperCase(Locale.ROOT).startsWith("* CAPABILITY ")) {
                    for (String c : r.text().substring(13).trim().split(" +")) {
                        caps.add(c.toUpperCase(Locale.ROOT));
                    }
                }
            }
            capabilities = caps;
        }
        return capabilities;
    }

    /**
     * Sends one command (a tag is added) and returns the untagged responses.
     *
     * @param command the command without tag, e.g. {@code LIST "" "*"}
     * @return the untagged responses
     * @throws ImapTestClient.CommandFailedException if the server answers NO or BAD
     * @throws IOException on failure
     */
    public List<Response> command(String command) throws IOException {
        String tag = nextTag();
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return readUntilTagged(tag, true);
    }

    /**
     * Creates a folder; a folder that exists already is fine.
     *
     * @param folder the full name
     * @throws IOException on failure
     */
    public void createFolder(String folder) throws IOException {
        if (folder.equalsIgnoreCase("INBOX")) {
            return;
        }
        try {
            command("CREATE " + quote(folder));
        } catch (CommandFailedException e) {
            if (!e.getMessage().toUpperCase(Locale.ROOT).contains("ALREADYEXISTS")
                    && !e.getMessage().toLowerCase(Locale.ROOT).contains("already exists")) {
                throw e;
            }
        }
    }

    /**
     * Appends one message with exactly these bytes.
     *
     * @param folder the folder (must exist)
     * @param message the bytes
     * @param flags flags and keywords
     * @param internalDate INTERNALDATE, or null for the server's now
     * @return the UID from APPENDUID, or -1 when the server does not send one
     * @throws IOException on failure
     */
    public long append(String folder, byte[] message, Collection<String> flags, Instant internalDate)
            throws IOException {
        String tag = nextTag();
        boolean literalPlus = capabilities().contains("LITERAL+");
        out.write(appendHeader(tag, folder, message.length, flags, internalDate, literalPlus));
        if (!literalPlus) {
            out.flush();
            Response r = readResponse(true);
            if (!r.text().startsWith("+")) {
                throw new CommandFailedException("APPEND refused: " + r.text());
            }
        }
        out.write(message);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<Response> rs = readUntilTagged(tag, true);
        return appendUid(rs.get(rs.size() - 1).text());
    }

    /**
     * Appends many messages in one MULTIAPPEND command (LITERAL+ and MULTIAPPEND required): one
     * server transaction, much faster than {@link #append} for bulk loads.
     *
     * @param folder the folder (must exist)
     * @param messages the messages
     * @return the UIDs, in order (empty when the server sends no APPENDUID)
     * @throws IOException on failure
     */
    public long[] appendAll(String folder, List<Message> messages) throws IOException {
        if (!capabilities().contains("LITERAL+") || !capabilities().contains("MULTIAPPEND")) {
            throw new IllegalStateException("appendAll needs LITERAL+ and MULTIAPPEND");
        }
        if (messages.isEmpty()) {
            return new long[0];
        }
        String tag = nextTag();
        out.write((tag + " APPEND " + quote(folder)).getBytes(StandardCharsets.UTF_8));
        for (Message m : messages) {
            out.write(appendArguments(m.bytes().length, m.flags(), m.internalDate(), true));
            out.write(m.bytes());
        }
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<Response> rs = readUntilTagged(tag, false);
        Matcher m = APPENDUID_SET.matcher(rs.get(rs.size() - 1).text());
        if (!m.find()) {
            return new long[0];
        }
        long[] uids = new long[messages.size()];
        int i = 0;
        for (String part : m.group(1).split(",")) {
            String[] ends = part.split(":");
            long a = Long.parseLong(ends[0]);
            long b = ends.length > 1 ? Long.parseLong(ends[1]) : a;
            for (long u = a; u <= b && i < uids.length; u++) {
                uids[i++] = u;
            }
        }
        return uids;
    }

    /**
     * Opens a folder read-only (EXAMINE) and returns the untagged responses.
     *
     * @param folder the folder
     * @return the responses
     * @throws IOException on failure
     */
    public List<Response> examine(String folder) throws IOException {
        return command("EXAMINE " + quote(folder));
    }

    /**
     * Returns the exact bytes the server sends for {@code UID FETCH uid BODY.PEEK[]} (the folder is
     * EXAMINEd first, so nothing changes on the server).
     *
     * @param folder the folder
     * @param uid the UID
     * @return the message bytes
     * @throws IOException on failure
     */
    public byte[] fetchBody(String folder, long uid) throws IOException {
        examine(folder);
        for (Response r : command("UID FETCH " + uid + " (BODY.PEEK[])")) {
            if (!r.literals().isEmpty()) {
                return r.literals().get(0);
            }
        }
        throw new IOException("no body for UID " + uid + " in " + folder);
    }

    /**
     * Returns the flags of every message of a folder (EXAMINE, then UID FETCH 1:* FLAGS).
     *
     * @param folder the folder
     * @return UID to flags, \Recent left out
     * @throws IOException on failure
     */
    public TreeMap<Long, Set<String>> flags(String folder) throws IOException {
        examine(folder);
        TreeMap<Long, Set<String>> result = new TreeMap<>();
        for (Response r : command("UID FETCH 1:* (FLAGS)")) {
            Matcher u = UID.matcher(r.text());
            Matcher f = FLAGS.matcher(r.text());
            if (u.find() && f.find()) {
                Set<String> flags = new LinkedHashSet<>();
                for (String s : f.group(1).trim().split(" +")) {
                    if (!s.isEmpty() && !s.equalsIgnoreCase("\\Recent")) {
                        flags.add(s);
                    }
                }
                result.put(Long.parseLong(u.group(1)), flags);
            }
        }
        return result;
    }

    /**
     * Changes flags with SELECT + UID STORE (the one place where this client writes).
     *
     * @param folder the folder
     * @param uid the UID
     * @param operation {@code +FLAGS}, {@code -FLAGS} or {@code FLAGS}
     * @param flags the flags
     * @throws IOException on failure
     */
    public void store(String folder, long uid, String operation, Collection<String> flags) throws IOException {
        command("SELECT " + quote(folder));
        command("UID STORE " + uid + " " + operation + " (" + String.join(" ", flags) + ")");
        command("CLOSE");
    }

    /**
     * Reads every message of a folder with one {@code UID FETCH 1:* (BODY.PEEK[])} and discards the
     * bytes as they arrive (the raw-throughput baseline of the benchmark).
     *
     * @param folder the folder
     * @return the number of message bytes read
     * @throws IOException on failure
     */
    public long fetchAllDiscarding(String folder) throws IOException {
        List<Response> status = examine(folder);
        boolean empty = status.stream().anyMatch(r -> r.text().matches("(?i)\\* 0 EXISTS"));
        if (empty) {
            return 0;
        }
        long before = literalBytesDiscarded;
        String tag = nextTag();
        out.write((tag + " UID FETCH 1:* (BODY.PEEK[])\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        readUntilTagged(tag, false);
        return literalBytesDiscarded - before;
    }

    /**
     * Sends one command and reads its responses, discarding literal bytes as they arrive.
     *
     * @param command the command without tag, e.g. {@code UID FETCH 7 (BODY.PEEK[])}
     * @return the number of literal bytes read
     * @throws IOException on failure
     */
    public long commandDiscardingLiterals(String command) throws IOException {
        long before = literalBytesDiscarded;
        String tag = nextTag();
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        readUntilTagged(tag, false);
        return literalBytesDiscarded - before;
    }

    /**
     * Writes raw bytes (for tests of odd input); no tag is added.
     *
     * @param bytes the bytes
     * @throws IOException on failure
     */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Reads one response line (with its literals).
     *
     * @return the response
     * @throws IOException on failure
     */
    public Response readResponse() throws IOException {
        return readResponse(true);
    }

    /** Logs out (best effort) and closes the socket. Idempotent. */
    @Override
    public void close() throws IOException {
        if (socket.isClosed()) {
            return;
        }
        try {
            socket.setSoTimeout(2000);
            command("LOGOUT");
        } catch (IOException e) {
            // the server may already be gone
        } finally {
            socket.close();
        }
    }

    // ------------------------------------------------------------------ internals

    private String nextTag() {
        return "t" + (++tagCounter);
    }

    private static byte[] appendHeader(String tag, String folder, int length, Collection<String> flags,
            Instant internalDate, boolean literalPlus) {
        byte[] head = (tag + " APPEND " + quote(folder)).getBytes(StandardCharsets.UTF_8);
        byte[] args = appendArguments(length, flags, internalDate, literalPlus);
        byte[] all = Arrays.copyOf(head, head.length + args.length);
        System.arraycopy(args, 0, all, head.length, args.length);
        return all;
    }

    private static byte[] appendArguments(int length, Collection<String> flags, Instant internalDate,
            boolean literalPlus) {
        StringBuilder sb = new StringBuilder();
        if (flags != null && !flags.isEmpty()) {
            sb.append(" (").append(String.join(" ", flags)).append(')');
        }
        if (internalDate != null) {
            sb.append(" \"").append(formatDate(internalDate)).append('"');
        }
        sb.append(" {").append(length).append(literalPlus ? "+" : "").append("}\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Formats an instant as an IMAP INTERNALDATE in UTC, e.g. {@code 01-Jan-2020 08:00:00 +0000}.
     *
     * @param instant the instant
     * @return the date-time text
     */
    public static String formatDate(Instant instant) {
        return INTERNALDATE.format(ZonedDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static long appendUid(String tagged) {
        Matcher m = APPENDUID.matcher(tagged);
        return m.find() ? Long.parseLong(m.group(2)) : -1;
    }

    /**
     * Quotes a string for IMAP (non-ASCII sent as UTF-8 bytes, which Dovecot accepts).
     *
     * @param s the string
     * @return the quoted string
     */
    public static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private List<Response> readUntilTagged(String tag, boolean keepLiterals) throws IOException {
        List<Response> untagged = new ArrayList<>();
        while (true) {
            Response r = readResponse(keepLiterals);
            if (r.text().startsWith(tag + " ")) {
                String rest = r.text().substring(tag.length() + 1);
                if (!rest.regionMatches(true, 0, "OK", 0, 2)) {
                    throw new CommandFailedException(r.text());
                }
                untagged.add(r);
                return untagged;
            }
            untagged.add(r);
        }
    }

    private Response readResponse(boolean keepLiterals) throws IOException {
        StringBuilder text = new StringBuilder();
        List<byte[]> literals = new ArrayList<>();
        while (true) {
            String line = readLine();
            text.append(line);
            Matcher m = LITERAL.matcher(line);
            if (!m.find()) {
                return new Response(text.toString(), literals);
            }
            long n = Long.parseLong(m.group(1));
            if (keepLiterals) {
                literals.add(readExactly(n));
            } else {
                discard(n);
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server; partial line: "
                        + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b == '\n' && prev == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            prev = b;
        }
    }

    private byte[] readExactly(long n) throws IOException {
        if (n > Integer.MAX_VALUE - 16) {
            throw new IOException("literal too large: " + n);
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length != n) {
            throw new EOFException("connection closed inside a literal");
        }
        return b;
    }

    private void discard(long n) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new EOFException("connection closed inside a literal");
            }
            left -= r;
        }
        literalBytesDiscarded += n;
    }

    /**
     * One response line; literals are cut out into {@link #literals()} and stay as {@code {n}} in
     * the text.
     *
     * @param text the line(s), literal placeholders included
     * @param literals the literal payloads, in order (empty when discarded)
     */
    public record Response(String text, List<byte[]> literals) {

        /** Copies. */
        public Response {
            literals = List.copyOf(literals);
        }

        @Override
        public String toString() {
            return text + (literals.isEmpty() ? "" : " + " + literals.size() + " literal(s)");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Response r && r.text.equals(text) && r.literals.size() == literals.size()
                    && java.util.stream.IntStream.range(0, literals.size())
                            .allMatch(i -> Arrays.equals(literals.get(i), r.literals.get(i)));
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }
    }

    /**
     * A message to append.
     *
     * @param bytes the exact bytes
     * @param flags flags and keywords
     * @param internalDate INTERNALDATE, or null
     */
    public record Message(byte[] bytes, Set<String> flags, Instant internalDate) {

        /** Validates and copies the flags (not the bytes: they may be large). */
        public Message {
            java.util.Objects.requireNonNull(bytes, "bytes");
            flags = Set.copyOf(flags);
        }
    }

    /** The server answered NO or BAD. */
    public static final class CommandFailedException extends IOException {

        private static final long serialVersionUID = 1L;

        CommandFailedException(String message) {
            super(message);
        }
    }
}
