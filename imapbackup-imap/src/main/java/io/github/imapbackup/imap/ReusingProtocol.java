package io.github.imapbackup.imap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ParsingException;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.iap.ResponseInputStream;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.FetchItem;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.util.MailLogger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link IMAPProtocol} that can read a response into one buffer kept by the connection
 * instead of a new array per response, as Angus does by default. Body fetches use it: without
 * it, every message's bytes land in a fresh array as big as the message, which costs the
 * allocation, its zeroing, and the heap's first-touch page faults (see docs/benchmarks-imap.md).
 *
 * <p>It also treats CONDSTORE as enabled on a server that has CONDSTORE but not ENABLE (see
 * {@link #isEnabled(String)}), and sends every mailbox name as a quoted string (see
 * {@link #writeMailboxName(Argument, String)}).
 *
 * <p>A response read with {@link #readReused()} (and everything parsed from it, such as a
 * {@code BODY} item's bytes) is valid only until the next {@code readReused()} on the same
 * connection, so only a reader that is done with one response before it reads the next may use
 * it. Angus's own reading (for example {@code command()}, which collects responses) still gets
 * fresh arrays.
 */
final class ReusingProtocol extends IMAPProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(ReusingProtocol.class);

    /** The buffer starts this big: a typical small message fits without growing. */
    private static final int INITIAL = 64 * 1024;

    /** A buffer grown beyond this by an odd response is dropped, so that memory stays bounded. */
    private final int keepAtMost;
    /** The bounds on one response; null while the superclass's constructor reads the greeting. */
    private final ResponseLimits limits;
    private ResponseInputStream guardedOf;
    private ResponseInputStream guarded;
    private ByteArray spare;
    private ByteArray lent;

    ReusingProtocol(String name, String host, int port, Properties props, boolean ssl, MailLogger logger,
            int fetchSize) throws IOException, ProtocolException {
        super(name, host, port, props, ssl, logger);
        this.keepAtMost = Math.max(INITIAL, 2 * fetchSize + INITIAL);
        this.limits = new ResponseLimits(fetchSize);
    }

    /** Limits for the greeting, read before this class's fields are set. */
    private static final ResponseLimits GREETING = new ResponseLimits(ImapSource.DEFAULT_FETCH_SIZE);

    /**
     * Angus's response reader, reading into buffers bounded by {@link ResponseLimits}: a response
     * line or literal beyond them ends in an IOException that says so, not in an OutOfMemoryError.
     */
    @Override
    protected ResponseInputStream getInputStream() {
        ResponseInputStream in = super.getInputStream();
        if (in != guardedOf || guarded == null) {
            guarded = (limits != null ? limits : GREETING).guard(in);
            guardedOf = in;
        }
        return guarded;
    }

    /**
     * Reads the next response into the connection's buffer (see the class comment for how long
     * it stays valid).
     *
     * @return the response
     * @throws IOException if the connection fails
     * @throws ProtocolException if the response cannot be parsed
     */
    Response readReused() throws IOException, ProtocolException {
        ByteArray buffer = spare != null ? spare : limits.buffer(INITIAL);
        spare = null;
        lent = buffer;
        try {
            return readResponse();
        } finally {
            lent = null; // never left for Angus's own reading
            spare = buffer.getBytes().length <= keepAtMost ? buffer : null;
        }
    }

    /**
     * Reads the next response the way {@code p} can: into the reused buffer when {@code p} is a
     * {@code ReusingProtocol}, else into a new array.
     */
    static Response readReused(IMAPProtocol p) throws IOException, ProtocolException {
        return p instanceof ReusingProtocol r ? r.readReused() : p.readResponse();
    }

    /**
     * Also answers true for CONDSTORE when the server has CONDSTORE but not ENABLE. CONDSTORE
     * (RFC 4551) predates ENABLE (RFC 5161); such a server turns CONDSTORE on with the first
     * {@code EXAMINE f (CONDSTORE)} (RFC 7162 §3.1). Angus would otherwise send an ENABLE the
     * server does not offer and fail every folder with "ENABLE not supported".
     */
    @Override
    public boolean isEnabled(String cap) {
        if (super.isEnabled(cap)) {
            return true;
        }
        return "CONDSTORE".equalsIgnoreCase(cap) && hasCapability("CONDSTORE") && !hasCapability("ENABLE");
    }

    /**
     * Refuses a greeting that is none of OK, PREAUTH and BYE: the peer is no IMAP server (an
     * HTTP or SMTP port, say). Angus would put the raw line, control bytes and all, into its
     * message; this one holds a short escaped excerpt.
     */
    /**
     * The server's greeting line, control characters replaced (for {@link ImapSource#probe()}). No
     * initialiser: the superclass's constructor reads the greeting, before this class's
     * initialisers run.
     */
    volatile String greeting;

    @Override
    protected void processGreeting(Response r) throws ProtocolException {
        boolean imap = r.isSynthetic() || r.isUnTagged()
                && (r.isOK() || r.isBYE() || r instanceof IMAPResponse ir && ir.keyEquals("PREAUTH"));
        if (!imap) {
            disconnect();
            throw new NotImapServer(Errors.excerpt(r.toString()));
        }
        greeting = r.toString().replaceAll("\\p{Cntrl}", "?");
        super.processGreeting(r);
    }

    /** The peer's greeting is not an IMAP greeting. */
    static final class NotImapServer extends ProtocolException {
        private static final long serialVersionUID = 1L;

        NotImapServer(String excerpt) {
            super("it is not an IMAP server, or not one without TLS: it greeted with \"" + excerpt + "\" (check"
                    + " --port and --security: IMAP is on port 993 with --security tls, 143 with starttls or none)");
        }
    }

    /**
     * Writes a mailbox name (or LIST pattern) always as a quoted string, or as a literal when it
     * needs one, never as an atom. Angus sends a name without special characters as an atom,
     * and some servers refuse atoms RFC 3501 allows: Courier answers {@code BAD} to
     * {@code EXAMINE INBOX.~old}, so that folder would never be backed up. A quoted string is
     * valid wherever a mailbox name is (RFC 3501 {@code mailbox = "INBOX" / astring}). The name
     * is encoded as Angus does: modified UTF-7, or UTF-8 once UTF8=ACCEPT is enabled.
     */
    @Override
    protected void writeMailboxName(Argument args, String name) {
        WireNames w = names;
        String wire = w == null || supportsUtf8() ? null : w.wire(name);
        if (wire != null) {
            args.writeNString(wire); // as the server listed it (see WireNames)
        } else if (supportsUtf8()) {
            args.writeNString(name, StandardCharsets.UTF_8);
        } else {
            args.writeNString(BASE64MailboxEncoder.encode(name));
        }
    }

    /** Adds a mailbox name to a command's arguments as {@link #writeMailboxName} does (for a hand-made APPEND). */
    void mailbox(Argument args, String name) {
        writeMailboxName(args, name);
    }

    /** {@return the connection's output stream, for a literal written after its command line} */
    java.io.OutputStream output() {
        return getOutputStream();
    }

    /** Set by {@link #authoauth2} (Angus keeps its own flag private); cleared when the connection ends. */
    private volatile boolean oauth2Authenticated;

    /**
     * AUTHENTICATE XOAUTH2 as Angus does it (the initial response with SASL-IR, else after the
     * first continuation), except for a refusal: Gmail answers a refused token with a
     * continuation holding a base64 JSON error ({@code {"status":"401",...}}) and waits for an
     * empty client response before its tagged {@code NO}; Angus would send the token again. A
     * server that asks once more is answered with {@code *}, which cancels the exchange.
     */
    @Override
    public synchronized void authoauth2(String u, String p) throws ProtocolException {
        byte[] initial = Base64.getEncoder().encode(
                ("user=" + u + "\001auth=Bearer " + p + "\001\001").getBytes(StandardCharsets.UTF_8));
        boolean sent = hasCapability("SASL-IR");
        Argument args = new Argument();
        args.writeAtom("XOAUTH2");
        if (sent) {
            args.writeAtom(new String(initial, StandardCharsets.US_ASCII));
        }
        List<Response> responses = new ArrayList<>();
        Response r;
        boolean tracing = isTracing();
        if (tracing) {
            suspendTracing(); // never the token in a protocol trace
        }
        try {
            String tag = writeCommand("AUTHENTICATE", args);
            OutputStream os = getOutputStream();
            int challenges = 0;
            while (true) {
                r = readResponse();
                if (!r.isContinuation()) {
                    responses.add(r);
                    if (r.isTagged() && tag.equals(r.getTag()) || r.isBYE()) {
                        break;
                    }
                    continue;
                }
                if (!sent) {
                    os.write(initial);
                    sent = true;
                } else {
                    challenges++;
                    LOG.debug("the server refused the XOAUTH2 token: {}", challenge(r.getRest()));
                    if (challenges > 1) {
                        os.write('*');
                    }
                }
                os.write(new byte[] {'\r', '\n'});
                os.flush();
            }
        } catch (IOException | ProtocolException e) {
            r = Response.byeResponse(e);
            responses.add(r);
        } finally {
            if (tracing) {
                resumeTracing();
            }
        }
        Response[] all = responses.toArray(new Response[0]);
        handleCapabilityResponse(all);
        notifyResponseHandlers(all);
        handleLoginResult(r);
        setCapabilities(r);
        oauth2Authenticated = true;
    }

    /** {@return an XOAUTH2 error challenge decoded (Gmail's JSON), or as sent when it is not base64} */
    static String challenge(String base64) {
        String text = base64 == null ? "" : base64.strip();
        try {
            text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // not base64: shown as it is
        }
        return Errors.excerpt(text);
    }

    @Override
    public boolean isAuthenticated() {
        return oauth2Authenticated || super.isAuthenticated();
    }

    @Override
    public void logout() throws ProtocolException {
        oauth2Authenticated = false;
        super.logout();
    }

    @Override
    public void disconnect() {
        oauth2Authenticated = false;
        super.disconnect();
    }

    /** Parses Gmail's FETCH items ({@code X-GM-LABELS} and its numbers), which Angus knows only in its Gmail provider. */
    @Override
    public FetchItem[] getFetchItems() {
        return GmailFolders.FETCH_ITEMS.clone();
    }

    /** The account's mailbox names as its server listed them, or null; set once the greeting was read. */
    volatile WireNames names;

    /** The source's rate caps, or null; set once the greeting was read. */
    volatile Pacer pacer;

    /** Reads a response, then waits as long as the byte cap requires for its size. */
    /** What this connection's unreadable FETCH responses were, by UID (see {@link UnreadableFetch}). */
    final UnreadableFetch.Notes unreadable = new UnreadableFetch.Notes();

    /**
     * Whether the command in progress is a folder's metadata listing: then its FETCH responses are
     * read by {@link ListingFetch} where it can (set and cleared around that command by
     * {@link FolderQueries}, on the connection's thread).
     */
    boolean listing;

    /**
     * Reads a response as Angus does, except that a FETCH response that cannot be parsed is
     * described ({@link UnreadableFetch}) and remembered by UID before Angus drops it, and that a
     * metadata listing's FETCH responses are read by {@link ListingFetch} (while {@link #listing});
     * then waits as long as the byte cap requires for its size.
     */
    @Override
    public Response readResponse() throws IOException, ProtocolException {
        IMAPResponse ir = new IMAPResponse(this);
        Response r = ir;
        WireNames w = names;
        if (w != null && !supportsUtf8() && WireNames.listing(ir)) {
            w.listed(ir);
        }
        ListingFetch listed = listing && ir.keyEquals("FETCH") ? ListingFetch.read(ir) : null;
        if (listed != null) {
            r = listed;
        } else if (ir.keyEquals("FETCH")) {
            try {
                r = new FetchResponse(ir, getFetchItems(), this);
            } catch (ParsingException e) {
                UnreadableFetch u = UnreadableFetch.of(ir, e);
                if (unreadable != null) { // null while the superclass's constructor reads the greeting
                    unreadable.add(u);
                }
                LOG.debug("{}", u.getMessage());
                throw u;
            }
        }
        Pacer p = pacer;
        if (p != null) {
            p.bytes(new Sized(r).size());
        }
        return r;
    }

    /** Reads a response's size (a field Angus keeps protected); copies no bytes. */
    private static final class Sized extends Response {
        Sized(Response r) {
            super(r);
        }

        int size() {
            return size;
        }
    }

    @Override
    protected ByteArray getResponseBuffer() {
        ByteArray b = lent;
        if (b == null) {
            return super.getResponseBuffer();
        }
        lent = null;
        return b;
    }
}
