package io.github.imapbackup.testing.imap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One client connection of {@link FakeImapServer}: reads commands, answers from the mailbox. */
final class FakeImapSession {

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)(\\+?)}$");
    private static final Pattern BODY_ITEM = Pattern.compile(
            "(?i)(BODY(?:\\.PEEK)?)\\[([^\\]]*)](?:<(\\d+)(?:\\.(\\d+))?>)?");

    /** What {@link #readCommand()} returns for a command it answered itself (a literal refused). */
    private static final String ANSWERED = "\0answered";

    private final FakeImapServer server;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean authenticated;
    private String selected;

    FakeImapSession(FakeImapServer server, Socket socket) throws IOException {
        this.server = server;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    void run() throws IOException {
        String bye = server.greetingBye();
        if (bye != null) {
            send("* BYE " + bye);
            out.flush();
            return;
        }
        send("* OK [CAPABILITY " + String.join(" ", server.capabilityList()) + "] fake IMAP ready");
        out.flush();
        while (true) {
            String line = readCommand();
            if (line == null) {
                return;
            }
            if (line.equals(ANSWERED)) {
                out.flush();
                continue;
            }
            int sp = line.indexOf(' ');
            if (sp <= 0) {
                send("* BAD missing tag");
                out.flush();
                continue;
            }
            String tag = line.substring(0, sp);
            String rest = line.substring(sp + 1);
            current = rest.regionMatches(true, 0, "LOGIN ", 0, 6)
                    || rest.regionMatches(true, 0, "AUTHENTICATE ", 0, 13) ? mask(rest) : rest;
            server.record(current);
            String throttled = server.throttleAnswer(rest);
            if (throttled != null && throttled.startsWith("* BYE")) {
                send(throttled);
                out.flush();
                return;
            }
            if (throttled != null) {
                send(tag + " " + throttled);
                out.flush();
                continue;
            }
            server.hostile().writeLongLines(rest, out);
            if (!handle(tag, rest)) {
                return;
            }
            out.flush();
        }
    }

    /** Handles one command; returns false when the connection is to end. */
    private boolean handle(String tag, String rest) throws IOException {
        List<String> args = tokens(rest);
        String cmd = args.remove(0).toUpperCase(Locale.ROOT);
        boolean uid = false;
        if (cmd.equals("UID") && !args.isEmpty()) {
            uid = true;
            cmd = args.remove(0).toUpperCase(Locale.ROOT);
        }
        switch (cmd) {
            case "CAPABILITY" -> {
                send("* CAPABILITY " + String.join(" ", server.capabilityList()));
                ok(tag, "CAPABILITY completed");
            }
            case "NOOP", "CHECK" -> ok(tag, cmd + " completed");
            case "LOGOUT" -> {
                send("* BYE logging out");
                ok(tag, "LOGOUT completed");
                out.flush();
                return false;
            }
            case "LOGIN" -> {
                if (args.size() == 2 && server.checkLogin(unquote(args.get(0)), unquote(args.get(1)))) {
                    authenticated = true;
                    ok(tag, "[CAPABILITY " + String.join(" ", server.capabilityList()) + "] LOGIN completed");
                } else {
                    send(tag + " NO [AUTHENTICATIONFAILED] Invalid credentials");
                }
            }
            case "AUTHENTICATE" -> authenticated = xoauth2(tag, args);
            default -> {
                if (!authenticated) {
                    send(tag + " BAD not authenticated");
                    return true;
                }
                return authenticatedCommand(tag, cmd, uid, args);
            }
        }
        return true;
    }

    private boolean authenticatedCommand(String tag, String cmd, boolean uid, List<String> args) throws IOException {
        int names = switch (cmd) {
            case "LIST", "LSUB", "XLIST" -> 2;
            case "STATUS", "EXAMINE", "SELECT", "CREATE", "SUBSCRIBE", "APPEND" -> 1;
            default -> 0;
        };
        for (int i = 0; i < names && i < args.size(); i++) {
            if (server.refusedAtom(args.get(i))) {
                send(tag + " BAD Error in IMAP command received by server.");
                return true;
            }
        }
        switch (cmd) {
            case "ID" -> {
                send("* ID (\"name\" \"fake\")");
                ok(tag, "ID completed");
            }
            case "ENABLE" -> {
                String enabled = args.stream().filter(server::has).collect(Collectors.joining(" "));
                send("* ENABLED" + (enabled.isEmpty() ? "" : " " + enabled));
                ok(tag, "ENABLE completed");
            }
            case "NAMESPACE" -> {
                send("* NAMESPACE ((\"\" " + quote(String.valueOf(server.delimiter())) + ")) NIL NIL");
                ok(tag, "NAMESPACE completed");
            }
            case "LIST", "LSUB" -> list(tag, cmd, args);
            case "XLIST" -> {
                if (server.has("XLIST")) {
                    list(tag, cmd, args);
                } else {
                    send(tag + " BAD Unknown command");
                }
            }
            case "CREATE" -> {
                String name = unquote(args.get(0));
                synchronized (server) {
                    if (server.folders.containsKey(name)) {
                        send(tag + " NO [ALREADYEXISTS] mailbox exists");
                        return true;
                    }
                    server.createFolder(name);
                }
                ok(tag, "CREATE completed");
            }
            case "SUBSCRIBE" -> ok(tag, "SUBSCRIBE completed");
            case "APPEND" -> append(tag, args);
            case "STATUS" -> status(tag, args);
            case "EXAMINE", "SELECT" -> {
                String name = unquote(args.get(0));
                if (server.stalled(name)) {
                    out.flush();
                    stall();
                    return false;
                }
                synchronized (server) {
                    if (!server.folders.containsKey(name)) {
                        send(tag + " NO [NONEXISTENT] no such mailbox");
                        return true;
                    }
                    FakeMailbox m = server.mailbox(name);
                    selected = name;
                    send("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)");
                    boolean examine = cmd.equals("EXAMINE");
                    send("* OK [PERMANENTFLAGS (" + (examine ? "" : server.permanentFlags()) + ")] "
                            + (examine ? "read-only" : "flags"));
                    send("* " + m.messages.size() + " EXISTS");
                    send("* 0 RECENT");
                    send("* OK [UIDVALIDITY " + m.uidValidity + "] UIDs valid");
                    send("* OK [UIDNEXT " + m.uidNext + "] predicted next UID");
                    if (server.has("CONDSTORE")) {
                        send("* OK [HIGHESTMODSEQ " + m.highestModSeq + "] highest");
                    }
                }
                boolean readOnly = cmd.equals("EXAMINE") && !server.examineSaysReadWrite();
                ok(tag, (readOnly ? "[READ-ONLY] " : "[READ-WRITE] ") + cmd + " completed");
            }
            case "CLOSE", "UNSELECT" -> {
                selected = null;
                ok(tag, cmd + " completed");
            }
            case "FETCH" -> {
                if (selected == null) {
                    send(tag + " BAD no mailbox selected");
                    return true;
                }
                return fetch(tag, uid, args);
            }
            case "SEARCH" -> search(tag, uid, args);
            case "STORE", "EXPUNGE" -> {
                if (selected == null) {
                    send(tag + " BAD no mailbox selected");
                    return true;
                }
                if (cmd.equals("STORE")) {
                    store(tag, uid, args);
                } else {
                    expunge(tag, uid, args);
                }
            }
            default -> send(tag + " BAD command not supported by the fake server: " + cmd);
        }
        return true;
    }

    /** {@code UID STORE set +FLAGS[.SILENT] (flags)}: adds flags (the only form the clients tested send). */
    private void store(String tag, boolean uid, List<String> args) throws IOException {
        String op = args.size() > 1 ? args.get(1).toUpperCase(Locale.ROOT) : "";
        if (!uid || !op.startsWith("+FLAGS")) {
            send(tag + " BAD only UID STORE +FLAGS is supported by the fake server");
            return;
        }
        List<String> flags = Arrays.stream(String.join(" ", args.subList(2, args.size())).replace("(", "")
                .replace(")", "").split(" ")).filter(f -> !f.isEmpty()).toList();
        synchronized (server) {
            FakeMailbox m = server.mailbox(selected);
            for (FakeMailbox.Msg msg : m.messages) {
                if (inSet(args.get(0), msg.uid, m.uidNext - 1)) {
                    msg.flags.addAll(flags);
                }
            }
        }
        ok(tag, "STORE completed");
    }

    /** EXPUNGE, or UIDPLUS {@code UID EXPUNGE set}: removes the messages flagged \Deleted (in the set). */
    private void expunge(String tag, boolean uid, List<String> args) throws IOException {
        if (uid && !server.has("UIDPLUS")) {
            send(tag + " BAD UID EXPUNGE needs UIDPLUS");
            return;
        }
        synchronized (server) {
            FakeMailbox m = server.mailbox(selected);
            for (int i = m.messages.size() - 1; i >= 0; i--) {
                FakeMailbox.Msg msg = m.messages.get(i);
                if (msg.flags.contains("\\Deleted") && (!uid || inSet(args.get(0), msg.uid, m.uidNext - 1))) {
                    m.expunge(msg.uid);
                    send("* " + (i + 1) + " EXPUNGE");
                }
            }
        }
        ok(tag, "EXPUNGE completed");
    }

    private void list(String tag, String cmd, List<String> args) throws IOException {
        String ref = unquote(args.get(0));
        String pattern = ref + unquote(args.get(1));
        String delim = String.valueOf(server.delimiter());
        if (unquote(args.get(1)).isEmpty()) {
            send("* " + cmd + " (\\Noselect) " + quote(delim) + " \"\"");
            ok(tag, cmd + " completed");
            return;
        }
        Pattern p = Pattern.compile(Arrays.stream(pattern.split("", -1))
                .map(c -> c.equals("*") ? ".*" : c.equals("%") ? "[^" + Pattern.quote(delim) + "]*" : Pattern.quote(c))
                .collect(Collectors.joining()), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
        synchronized (server) {
            for (String name : server.folders.keySet()) {
                if (p.matcher(name).matches()) {
                    boolean children = server.folders.keySet().stream().anyMatch(n -> n.startsWith(name + delim));
                    String xlist = cmd.equals("XLIST") && server.xlistAttribute(name) != null
                            ? " " + server.xlistAttribute(name) : "";
                    xlist += server.listAttribute(name) != null && !cmd.equals("LSUB") ? " " + server.listAttribute(name) : "";
                    send("* " + cmd + " (" + (children ? "\\HasChildren" : "\\HasNoChildren") + xlist + ") "
                            + quote(delim) + " " + mailbox(name));
                }
            }
        }
        ok(tag, cmd + " completed");
    }

    private void status(String tag, List<String> args) throws IOException {
        String name = unquote(args.get(0));
        String items = args.get(1).replaceAll("[()]", "").toUpperCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        synchronized (server) {
            if (!server.folders.containsKey(name)) {
                send(tag + " NO [NONEXISTENT] no such mailbox");
                return;
            }
            FakeMailbox m = server.mailbox(name);
            for (String item : items.split(" +")) {
                long v = switch (item) {
                    case "MESSAGES" -> m.messages.size();
                    case "UIDNEXT" -> m.uidNext;
                    case "UIDVALIDITY" -> m.uidValidity;
                    case "UNSEEN" -> m.unseen();
                    case "RECENT" -> 0;
                    case "HIGHESTMODSEQ" -> m.highestModSeq;
                    default -> -1;
                };
                if (v >= 0 && !(item.equals("HIGHESTMODSEQ") && !server.has("CONDSTORE"))) {
                    sb.append(sb.length() == 0 ? "" : " ").append(item).append(' ').append(v);
                }
            }
        }
        send("* STATUS " + mailbox(name) + " (" + sb + ")");
        ok(tag, "STATUS completed");
    }

    private void search(String tag, boolean uid, List<String> args) throws IOException {
        List<Long> hits = new ArrayList<>();
        synchronized (server) {
            FakeMailbox m = server.mailbox(selected);
            long maxUid = m.messages.isEmpty() ? 0 : m.messages.get(m.messages.size() - 1).uid;
            for (int i = 0; i < m.messages.size(); i++) {
                FakeMailbox.Msg msg = m.messages.get(i);
                boolean match = true;
                for (int a = 0; a < args.size(); a++) {
                    String t = args.get(a).toUpperCase(Locale.ROOT);
                    if (t.equals("UID")) {
                        match &= inSet(args.get(++a), msg.uid, maxUid);
                    } else if (t.equals("MODSEQ")) {
                        match &= msg.modSeq >= Long.parseLong(args.get(++a));
                    } else if (t.matches("[0-9*][0-9:*,]*")) {
                        match &= inSet(t, i + 1, m.messages.size());
                    }
                }
                if (match) {
                    hits.add(uid ? msg.uid : i + 1);
                }
            }
        }
        send("* SEARCH" + server.hostile().searchOrder(hits).stream().map(h -> " " + h).collect(Collectors.joining()));
        ok(tag, "SEARCH completed");
    }

    private boolean fetch(String tag, boolean uid, List<String> args) throws IOException {
        String set = args.get(0);
        List<String> items = expandMacros(args.get(1));
        long changedSince = -1;
        if (args.size() > 2) {
            Matcher cs = Pattern.compile("(?i)CHANGEDSINCE (\\d+)").matcher(args.get(2));
            if (cs.find()) {
                changedSince = Long.parseLong(cs.group(1));
                if (items.stream().noneMatch(i -> i.equalsIgnoreCase("MODSEQ"))) {
                    items.add("MODSEQ");
                }
            }
        }
        if (uid && items.stream().noneMatch(i -> i.equalsIgnoreCase("UID"))) {
            items.add(0, "UID");
        }
        List<FakeMailbox.Msg> msgs;
        List<Integer> seqs = new ArrayList<>();
        synchronized (server) {
            FakeMailbox m = server.mailbox(selected);
            long max = uid ? (m.messages.isEmpty() ? 0 : m.messages.get(m.messages.size() - 1).uid) : m.messages.size();
            msgs = new ArrayList<>();
            for (int i = 0; i < m.messages.size(); i++) {
                FakeMailbox.Msg msg = m.messages.get(i);
                if (inSet(set, uid ? msg.uid : i + 1, max) && msg.modSeq > changedSince) {
                    msgs.add(msg);
                    seqs.add(i + 1);
                }
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < msgs.size(); k++) {
            order.add(k);
        }
        for (int k : server.hostile().fetchOrder(order)) {
            if (server.fetchOmitted(selected, msgs.get(k).uid)) {
                continue;
            }
            if (!fetchOne(seqs.get(k), msgs.get(k), items)) {
                return false;
            }
        }
        server.hostile().writeExtraFetches(out);
        if (uid && server.answersSideBySide() && in.available() > 0) {
            // side by side: the next command's untagged answers come before this tagged OK
            server.pipelined(current);
            writeHeldBack();
            heldBack = tag + " OK FETCH completed";
            return true;
        }
        ok(tag, "FETCH completed");
        return true;
    }

    /** Sends one FETCH response; returns false when a planned cut ended the connection. */
    private boolean fetchOne(int seq, FakeMailbox.Msg msg, List<String> items) throws IOException {
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.writeBytes(FakeImapServer.ascii("* " + seq + " FETCH ("));
        long uid;
        Set<String> flags;
        long modSeq;
        List<String> labels;
        long gmailId;
        synchronized (server) {
            uid = msg.uid;
            flags = Set.copyOf(msg.flags);
            modSeq = msg.modSeq;
            labels = List.copyOf(msg.labels);
            gmailId = msg.gmailId != 0 ? msg.gmailId : uid;
        }
        int cutAt = -1;
        FakeImapServer.Cut cut = null;
        boolean first = true;
        for (String item : items) {
            String u = item.toUpperCase(Locale.ROOT);
            if (!first) {
                r.write(' ');
            }
            first = false;
            Matcher b = BODY_ITEM.matcher(item);
            if (b.matches() || u.equals("RFC822") || u.equals("RFC822.HEADER") || u.equals("RFC822.TEXT")) {
                String section = b.matches() ? b.group(2) : u.equals("RFC822") ? "" : u.substring(7);
                byte[] data = FakeMessages.section(msg.bytes, section);
                String key = b.matches() ? "BODY[" + section + "]" : u;
                if (b.matches() && b.group(3) != null) {
                    int from = (int) Math.min(data.length, Long.parseLong(b.group(3)));
                    int to = b.group(4) == null ? data.length
                            : (int) Math.min(data.length, from + Long.parseLong(b.group(4)));
                    data = Arrays.copyOfRange(data, from, to);
                    key += "<" + b.group(3) + ">";
                }
                if (section.isEmpty() && server.hostile().endless(selected, uid)) {
                    server.hostile().writeEndless(selected, uid, r.toByteArray(), out, this::stallQuietly);
                    socket.close();
                    return false;
                }
                long announced = server.hostile().announced(selected, uid, section, data.length);
                r.writeBytes(FakeImapServer.ascii(key + " {" + announced + "}\r\n"));
                if (section.isEmpty() && cut == null) {
                    cut = server.takeCut(selected, uid);
                    cutAt = r.size() + data.length / 2;
                }
                r.writeBytes(data);
                continue;
            }
            switch (u) {
                case "UID" -> r.writeBytes(FakeImapServer.ascii("UID " + uid));
                case "FLAGS" -> r.writeBytes(FakeImapServer.ascii("FLAGS (" + String.join(" ", flags) + ")"));
                case "INTERNALDATE" -> r.writeBytes(FakeImapServer.ascii(
                        "INTERNALDATE \"" + ImapTestClient.formatDate(msg.internalDate) + "\""));
                case "RFC822.SIZE" -> r.writeBytes(FakeImapServer.ascii("RFC822.SIZE "
                        + server.hostile().sizeSent(selected, uid, msg.bytes.length)));
                case "MODSEQ" -> r.writeBytes(FakeImapServer.ascii("MODSEQ (" + modSeq + ")"));
                case "X-GM-LABELS" -> r.writeBytes(FakeImapServer.ascii("X-GM-LABELS (" + labels.stream()
                        .map(l -> l.startsWith("\\") ? l : quote(l)).collect(Collectors.joining(" ")) + ")"));
                case "X-GM-MSGID", "X-GM-THRID" -> r.writeBytes(FakeImapServer.ascii(u + " " + gmailId));
                case "ENVELOPE" -> r.writeBytes(FakeImapServer.ascii("ENVELOPE " + FakeMessages.envelope(msg.bytes)));
                case "BODYSTRUCTURE", "BODY" -> r.writeBytes(FakeImapServer.ascii(
                        u + " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"8BIT\" " + msg.bytes.length
                        + " " + FakeMessages.lines(msg.bytes) + ")"));
                default -> r.writeBytes(FakeImapServer.ascii(u + " NIL"));
            }
        }
        r.writeBytes(FakeImapServer.ascii(")\r\n"));
        byte[] bytes = r.toByteArray();
        if (cut == FakeImapServer.Cut.BYE) {
            send("* BYE fake server shutting down");
            out.flush();
            socket.close();
            return false;
        }
        if (cut != null) {
            out.write(bytes, 0, cutAt);
            out.flush();
            if (cut == FakeImapServer.Cut.STALL_MID_LITERAL) {
                stall();
            }
            socket.close();
            return false;
        }
        out.write(bytes);
        return true;
    }

    /** One message of an APPEND command. */
    private record Appended(byte[] bytes, Set<String> flags, java.time.Instant date) {
    }

    /**
     * APPEND mailbox [(flags)] ["date"] literal, and with MULTIAPPEND (RFC 3502) more such
     * groups: stores the literals' exact bytes, all or none (a refused message refuses the command).
     */
    private void append(String tag, List<String> args) throws IOException {
        String name = unquote(args.get(0));
        List<Appended> batch = new ArrayList<>();
        Set<String> flags = new java.util.LinkedHashSet<>();
        java.time.Instant date = java.time.Instant.now();
        for (String a : args.subList(1, args.size())) {
            if (a.startsWith("{#")) {
                batch.add(new Appended(literals.get(Integer.parseInt(a.substring(2, a.length() - 1))),
                        allowed(flags), date));
                flags = new java.util.LinkedHashSet<>();
                date = java.time.Instant.now();
            } else if (a.startsWith("(")) {
                flags.addAll(tokens(a.substring(1, a.length() - 1)));
            } else {
                date = java.time.ZonedDateTime.parse(unquote(a).trim(), java.time.format.DateTimeFormatter
                        .ofPattern("d-MMM-yyyy HH:mm:ss Z", Locale.US)).toInstant();
            }
        }
        if (batch.isEmpty() || !args.get(args.size() - 1).startsWith("{#")) {
            send(tag + " BAD APPEND without a literal");
            return;
        }
        if (batch.size() > 1 && !server.has("MULTIAPPEND")) {
            send(tag + " BAD APPEND of several messages without MULTIAPPEND");
            return;
        }
        if (batch.stream().anyMatch(m -> server.refusesKeyword(m.flags()))) {
            send(tag + " NO [CANNOT] Keyword length too long");
            return;
        }
        if (literalTooBig || batch.stream().anyMatch(m -> server.refusesAppend(m.bytes()))) {
            send(tag + " " + (literalTooBig ? "NO [TOOBIG] message too big for this server" : server.refusedAnswer()));
            return;
        }
        long first = 0;
        long uid = 0;
        long uidValidity;
        int exists;
        synchronized (server) {
            if (!server.folders.containsKey(name)) {
                send(tag + " NO [TRYCREATE] no such mailbox");
                return;
            }
            for (Appended m : batch) {
                uid = server.append(name, m.bytes(), m.flags(), m.date());
                first = first == 0 ? uid : first;
            }
            uidValidity = server.uidValidity(name);
            exists = server.mailbox(name).messages.size();
        }
        if (name.equals(selected)) {
            send("* " + exists + " EXISTS");
        }
        String uids = first == uid ? String.valueOf(uid) : first + ":" + uid;
        ok(tag, (server.has("UIDPLUS") ? "[APPENDUID " + uidValidity + " " + uids + "] " : "") + "APPEND completed");
    }

    /** {@return the flags of {@code flags} the PERMANENTFLAGS allow} */
    private Set<String> allowed(Set<String> flags) {
        Set<String> allowed = Set.copyOf(tokens(server.permanentFlags()).stream()
                .map(f -> f.toLowerCase(Locale.ROOT)).toList());
        flags.removeIf(f -> !allowed.contains(f.toLowerCase(Locale.ROOT))
                && (f.startsWith("\\") || !allowed.contains("\\*")));
        return flags;
    }

    // ------------------------------------------------------------------ parsing helpers

    private static List<String> expandMacros(String items) {
        String s = items.trim();
        if (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1);
        }
        List<String> result = new ArrayList<>();
        for (String t : tokens(s)) {
            switch (t.toUpperCase(Locale.ROOT)) {
                case "FAST" -> result.addAll(List.of("FLAGS", "INTERNALDATE", "RFC822.SIZE"));
                case "ALL" -> result.addAll(List.of("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"));
                case "FULL" -> result.addAll(List.of("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"));
                default -> result.add(t);
            }
        }
        return result;
    }

    /** Whether value is in an IMAP sequence set such as {@code 1:5,7,9:*} ({@code *} = max). */
    static boolean inSet(String set, long value, long max) {
        for (String part : set.split(",")) {
            String[] ends = part.split(":", 2);
            long a = ends[0].equals("*") ? max : Long.parseLong(ends[0]);
            long b = ends.length == 1 ? a : ends[1].equals("*") ? max : Long.parseLong(ends[1]);
            if (value >= Math.min(a, b) && value <= Math.max(a, b)) {
                return true;
            }
        }
        return false;
    }

    /** Splits at spaces outside quotes, parentheses and brackets. */
    static List<String> tokens(String s) {
        List<String> result = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                cur.append(c);
                if (c == '\\' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == ' ' && depth == 0) {
                if (cur.length() > 0) {
                    result.add(cur.toString());
                    cur.setLength(0);
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '(' || c == '[' || c == '<') {
                depth++;
            } else if (c == ')' || c == ']' || c == '>') {
                depth--;
            }
            cur.append(c);
        }
        if (cur.length() > 0) {
            result.add(cur.toString());
        }
        return result;
    }

    static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return s;
    }

    /** A mailbox name as a quoted string, or as a literal when it holds CR, LF, NUL or other controls. */
    static String mailbox(String name) {
        if (name.chars().noneMatch(c -> c < 0x20 || c == 0x7f)) {
            return quote(name);
        }
        return "{" + name.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + name;
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * AUTHENTICATE XOAUTH2 (with or without SASL-IR), refusing as Gmail does: a continuation with a
     * base64 JSON error, an empty client response, then {@code NO}; any other response is a {@code BAD}.
     */
    private boolean xoauth2(String tag, List<String> args) throws IOException {
        if (args.isEmpty() || !args.get(0).equalsIgnoreCase("XOAUTH2") || !server.has("AUTH=XOAUTH2")) {
            send(tag + " NO unsupported mechanism");
            return false;
        }
        String response = args.size() > 1 ? args.get(1) : null;
        if (response == null) {
            send("+ ");
            out.flush();
            response = readLine();
        }
        String[] parts = new String(java.util.Base64.getDecoder().decode(response == null ? "" : response.strip()),
                StandardCharsets.UTF_8).split("\001");
        String user = parts.length > 0 && parts[0].startsWith("user=") ? parts[0].substring(5) : "";
        String token = parts.length > 1 && parts[1].startsWith("auth=Bearer ") ? parts[1].substring(12) : "";
        if (server.checkLogin(user, token)) {
            ok(tag, "[CAPABILITY " + String.join(" ", server.capabilityList()) + "] " + user + " authenticated (Success)");
            return true;
        }
        send("+ " + java.util.Base64.getEncoder().encodeToString(
                "{\"status\":\"401\",\"schemes\":\"Bearer\",\"scope\":\"https://mail.google.com/\"}"
                        .getBytes(StandardCharsets.UTF_8)));
        out.flush();
        String answer = readLine();
        server.record(answer == null || answer.isEmpty() ? "(empty response)" : "(a response that is not empty)");
        send(tag + (answer != null && answer.isEmpty() ? " NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)"
                : " BAD expected an empty response to the error challenge"));
        return false;
    }

    private static String mask(String login) {
        List<String> t = tokens(login);
        return t.size() >= 2 ? t.get(0) + " " + t.get(1) + " ***" : "LOGIN ***";
    }

    /** The literals of the command being read (APPEND's are not inlined: see {@link #readCommand()}). */
    private final List<byte[]> literals = new ArrayList<>();
    /** Whether the APPEND being read sent a non-synchronising literal over the server's limit. */
    private boolean literalTooBig;

    /**
     * Reads one command line; client literals are inlined as quoted strings, except in APPEND,
     * where each becomes a token {@code {#i}} for the exact bytes in {@link #literals}.
     */
    private String readCommand() throws IOException {
        StringBuilder line = new StringBuilder();
        literals.clear();
        literalTooBig = false;
        while (true) {
            String part = readLine();
            if (part == null) {
                return null;
            }
            Matcher m = LITERAL.matcher(part);
            if (!m.find()) {
                return line.append(part).toString();
            }
            line.append(part, 0, m.start());
            int size = Integer.parseInt(m.group(1));
            boolean append = line.toString().matches("(?i)\\S+ APPEND .*");
            if (append && m.group(2).isEmpty() && size > server.maxLiteral()) {
                String tag = line.substring(0, line.indexOf(" "));
                server.record(line.substring(tag.length() + 1) + "{" + size + "}");
                send(tag + " NO [TOOBIG] literal of " + size + " bytes refused before it was sent");
                return ANSWERED;
            }
            literalTooBig |= append && size > server.maxLiteral();
            if (m.group(2).isEmpty()) {
                server.synchronisingLiteral();
                send("+ go ahead");
                out.flush();
            } else if (!server.has("LITERAL+") && !(server.has("LITERAL-") && size <= 4096)) {
                server.literalViolation(part);
            }
            byte[] lit = in.readNBytes(size);
            if (append) {
                line.append("{#").append(literals.size()).append('}');
                literals.add(lit);
            } else {
                line.append(quote(new String(lit, StandardCharsets.UTF_8)));
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return null;
    }

    private void stallQuietly() {
        try {
            stall();
        } catch (IOException e) {
            // the client closed the connection
        }
    }

    /** Stops answering: reads and ignores input until the client gives up and closes. */
    private void stall() throws IOException {
        out.flush();
        byte[] sink = new byte[4096];
        while (in.read(sink) >= 0) {
            // ignore everything
        }
    }

    /** The command being answered, as recorded. */
    private String current = "";
    /** A UID FETCH's tagged OK held back while the next command is answered side by side, or null. */
    private String heldBack;

    /**
     * Writes a line. Before a tagged answer: counts the command as pipelined when the next one is
     * already waiting, and writes the tagged OK held back first ({@link FakeImapServer#answerSideBySide}).
     */
    private void send(String line) throws IOException {
        if (!line.startsWith("* ") && !line.startsWith("+ ")) {
            if (in.available() > 0) {
                server.pipelined(current);
            }
            writeHeldBack();
        }
        out.write(FakeImapServer.ascii(line + "\r\n"));
    }

    private void writeHeldBack() throws IOException {
        if (heldBack != null) {
            out.write(FakeImapServer.ascii(heldBack + "\r\n"));
            heldBack = null;
        }
    }

    private void ok(String tag, String text) throws IOException {
        send(tag + " OK " + text);
    }
}
