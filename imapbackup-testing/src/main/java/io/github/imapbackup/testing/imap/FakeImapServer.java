package io.github.imapbackup.testing.imap;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small scripted IMAP4rev1 server on loopback for tests of odd server behaviour: a connection
 * cut or a BYE in the middle of a FETCH, UIDVALIDITY changing between runs, no UIDPLUS or
 * CONDSTORE, a server that stops answering. It keeps its mailbox in memory and records every
 * command it receives, so tests can prove that a backup never sent STORE, SELECT, APPEND, EXPUNGE.
 *
 * <pre>{@code
 * try (FakeImapServer server = FakeImapServer.start("alice", "secret")) {
 *     server.append("INBOX", bytes, Set.of("\\Seen"), Instant.now());
 *     server.cutBody("INBOX", 1, FakeImapServer.Cut.CLOSE_MID_LITERAL, 1);
 *     // ... run a backup against server.host(), server.port() ...
 *     assertThat(server.commandNames()).doesNotContain("STORE", "SELECT", "APPEND", "EXPUNGE");
 * }
 * }</pre>
 *
 * <p>Speaks: CAPABILITY, LOGIN, AUTHENTICATE XOAUTH2 (when the capabilities include
 * {@code AUTH=XOAUTH2}: the password is the bearer token; a refusal as Gmail's, with a base64 JSON
 * error challenge and an empty client response), LOGOUT, NOOP, ID, ENABLE, NAMESPACE, LIST, LSUB, STATUS, EXAMINE,
 * SELECT, CLOSE, UNSELECT, FETCH, UID FETCH (with CHANGEDSINCE), SEARCH, UID SEARCH, and for
 * restore tests CREATE, SUBSCRIBE and APPEND (synchronising literals, and non-synchronising ones
 * as {@code LITERAL+}/{@code LITERAL-} allow; {@code APPENDUID} with UIDPLUS; several messages
 * in one APPEND, all or none, when the capabilities include MULTIAPPEND), and for deletion tests
 * {@code UID STORE +FLAGS}, EXPUNGE and (with UIDPLUS) {@code UID EXPUNGE}. Everything else is
 * recorded and answered with BAD.
 */
public final class FakeImapServer implements Closeable {

    /** The default capabilities (LOGIN only: no AUTH= mechanisms). */
    public static final List<String> DEFAULT_CAPABILITIES =
            List.of("IMAP4rev1", "LITERAL+", "UIDPLUS", "CONDSTORE", "ENABLE", "ID", "NAMESPACE", "UNSELECT");

    /** How a body FETCH goes wrong. */
    public enum Cut {
        /** Send part of the literal, then close the socket. */
        CLOSE_MID_LITERAL,
        /** Answer the FETCH with {@code * BYE} and close the socket. */
        BYE,
        /** Send part of the literal, then stop answering (the socket stays open). */
        STALL_MID_LITERAL
    }

