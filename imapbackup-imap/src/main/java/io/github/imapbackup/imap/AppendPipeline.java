package io.github.imapbackup.imap;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.spi.TargetFolder.NewMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
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
 * Angus's, the literal is streamed from a {@link Spool}. With {@code LITERAL+} (or {@code LITERAL-}
 * up to 4096 bytes, RFC 7888) the literal is non-synchronising and no round trip is waited for;
 * otherwise the command waits for the server's {@code +} only, while the answers of the APPENDs
 * before it are read as they come. Pipelined, up to {@link #WINDOW} APPENDs await their answer,
 * matched by tag; unpipelined, each waits for its own. Called inside {@code doCommand}, so Angus's
 * lock on the connection is held.
 */
final class AppendPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(AppendPipeline.class);
    /** The most APPENDs awaiting an answer. */
    static final int WINDOW = 64;
    /** The largest non-synchronising literal {@code LITERAL-} allows. */
    static final long LITERAL_MINUS_MAX = 4096;
    private static final Pattern APPENDUID = Pattern.compile("(?i)\\[APPENDUID (\\d+) (\\d+)]");
    private static final byte[] CRLF = {'\r', '\n'};

    /** One APPEND sent: what was appended, its entry, and the server's answer once read. */
    static final class Slot {
        final NewMessage message;
        /** The entry as sent (no UID), what a pipelined append returns. */
        final ArchivedMessage unconfirmed;
        /** The entry, with the UID from APPENDUID once answered. */
        ArchivedMessage entry;
        /** The server's words when it refused the message; null while unanswered or accepted. */
        String refused;
        /** The server's words when its answer means the folder cannot go on. */
        String fatal;
        boolean answered;

        Slot(NewMessage message, ArchivedMessage entry) {
            this.message = message;
            this.unconfirmed = entry;
            this.entry = entry;
        }
    }

    private final String mailbox;
    private final Map<String, Slot> inFlight = new LinkedHashMap<>();
    private final Deque<Slot> answered = new ArrayDeque<>();

    AppendPipeline(String mailbox) {
        this.mailbox = mailbox;
    }

    /**
     * Sends one APPEND. Pipelined, it returns once the literal is written (reading answers only to
     * keep the window); otherwise once the server answered it.
     *
     * @param flags the flags to send, already filtered
     * @param date the INTERNALDATE as APPEND takes it
     */
    void append(IMAPProtocol p, Slot slot, String flags, String date, Spool content, boolean pipelined)
            throws ProtocolException {
        ReusingProtocol rp = (ReusingProtocol) p;
        long length = content.length();
        boolean nonSync = p.hasCapability("LITERAL+") || p.hasCapability("LITERAL-") && length <= LITERAL_MINUS_MAX;
        Argument args = new Argument();
        rp.mailbox(args, mailbox);
        args.writeAtom(flags);
        args.writeString(date);
        args.writeAtom("{" + length + (nonSync ? "+" : "") + "}");
        try {
            String tag = p.writeCommand("APPEND", args);
            inFlight.put(tag, slot);
            if (nonSync || awaitContinuation(p, tag)) {
                OutputStream out = rp.output();
                content.writeTo(out);
                out.write(CRLF);
                out.flush();
            }
            if (!pipelined) {
                while (!slot.answered) {
                    read(p);
                }
            } else {
                while (inFlight.size() > WINDOW || !inFlight.isEmpty() && p.hasResponse()) {
                    read(p);
                }
            }
        } catch (IOException e) {
            p.handleResult(Response.byeResponse(e)); // disconnects and throws
        }
    }

    /** Reads until every APPEND sent has its answer. */
    void drain(IMAPProtocol p) throws ProtocolException {
        try {
            while (!inFlight.isEmpty()) {
                read(p);
            }
        } catch (IOException e) {
            p.handleResult(Response.byeResponse(e));
        }
    }

    /** {@return the next slot answered since the last call, or null} */
    Slot nextAnswered() {
        return answered.poll();
    }

    /** {@return the number of APPENDs awaiting an answer} */
    int pending() {
        return inFlight.size();
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
        Slot slot = r.isTagged() ? inFlight.remove(r.getTag()) : null;
        if (slot == null) {
            if (r.isContinuation()) {
                throw new ProtocolException("unexpected continuation request: " + Errors.excerpt(r.toString()));
            }
            p.notifyResponseHandlers(new Response[] {r});
            return;
        }
        slot.answered = true;
        String text = Errors.printable(r.getRest().strip());
        if (r.isOK()) {
            Matcher m = APPENDUID.matcher(text);
            if (m.find()) {
                slot.entry = withUid(slot.entry, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            }
        } else if (r.isNO() && !accountWide(text)) {
            slot.refused = text;
        } else {
            slot.fatal = (r.isNO() ? "NO " : "BAD ") + text;
        }
        answered.add(slot);
    }

    /**
     * Whether a {@code NO} speaks of the account or server rather than of the message (RFC 5530):
     * over quota (also a full disk on Dovecot), unavailable, a server bug, the folder gone. The
     * next message would fare no better, so the folder fails instead of refusing each message.
     */
    private static boolean accountWide(String text) {
        String t = text.toUpperCase(java.util.Locale.ROOT);
        return t.startsWith("[OVERQUOTA]") || t.startsWith("[UNAVAILABLE]") || t.startsWith("[SERVERBUG]")
                || t.startsWith("[TRYCREATE]") || t.startsWith("[NONEXISTENT]");
    }

    private static ArchivedMessage withUid(ArchivedMessage e, long uidValidity, long uid) {
        return new ArchivedMessage(uidValidity, uid, e.identity(), e.offset(), e.length(), e.sha256(), e.size(),
                e.internalDate(), e.flags(), e.expunged());
    }
}
