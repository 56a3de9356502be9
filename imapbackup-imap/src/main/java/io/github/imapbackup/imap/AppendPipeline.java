package io.github.imapbackup.imap;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.imap.AppendBatch.Slot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * APPENDs to one mailbox over one connection, through Angus's protocol layer: the command line is
 * Angus's, the literals are streamed from {@link Spool}s. With {@code LITERAL+} (or {@code LITERAL-}
 * up to 4096 bytes, RFC 7888) a literal is non-synchronising and no round trip is waited for;
 * otherwise the command waits for the server's {@code +} only, while the answers of the APPENDs
 * before it are read as they come. With MULTIAPPEND (RFC 3502) one command carries a whole
 * {@link AppendBatch}, kept until its answer: a batch refused as a whole (MULTIAPPEND is all or
 * nothing) is appended again message by message, so that only the refused ones are refused.
 * Pipelined, up to {@link #WINDOW} commands (of them {@link #BATCHES} batches) await their
 * answer, matched by tag; unpipelined, each waits for its own. Called inside {@code doCommand},
 * so Angus's lock on the connection is held.
 */
final class AppendPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(AppendPipeline.class);
    /** The most APPENDs awaiting an answer. */
    static final int WINDOW = 64;
    /** The most batches (MULTIAPPEND commands) awaiting an answer, each holding its messages. */
    static final int BATCHES = 2;
    /** The largest non-synchronising literal {@code LITERAL-} allows. */
    static final long LITERAL_MINUS_MAX = 4096;
    private static final Pattern APPENDUID = Pattern.compile("(?i)\\[APPENDUID (\\d+) ([0-9:,]+)]");
    private static final byte[] CRLF = {'\r', '\n'};

    /** One command sent: its messages, and the batch kept until its answer (null when not kept). */
    private record Command(List<Slot> slots, AppendBatch kept) {
    }

    private final String mailbox;
    private final int memoryLimit;
    private final Spool.Spare spare;
    private final Map<String, Command> inFlight = new LinkedHashMap<>();
    private final Deque<Slot> answered = new ArrayDeque<>();
    private final Deque<AppendBatch> replays = new ArrayDeque<>();
    private final Deque<AppendBatch> free = new ArrayDeque<>();
    private AppendBatch current;
    private int keptInFlight;

    /**
     * @param memoryLimit the most bytes of one message kept in memory; a longer one goes to a file
     * @param spare where the batches' memory comes from, and goes back to at {@link #discard()}
     */
    AppendPipeline(String mailbox, int memoryLimit, Spool.Spare spare) {
        this.mailbox = mailbox;
        this.memoryLimit = memoryLimit;
        this.spare = spare;
    }

    /** {@return the batch that takes the next message} */
    AppendBatch current() {
        if (current == null) {
            current = free.isEmpty() ? new AppendBatch(memoryLimit, spare.take()) : free.pop();
        }
        return current;
    }

    /**
     * Sends the current batch as one APPEND command (MULTIAPPEND when it holds several messages),
     * then the messages of batches refused as a whole, one by one. Pipelined, it returns once the
     * literals are written (reading answers only to keep the window); otherwise once the server
     * answered.
     */
    void send(IMAPProtocol p, boolean pipelined) throws ProtocolException {
        AppendBatch batch = current;
        try {
            if (batch != null && !batch.isEmpty()) {
                List<Slot> slots = List.copyOf(batch.slots());
                AppendBatch kept = slots.size() > 1 ? batch : null;
                current = kept != null ? null : batch;
                batch = kept != null ? null : batch;
                command(p, slots, kept, pipelined);
            }
            while (!replays.isEmpty()) {
                AppendBatch refused = replays.poll();
                try {
                    for (Slot s : refused.slots()) {
                        command(p, List.of(s), null, pipelined);
                    }
                } finally {
                    release(refused);
                }
            }
        } catch (IOException e) {
            p.handleResult(Response.byeResponse(e)); // disconnects and throws
        } finally {
            if (batch != null) {
                batch.clear(); // sent alone: a refusal needs no second sending
            }
        }
    }

    /**
     * Sends {@code slot}, the only message of the current batch, as one APPEND and waits for its
     * answer; its spool is kept, so that it can be sent again with other flags, until
     * {@link #clearCurrent()}.
     */
    void sendAlone(IMAPProtocol p, Slot slot) throws ProtocolException {
        try {
            command(p, List.of(slot), null, false);
        } catch (IOException e) {
            p.handleResult(Response.byeResponse(e)); // disconnects and throws
        }
    }

    /** Forgets the messages of the current batch (deleting their temporary files), keeping its memory. */
    void clearCurrent() {
        if (current != null) {
            current.clear();
        }
    }

    private void command(IMAPProtocol p, List<Slot> slots, AppendBatch kept, boolean pipelined)
            throws IOException, ProtocolException {
        ReusingProtocol rp = (ReusingProtocol) p;
        Slot first = slots.get(0);
        boolean nonSync = nonSync(p, first.content.length());
        Argument args = new Argument();
        rp.mailbox(args, mailbox);
        args.writeAtom(first.flags);
        args.writeString(first.date);
        args.writeAtom(literal(first.content.length(), nonSync));
        String tag = p.writeCommand("APPEND", args);
        inFlight.put(tag, new Command(slots, kept));
        keptInFlight += kept == null ? 0 : 1;
        OutputStream out = rp.output();
        boolean whole = true;
        for (int i = 0; i < slots.size() && whole; i++) {
            Slot s = slots.get(i);
            if (i > 0) {
                nonSync = nonSync(p, s.content.length());
                out.write((" " + s.flags + " \"" + s.date + "\" " + literal(s.content.length(), nonSync) + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                if (!nonSync) {
                    out.flush();
                }
            }
            whole = nonSync || awaitContinuation(p, tag);
            if (whole) {
                s.content.writeTo(out);
            }
        }
        if (whole) {
            out.write(CRLF);
            out.flush();
        }
        if (!pipelined) {
            while (inFlight.containsKey(tag)) {
                read(p);
            }
        } else {
            while (inFlight.size() > WINDOW || keptInFlight > BATCHES || !inFlight.isEmpty() && p.hasResponse()) {
                read(p);
            }
        }
    }

    private static boolean nonSync(IMAPProtocol p, long length) {
        return p.hasCapability("LITERAL+") || p.hasCapability("LITERAL-") && length <= LITERAL_MINUS_MAX;
    }

    private static String literal(long length, boolean nonSync) {
        return "{" + length + (nonSync ? "+" : "") + "}";
    }

    /** Sends the current batch, then reads until every APPEND sent has its answer. */
    void drain(IMAPProtocol p) throws ProtocolException {
        send(p, true);
        try {
            while (!inFlight.isEmpty()) {
                read(p);
                if (!replays.isEmpty()) {
                    send(p, true);
                }
            }
        } catch (IOException e) {
            p.handleResult(Response.byeResponse(e));
        }
    }

    /** {@return the next slot answered since the last call, or null} */
    Slot nextAnswered() {
        return answered.poll();
    }

    /**
     * Deletes the temporary files of every message not yet answered and hands the memory back to
     * the spare; idempotent.
     */
    void discard() {
        List<AppendBatch> all = new java.util.ArrayList<>(free);
        inFlight.values().stream().map(Command::kept).filter(java.util.Objects::nonNull).forEach(all::add);
        all.addAll(replays);
        if (current != null) {
            all.add(current);
        }
        inFlight.clear();
        replays.clear();
        free.clear();
        current = null;
        keptInFlight = 0;
        for (AppendBatch b : all) {
            b.clear();
            spare.give(b.memory());
        }
    }

    private void release(AppendBatch batch) {
        batch.clear();
        free.push(batch);
    }

    /** Waits for {@code +}; false when the server answered the command instead (the literal is not sent). */
    private boolean awaitContinuation(IMAPProtocol p, String tag) throws IOException, ProtocolException {
        while (true) {
            Response r = p.readResponse();
            if (r.isContinuation()) {
                return true;
            }
            handle(p, r);
            if (!inFlight.containsKey(tag)) {
                return false;
            }
        }
    }

    private void read(IMAPProtocol p) throws IOException, ProtocolException {
        Response r;
        try {
            r = p.readResponse();
        } catch (ProtocolException e) {
            LOG.debug("skipping a response that cannot be parsed", e);
            return;
        }
        handle(p, r);
    }

    private void handle(IMAPProtocol p, Response r) throws ProtocolException {
        if (r.isBYE()) {
            p.handleResult(r); // disconnects and throws
        }
        Command c = r.isTagged() ? inFlight.remove(r.getTag()) : null;
        if (c == null) {
            if (r.isContinuation()) {
                throw new ProtocolException("unexpected continuation request: " + Errors.excerpt(r.toString()));
            }
            p.notifyResponseHandlers(new Response[] {r});
            return;
        }
        keptInFlight -= c.kept() == null ? 0 : 1;
        String text = Errors.printable(r.getRest().strip());
        if (r.isNO() && !accountWide(text) && c.kept() != null) {
            LOG.debug("\"{}\": a MULTIAPPEND of {} messages refused ({}); appending them one by one",
                    mailbox, c.slots().size(), text);
            replays.add(c.kept());
            return;
        }
        if (c.kept() != null) {
            release(c.kept());
        }
        Matcher m = APPENDUID.matcher(text);
        List<Long> uids = r.isOK() && m.find() ? AppendBatch.uids(m.group(2), c.slots().size()) : List.of();
        for (int i = 0; i < c.slots().size(); i++) {
            Slot slot = c.slots().get(i);
            slot.answered = true;
            if (r.isOK()) {
                if (uids.size() == c.slots().size()) {
                    slot.entry = withUid(slot.entry, Long.parseLong(m.group(1)), uids.get(i));
                }
            } else if (r.isNO() && !accountWide(text)) {
                slot.refused = text;
            } else {
                slot.fatal = (r.isNO() ? "NO " : "BAD ") + text
                        + (c.slots().size() > 1 ? " (to a MULTIAPPEND of " + c.slots().size() + " messages)" : "");
            }
            answered.add(slot);
        }
    }

    /**
     * Whether a {@code NO} speaks of the account or server rather than of the message (RFC 5530):
     * over quota (also a full disk on Dovecot), unavailable, a server bug, the folder gone, or a
     * throttling answer (an APPEND is not sent again: its bytes are gone once sent; the next run
     * copies what is missing). The next message would fare no better, so the folder fails instead
     * of refusing each message.
     */
    private static boolean accountWide(String text) {
        String t = text.toUpperCase(java.util.Locale.ROOT);
        return t.startsWith("[OVERQUOTA]") || t.startsWith("[UNAVAILABLE]") || t.startsWith("[SERVERBUG]")
                || t.startsWith("[TRYCREATE]") || t.startsWith("[NONEXISTENT]") || ThrottleSignal.says(text);
    }

    private static ArchivedMessage withUid(ArchivedMessage e, long uidValidity, long uid) {
        return new ArchivedMessage(uidValidity, uid, e.identity(), e.offset(), e.length(), e.sha256(), e.size(),
                e.internalDate(), e.flags(), e.expunged());
    }
}