    private final String user;
    private final String password;
    private final ServerSocket serverSocket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-imap");
        t.setDaemon(true);
        return t;
    });
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    final Map<String, FakeMailbox> folders = new LinkedHashMap<>();
    final Map<String, Cut> cuts = new LinkedHashMap<>();
    final Map<String, Integer> cutTimes = new LinkedHashMap<>();
    final Map<String, Integer> cutSkips = new LinkedHashMap<>();
    final Set<String> stalledFolders = new LinkedHashSet<>();
    private final Set<String> omittedFetches = new LinkedHashSet<>();
    private volatile List<String> capabilities = DEFAULT_CAPABILITIES;
    private volatile char delimiter = '/';
    private volatile boolean closed;

    private FakeImapServer(String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        folders.put("INBOX", new FakeMailbox(1_000));
        threads.execute(this::acceptLoop);
    }

    /**
     * Starts a server with an empty INBOX for one user.
     *
     * @param user the user name
     * @param password the password
     * @return the running server
     * @throws IOException if no port can be bound
     */
    public static FakeImapServer start(String user, String password) throws IOException {
        return new FakeImapServer(user, password);
    }

    /** Returns the loopback address. */
    public String host() {
        return serverSocket.getInetAddress().getHostAddress();
    }

    /** Returns the port. */
    public int port() {
        return serverSocket.getLocalPort();
    }

    private final Hostility hostility = new Hostility();

    /**
     * Returns the server's hostile modes (lying literals and sizes, UIDs out of order, long lines,
     * endless literals); none is on until set.
     *
     * @return the modes of this server
     */
    public Hostility hostile() {
        return hostility;
    }

    private volatile boolean examineSaysReadWrite;

    /**
     * Makes EXAMINE complete with {@code [READ-WRITE]} instead of {@code [READ-ONLY]}, as a
     * careless server might (the folder stays read-only: EXAMINE never allows changes).
     *
     * @param on whether EXAMINE claims read-write
     * @return this server
     */
    public FakeImapServer examineSaysReadWrite(boolean on) {
        this.examineSaysReadWrite = on;
        return this;
    }

    boolean examineSaysReadWrite() {
        return examineSaysReadWrite;
    }

    private volatile String refusedInAtoms = "";

    /**
     * Makes the server refuse, with {@code BAD}, a mailbox name sent as an atom (not quoted, not a
     * literal) that holds one of {@code chars}, as Courier does with {@code ~} although RFC 3501
     * allows it in an atom. Applies to LIST, LSUB, STATUS, EXAMINE and SELECT.
     *
     * @param chars the characters refused in an atom, e.g. {@code "~"}; empty: none
     * @return this server
     */
    public FakeImapServer refuseInAtoms(String chars) {
        this.refusedInAtoms = chars;
        return this;
    }

    /** Returns whether a raw mailbox argument is an atom holding a refused character. */
    boolean refusedAtom(String raw) {
        if (raw.startsWith("\"") || raw.startsWith("{")) {
            return false;
        }
        return raw.chars().anyMatch(c -> refusedInAtoms.indexOf(c) >= 0);
    }

    /** Attributes XLIST adds, by folder. */
    private final Map<String, String> xlistAttributes = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Replaces the capabilities announced (e.g. without CONDSTORE and UIDPLUS).
     *
     * @param caps the capabilities, {@code IMAP4rev1} first
     * @return this server
     */
    public FakeImapServer capabilities(String... caps) {
        this.capabilities = List.of(caps);
        return this;
    }

    /**
     * Answers {@code XLIST} (Gmail's older LIST with special-use attributes) with this attribute on
     * this folder, e.g. {@code \\Sent}; announce {@code XLIST} with {@link #capabilities}.
     *
     * @param folder the folder name on the wire
     * @param attribute the attribute XLIST adds
     * @return this server
     */
    public FakeImapServer xlistAttribute(String folder, String attribute) {
        xlistAttributes.put(folder, attribute);
        return this;
    }

    /** Returns the attribute XLIST adds to a folder, or null. */
    String xlistAttribute(String folder) {
        return xlistAttributes.get(folder);
    }

    /** Returns whether the server announces a capability. */
    boolean has(String capability) {
        return capabilities.stream().anyMatch(c -> c.equalsIgnoreCase(capability));
    }

    /** Returns the announced capabilities. */
    List<String> capabilityList() {
        return capabilities;
    }

    /**
     * Sets the hierarchy delimiter (default {@code /}).
     *
     * @param delimiter the delimiter
     * @return this server
     */
    public FakeImapServer delimiter(char delimiter) {
        this.delimiter = delimiter;
        return this;
    }

    char delimiter() {
        return delimiter;
    }

    /**
     * Creates an empty folder (name as sent on the wire, modified UTF-7 for non-ASCII).
     *
     * @param name the full name
     * @return this server
     */
    public synchronized FakeImapServer createFolder(String name) {
        folders.computeIfAbsent(name, n -> new FakeMailbox(1_000 + folders.size()));
        return this;
    }

    /**
     * Adds a message, creating the folder when missing.
     *
     * @param folder the folder
     * @param bytes the exact bytes the server will send
     * @param flags flags and keywords
     * @param internalDate the INTERNALDATE
     * @return its UID
     */
    public synchronized long append(String folder, byte[] bytes, Collection<String> flags, Instant internalDate) {
        createFolder(folder);
        return folders.get(folder).append(bytes, flags, internalDate);
    }

    /**
     * Replaces the flags of a message (its MODSEQ goes up).
     *
     * @param folder the folder
     * @param uid the UID
     * @param flags the new flags
     */
    public synchronized void flags(String folder, long uid, Collection<String> flags) {
        mailbox(folder).flags(uid, flags);
    }

    /** Returns the flags of a message as the server holds them. */
    public synchronized Set<String> flagsOf(String folder, long uid) {
        return Set.copyOf(mailbox(folder).get(uid).flags);
    }

    /**
     * Removes a message.
     *
     * @param folder the folder
     * @param uid the UID
     */
    public synchronized void expunge(String folder, long uid) {
        mailbox(folder).expunge(uid);
    }

    /**
     * Gives the folder a new UIDVALIDITY and renumbers its messages from UID 1, as a server does
     * after its index was rebuilt.
     *
     * @param folder the folder
     * @return the new UIDVALIDITY
     */
    public synchronized long renumber(String folder) {
        return mailbox(folder).renumber();
    }

    /** Returns the UIDVALIDITY of a folder. */
    public synchronized long uidValidity(String folder) {
        return mailbox(folder).uidValidity;
    }

    /**
     * Makes the next {@code times} body fetches of one message go wrong.
     *
     * @param folder the folder
     * @param uid the UID (as it is now)
     * @param cut how
     * @param times how many times (then the message is served normally)
     */
    public synchronized void cutBody(String folder, long uid, Cut cut, int times) {
        cutBody(folder, uid, cut, times, 0);
    }

    /**
     * Like {@link #cutBody(String, long, Cut, int)}, but first serves {@code skip} body fetches of
     * the message normally (with partial fetches {@code BODY.PEEK[]<o.n>}: the cut then hits a
     * later chunk, after part of the message was delivered).
     *
     * @param folder the folder
     * @param uid the UID (as it is now)
     * @param cut how
     * @param times how many times
     * @param skip how many body fetches of the message to serve first
     */
    public synchronized void cutBody(String folder, long uid, Cut cut, int times, int skip) {
        cuts.put(folder + "\u0000" + uid, cut);
        cutTimes.put(folder + "\u0000" + uid, times);
        cutSkips.put(folder + "\u0000" + uid, skip);
    }

    /**
     * Makes the server leave one message out of every FETCH answer while still listing it in
     * UID SEARCH, as a client sees a FETCH response it cannot parse (Angus drops those) or a
     * server that forgets one.
     *
     * @param folder the folder
     * @param uid the UID (as it is now)
     * @param omit true to leave it out from now on, false to answer for it again
     */
    public synchronized void omitFetch(String folder, long uid, boolean omit) {
        if (omit) {
            omittedFetches.add(folder + "\u0000" + uid);
        } else {
            omittedFetches.remove(folder + "\u0000" + uid);
        }
    }

    synchronized boolean fetchOmitted(String folder, long uid) {
        return omittedFetches.contains(folder + "\u0000" + uid);
    }

    /**
     * Makes the server stop answering whenever a client opens this folder (EXAMINE or SELECT).
     *
     * @param folder the folder
     */
    public synchronized void stall(String folder) {
        stalledFolders.add(folder);
    }

    /** A scripted throttling answer: the matching commands after {@code skip} get {@code answer}, {@code times} times. */
    private static final class ThrottleRule {
        final java.util.regex.Pattern command;
        final String answer;
        int skip;
        int times;

        ThrottleRule(java.util.regex.Pattern command, int skip, int times, String answer) {
            this.command = command;
            this.skip = skip;
            this.times = times;
            this.answer = answer;
        }
    }

    private final List<ThrottleRule> throttles = new ArrayList<>();
    private final AtomicInteger throttleAnswers = new AtomicInteger();
    private final AtomicInteger greetingByes = new AtomicInteger();
    private volatile String greetingBye;

    /**
     * Answers commands as a throttling server does: of the commands matching {@code command} (a
     * regular expression found, without case, in the command line without its tag, e.g. {@code
     * "^UID FETCH .*BODY\\.PEEK\\[\\]"}, {@code "^LOGIN"}, {@code "^EXAMINE"}), the first {@code
     * skip} are served, then the next {@code times} get {@code answer} instead: a tagged answer such as
     * {@code NO [THROTTLED] slow down} (the tag is put before it), or an untagged {@code * BYE ...}
     * after which the connection is closed. Then the commands are served again. Rules apply in the
     * order added; a command takes the first rule that answers it.
     *
     * @param command the regular expression
     * @param skip how many matching commands to serve first
     * @param times how many to answer so ({@link Integer#MAX_VALUE}: for ever)
     * @param answer e.g. {@code NO [UNAVAILABLE] Temporary System Error}, or {@code * BYE [UNAVAILABLE] go away}
     * @return this server
     */
    public FakeImapServer throttle(String command, int skip, int times, String answer) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(command, java.util.regex.Pattern.CASE_INSENSITIVE);
        synchronized (throttles) {
            throttles.add(new ThrottleRule(p, skip, times, answer));
        }
        return this;
    }

    /**
     * Greets the next {@code times} connections with {@code * BYE text} and closes them, as a server
     * does that refuses more connections from an account or an address.
     *
     * @param times how many connections
     * @param text e.g. {@code [UNAVAILABLE] Too many simultaneous connections}
     * @return this server
     */
    public FakeImapServer byeAtGreeting(int times, String text) {
        greetingByes.set(times);
        greetingBye = text;
        return this;
    }

    /** Returns how many throttling answers and greeting BYEs the server sent. */
    public int throttleAnswers() {
        return throttleAnswers.get();
    }

    /** Returns the scripted answer for a command line (without tag), or null to serve it; counts it. */
    String throttleAnswer(String line) {
        synchronized (throttles) {
            for (ThrottleRule r : throttles) {
                if (r.times <= 0 || !r.command.matcher(line).find()) {
                    continue;
                }
                if (r.skip > 0) {
                    r.skip--;
                    return null;
                }
                if (r.times != Integer.MAX_VALUE) {
                    r.times--;
                }
                throttleAnswers.incrementAndGet();
                return r.answer;
            }
        }
        return null;
    }

    /** Returns the BYE text for a new connection's greeting, or null to greet it. */
    String greetingBye() {
        if (greetingByes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throttleAnswers.incrementAndGet();
            return greetingBye;
        }
        return null;
    }

    private final List<String> pipelinedCommands = new CopyOnWriteArrayList<>();
    private volatile boolean sideBySide;

    /**
     * Returns the commands (as {@link #commands()} has them) that the client's next command
     * arrived pipelined after: it was already waiting in the input when the server was about to
     * send the command's tagged answer. A client that waits for each answer has none here.
     */
    public List<String> pipelinedCommands() {
        return List.copyOf(pipelinedCommands);
    }

    void pipelined(String command) {
        pipelinedCommands.add(command);
    }

    /**
     * Runs pipelined commands side by side, as Dovecot does: when a UID FETCH has written its
     * untagged answers and the client's next command is already waiting, the server holds the
     * FETCH's tagged {@code OK} back and sends it just before the next command's tagged answer, so
     * the next command's untagged responses (its bodies) arrive first. Off by default.
     *
     * @param on whether to answer side by side
     * @return this server
     */
    public FakeImapServer answerSideBySide(boolean on) {
        this.sideBySide = on;
        return this;
    }

    boolean answersSideBySide() {
        return sideBySide;
    }

    private volatile String permanentFlags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*";
    private volatile String refusedAppend;
    private volatile String refusedAnswer;
    private final AtomicInteger synchronisingLiterals = new AtomicInteger();
    private final List<String> literalViolations = new CopyOnWriteArrayList<>();

    /**
     * Sets the PERMANENTFLAGS a SELECT announces (default all five system flags and {@code \*}).
     * APPEND keeps only the flags they allow, as a server does.
     *
     * @param flags the flags, e.g. {@code "\\Seen \\Deleted"} (no {@code \*}: no keywords)
     * @return this server
     */
    public FakeImapServer permanentFlags(String flags) {
        this.permanentFlags = flags;
        return this;
    }

    String permanentFlags() {
        return permanentFlags;
    }

    /**
     * Makes APPEND refuse, with {@code NO [TOOBIG] message too big for this server}, every message
     * whose bytes contain {@code marker}; the rest is stored.
     *
     * @param marker the text, or null for none
     * @return this server
     */
    public FakeImapServer refuseAppendsContaining(String marker) {
        return refuseAppendsContaining(marker, "NO [TOOBIG] message too big for this server");
    }

    /**
     * Makes APPEND answer {@code answer} (after the tag) to every message whose bytes contain
     * {@code marker}, e.g. {@code NO [OVERQUOTA] Quota exceeded}; the rest is stored.
     *
     * @param marker the text, or null for none
     * @param answer the answer, e.g. {@code NO [OVERQUOTA] Quota exceeded}
     * @return this server
     */
    public FakeImapServer refuseAppendsContaining(String marker, String answer) {
        this.refusedAppend = marker;
        this.refusedAnswer = answer;
        return this;
    }

    String refusedAnswer() {
        return refusedAnswer;
    }

    private volatile String refusedKeyword;

    /**
     * Makes APPEND refuse, with {@code NO [CANNOT] Keyword length too long} (Dovecot's words for a
     * keyword over its {@code mail_max_keyword_length}), every command that asks for this keyword
     * (compared without case) on any of its messages, although PERMANENTFLAGS offer {@code \*};
     * with MULTIAPPEND the whole command is refused.
     *
     * @param keyword the keyword, or null for none
     * @return this server
     */
    public FakeImapServer refuseKeyword(String keyword) {
        this.refusedKeyword = keyword;
        return this;
    }

    boolean refusesKeyword(Set<String> flags) {
        String k = refusedKeyword;
        return k != null && flags.stream().anyMatch(k::equalsIgnoreCase);
    }

    boolean refusesAppend(byte[] message) {
        String marker = refusedAppend;
        return marker != null && new String(message, StandardCharsets.ISO_8859_1).contains(marker);
    }

    private volatile long maxLiteral = Long.MAX_VALUE;

    /**
     * Makes APPEND refuse messages over {@code bytes} as a server that checks the literal's size:
     * a synchronising literal gets {@code NO [TOOBIG]} instead of {@code +} (the client sends no
     * bytes), a non-synchronising one is read and then refused.
     *
     * @param bytes the largest message taken
     * @return this server
     */
    public FakeImapServer maxLiteral(long bytes) {
        this.maxLiteral = bytes;
        return this;
    }

    long maxLiteral() {
        return maxLiteral;
    }

    /** Returns how many synchronising literals clients sent (each waited for a {@code +}). */
    public int synchronisingLiterals() {
        return synchronisingLiterals.get();
    }

    void synchronisingLiteral() {
        synchronisingLiterals.incrementAndGet();
    }

    /**
     * Returns the non-synchronising literals a client sent although the server did not allow them
     * (no {@code LITERAL+}; with {@code LITERAL-}, over 4096 bytes).
     */
    public List<String> literalViolations() {
        return List.copyOf(literalViolations);
    }

    void literalViolation(String what) {
        literalViolations.add(what);
    }

    /** Attributes LIST adds (SPECIAL-USE), by folder. */
    private final Map<String, String> listAttributes = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger gmailIds = new AtomicInteger(1_000);

    /**
     * Lists this folder with a special-use attribute in LIST and XLIST answers, e.g. {@code \\All}
     * for Gmail's All Mail, {@code \\Junk}, {@code \\Trash}.
     *
     * @param folder the folder name on the wire (created when missing)
     * @param attribute the attribute
     * @return this server
     */
    public synchronized FakeImapServer listAttribute(String folder, String attribute) {
        createFolder(folder);
        listAttributes.put(folder, attribute);
        return this;
    }

    /** Returns the attribute LIST adds to a folder, or null. */
    String listAttribute(String folder) {
        return listAttributes.get(folder);
    }

    /**
     * Gives a message Gmail's labels, sent as {@code X-GM-LABELS} (its MODSEQ goes up), and a
     * Gmail message id ({@code X-GM-MSGID}) if it has none. Announce {@code X-GM-EXT-1} with
     * {@link #capabilities}. System labels ({@code \\Inbox}, {@code \\Important}) are sent as
     * atoms, the others as quoted strings.
     *
     * @param folder the folder
     * @param uid the UID
     * @param labels the labels as on the wire (modified UTF-7 for non-ASCII)
     */
    public synchronized void labels(String folder, long uid, Collection<String> labels) {
        FakeMailbox m = mailbox(folder);
        FakeMailbox.Msg msg = m.get(uid);
        msg.labels.clear();
        msg.labels.addAll(labels);
        msg.gmailId = msg.gmailId != 0 ? msg.gmailId : gmailIds.incrementAndGet();
        msg.modSeq = ++m.highestModSeq;
    }

    /** Returns the exact bytes of a folder's messages, in UID order. */
    public synchronized List<byte[]> messages(String folder) {
        return mailbox(folder).messages.stream().map(m -> m.bytes.clone()).toList();
    }

    /** Returns the UIDs of a folder's messages, in order. */
    public synchronized List<Long> uids(String folder) {
        return mailbox(folder).messages.stream().map(m -> m.uid).toList();
    }

    /** Returns the INTERNALDATE of a message. */
    public synchronized Instant internalDateOf(String folder, long uid) {
        return mailbox(folder).get(uid).internalDate;
    }

    /** Returns whether the server holds a folder (name as sent on the wire). */
    public synchronized boolean hasFolder(String folder) {
        return folders.containsKey(folder);
    }

    /** Returns every command received, in order, without tags (passwords masked). */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /**
     * Returns the command names received, UID commands as {@code UID FETCH}, {@code UID SEARCH}.
     *
     * @return the names, upper case, in order
     */
    public List<String> commandNames() {
        List<String> names = new ArrayList<>();
        for (String c : commands) {
            String[] w = c.split(" ", 3);
            String name = w[0].toUpperCase(Locale.ROOT);
            if (name.equals("UID") && w.length > 1) {
                name = "UID " + w[1].toUpperCase(Locale.ROOT);
            }
            names.add(name);
        }
        return names;
    }

    /** Forgets the recorded commands. */
    public void clearCommands() {
        commands.clear();
    }

    /** Returns how many connections were accepted. */
    public int connections() {
        return connections.get();
    }

    /** Stops the server and closes every connection. Idempotent. */
    @Override
    public void close() throws IOException {
        closed = true;
        serverSocket.close();
        for (Socket s : sockets) {
            s.close();
        }
        threads.shutdownNow();
    }

    FakeMailbox mailbox(String folder) {
        FakeMailbox m = folders.get(folder);
        if (m == null) {
            throw new IllegalArgumentException("no such folder: " + folder);
        }
        return m;
    }

    boolean checkLogin(String u, String p) {
        return user.equals(u) && password.equals(p);
    }

    void record(String command) {
        commands.add(command);
    }

    /** Consumes one planned cut for this message, or returns null. */
    synchronized Cut takeCut(String folder, long uid) {
        String key = folder + "\u0000" + uid;
        Integer left = cutTimes.get(key);
        if (left == null || left <= 0) {
            return null;
        }
        int skip = cutSkips.getOrDefault(key, 0);
        if (skip > 0) {
            cutSkips.put(key, skip - 1);
            return null;
        }
        cutTimes.put(key, left - 1);
        return cuts.get(key);
    }

    synchronized boolean stalled(String folder) {
        return stalledFolders.contains(folder);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = serverSocket.accept();
                connections.incrementAndGet();
                sockets.add(s);
                threads.execute(() -> {
                    try (s) {
                        new FakeImapSession(this, s).run();
                    } catch (IOException e) {
                        // the client went away or the test cut the connection
                    } finally {
                        sockets.remove(s);
                    }
                });
            } catch (IOException e) {
                if (!closed) {
                    commands.add("! accept failed: " + e);
                }
            }
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
