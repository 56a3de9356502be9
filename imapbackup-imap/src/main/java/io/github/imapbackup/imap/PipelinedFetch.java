package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MessageSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bodies of a list of messages over one connection, the next commands sent before the answer
 * being read has ended (pipelining, RFC 9051 §5.5), so that the server never waits for the client
 * between two commands: the small messages in {@code UID FETCH a,b,c (UID BODY.PEEK[])} batches,
 * each message bigger than the fetch size in {@code BODY.PEEK[]<offset.size>} chunks planned from
 * its {@code RFC822.SIZE}. At most {@link #WINDOW} bytes are asked for beyond the answer being read;
 * they wait in the socket.
 *
 * <p>Each command's answer is read to its tagged end before the next one's bodies go to the sink,
 * with the checks of {@link BatchFetch} and {@link ChunkedFetch}: a batch's bodies go to the sink as
 * they arrive; a chunk goes to it once its whole answer is read (two different bodies for it: none
 * is stored). A server may run pipelined commands side by side (Dovecot does): a body that belongs
 * to a later command and arrives first is kept (a copy; at most about the window) until its turn.
 *
 * <p>Anything else unexpected stops the pipeline: a refusal, a sink that throws, more kept than the
 * window. Nothing more is sent, what was sent is read to its end and its bodies dropped, and
 * {@link #delivered} tells the caller which messages it must still fetch one command at a time
 * (which decides what a refusal means). A message longer than its {@code RFC822.SIZE} goes on chunk
 * by chunk once the pipeline is empty; a throttled chunk is asked again after the backoff.
 */
final class PipelinedFetch implements IMAPFolder.ProtocolCommand {

    private static final Logger LOG = LoggerFactory.getLogger(PipelinedFetch.class);

    /** Bytes asked for beyond the answer being read: 4 MiB is 34 ms at 1 Gbit/s, 0.34 s at 100 Mbit/s. */
    static final long WINDOW = 4L << 20;
    /** The most commands sent beyond the one being read. */
    static final int MAX_AHEAD = 8;
    /** A batch of small messages holds at most this many messages, and at most {@link #BATCH_BYTES}. */
    static final int BATCH_MESSAGES = 200;
    static final long BATCH_BYTES = 2L << 20;

    /** One command: a batch of whole small bodies ({@code offset} -1), or one chunk of a big message. */
    private static final class Step {
        final long[] uids;
        final long offset;
        final long bytes;
        String tag;
        Response done;
        boolean skipped;
        /** How many of a batch's messages went to the sink. */
        int got;
        /** Bodies of this step that arrived during an earlier step's answer. */
        final ArrayDeque<Body> early = new ArrayDeque<>();

        Step(long[] uids, long offset, long bytes) {
            this.uids = uids;
            this.offset = offset;
            this.bytes = bytes;
        }

        boolean batch() {
            return offset < 0;
        }

        boolean fits(long uid, int origin) {
            if (batch()) {
                return origin <= 0 && Arrays.binarySearch(uids, uid) >= 0;
            }
            return uid == uids[0] && (origin == offset || origin < 0 && offset == 0);
        }
    }

    /** A body: a view on a response's buffer, or a copy of it. */
    private record Body(long uid, int origin, byte[] bytes, int start, int count) {
        static Body of(long uid, BODY b, boolean copy) {
            ByteArray a = b.getByteArray();
            return copy ? new Body(uid, b.getOrigin(), Arrays.copyOfRange(a.getBytes(), a.getStart(),
                    a.getStart() + a.getCount()), 0, a.getCount())
                    : new Body(uid, b.getOrigin(), a.getBytes(), a.getStart(), a.getCount());
        }

        boolean same(Body o) {
            return origin == o.origin
                    && Arrays.equals(bytes, start, start + count, o.bytes, o.start, o.start + o.count);
        }
    }

    private final String folder;
    private final List<MessageInfo> messages;
    private final int chunkSize;
    private final MessageSink sink;
    private final Runnable pace;
    private final Supplier<Throttle.Retry> backoff;
    private final Set<Long> delivered = new HashSet<>();
    /** Whether commands go ahead from the start (the first run only: after a refusal, not). */
    private boolean warm;

    private IMAPProtocol p;
    private List<Step> steps;
    /** The step whose answer is being read, and the first step not sent. */
    private int head;
    private int sent;
    /** No step before this one awaits its tagged answer (so a tagged answer is looked for from here). */
    private int oldest;
    private boolean stopped;
    /** Set while every answer sent is read to its tagged end. */
    private boolean draining;
    /**
     * Whether the server took a command of this run (answered it OK, or sent a batch's first body):
     * commands are sent ahead only from then on.
     */
    private boolean answered;
    /** Why the pipeline stopped, for the log; null while it runs or when it ran to its end. */
    private String stopReason;
    /** The most bytes kept at once for a later command, for the log. */
    private long peakEarly;
    private boolean dead;
    /** Whether a body in the reused response buffer is still wanted: the next reads take new buffers. */
    private boolean bufferHeld;
    private long earlyBytes;
    /** A refusal that speaks for the whole fetch (throttling, account-wide): thrown once all is read. */
    private Response refusal;
    private Exception failure;

    /**
     * @param folder the folder's name, for messages
     * @param messages the messages, in the order their bodies go to the sink
     * @param chunkSize the fetch size: bigger messages are fetched in chunks of this size
     * @param sink receives each message
     * @param pace called before each message is given to the sink (the source's message cap)
     * @param backoff starts the backoff of a chunk the server refused as throttled
     * @param warm whether the last fetch on this folder's connection ran pipelined to its end: then
     *     commands go ahead from the start, not only once the server answered one
     */
    PipelinedFetch(String folder, List<MessageInfo> messages, int chunkSize, MessageSink sink, Runnable pace,
            Supplier<Throttle.Retry> backoff, boolean warm) {
        this.warm = warm;
        this.folder = folder;
        this.messages = List.copyOf(messages);
        this.chunkSize = chunkSize;
        this.sink = sink;
        this.pace = pace;
        this.backoff = backoff;
    }

    /** {@return whether the server took a command (an OK or a batch's body; or the fetch began warm)} */
    boolean answered() {
        return answered;
    }

    /** {@return why the pipeline stopped before its end, or null} */
    String stopReason() {
        return stopReason;
    }

    /** {@return the most bytes kept at once for a command after the one being read} */
    long peakEarly() {
        return peakEarly;
    }

    /** {@return whether {@code uid} went to the sink (its bytes, or its failure)} */
    boolean delivered(long uid) {
        return delivered.contains(uid);
    }

    /** Cuts the messages not delivered yet into commands, in their order. */
    private List<Step> plan() {
        List<Step> out = new ArrayList<>();
        List<Long> batch = new ArrayList<>();
        long batchBytes = 0;
        for (MessageInfo m : messages) {
            if (delivered.contains(m.uid())) {
                continue;
            }
            boolean big = m.size() > chunkSize;
            if (!batch.isEmpty() && (big || batch.size() >= BATCH_MESSAGES || batchBytes + m.size() > BATCH_BYTES)) {
                out.add(batchStep(batch, batchBytes));
                batch.clear();
                batchBytes = 0;
            }
            if (!big) {
                batch.add(m.uid());
                batchBytes += m.size();
                continue;
            }
            long off = 0;
            do {
                out.add(new Step(new long[] {m.uid()}, off, Math.min(chunkSize, m.size() - off)));
                off += chunkSize;
            } while (off < m.size());
            if (m.size() % chunkSize == 0) {
                out.add(new Step(new long[] {m.uid()}, m.size(), 0)); // its empty answer ends the message
            }
        }
        if (!batch.isEmpty()) {
            out.add(batchStep(batch, batchBytes));
        }
        return out;
    }

    private static Step batchStep(List<Long> uids, long bytes) {
        return new Step(uids.stream().mapToLong(Long::longValue).sorted().distinct().toArray(), -1, bytes);
    }

    @Override
    public Object doCommand(IMAPProtocol protocol) throws ProtocolException {
        synchronized (protocol) {
            // run again after a throttling answer: only what has not gone to the sink
            p = protocol;
            steps = plan();
            head = 0;
            sent = 0;
            oldest = 0;
            stopped = false;
            answered = warm;
            warm = false;
            bufferHeld = false;
            earlyBytes = 0;
            refusal = null;
            failure = null;
            while (head < steps.size() && !stopped) {
                fill();
                if (steps.get(head).batch()) {
                    readBatch(steps.get(head));
                    head++;
                } else {
                    head = readBig(head);
                }
            }
            drain();
            if (failure != null) {
                throw new BatchFetch.SinkFailure(failure);
            }
            if (refusal != null) {
                p.handleResult(refusal); // throws: the caller waits and runs this again, or the folder fails
            }
            return null;
        }
    }

    /** Sends nothing more from now on; the first reason is kept for the log. */
    private void stop(String why) {
        stopped = true;
        if (stopReason == null) {
            stopReason = why;
        }
    }

    /** Sends the commands that fit in the window past the one being read. */
    private void fill() {
        long ahead = 0;
        for (int i = head + 1; i < sent; i++) {
            ahead += steps.get(i).bytes;
        }
        // nothing is sent ahead before the server took one command (a body or an OK): a server that
        // refuses them (throttling, an account-wide refusal) gets one, as without pipelining
        while (!stopped && sent < steps.size()
                && (sent <= head || answered && ahead < WINDOW && sent - head <= MAX_AHEAD)) {
            Step s = steps.get(sent++);
            if (s.skipped) {
                continue;
            }
            s.tag = write(s);
            if (sent - 1 > head) {
                ahead += s.bytes;
            }
        }
    }

    /**
     * Sends a step's command; null when the connection would not take it: nothing more is sent,
     * and what the server sent before it closed (answers, a BYE) is still read, so the messages
     * before the break reach the sink and the reading ends in the connection's failure.
     */
    private String write(Step s) {
        String items = s.batch() ? "(UID BODY.PEEK[])" : "(UID BODY.PEEK[]<" + s.offset + "." + chunkSize + ">)";
        try {
            return p.writeCommand("UID FETCH " + Messages.uidSet(s.uids) + " " + items, null);
        } catch (IOException | ProtocolException e) {
            LOG.debug("\"{}\": sending a pipelined UID FETCH failed; reading what arrived", folder, e);
            stop("a command could not be sent");
            return null;
        }
    }

    /**
     * Gives a batch's bodies to the sink as they arrive, and reads its answer to the end. The first
     * body of a fetch that did not begin warm opens the pipeline: the server runs the command (it
     * did not refuse it), so the next commands go out before the sink has taken this batch.
     */
    private void readBatch(Step s) throws ProtocolException {
        Body b;
        while ((b = take(s, false)) != null) {
            if (!answered && !stopped) {
                answered = true;
                fill(); // writes only: the body stays in the response buffer
            }
            if (!delivered.add(b.uid) || failure != null) {
                continue; // a repeat, or read and dropped after the sink failed
            }
            s.got++;
            try {
                pace.run();
                sink.message(b.uid, new ByteArrayInputStream(b.bytes, b.start, b.count));
            } catch (BackupException | RuntimeException e) {
                failure = e;
                stop("sink failed");
            }
        }
        if (s.done != null && !s.done.isOK()) {
            refused(s);
        }
    }

    /**
     * Streams one big message from its planned chunks, steps {@code first} onwards, to the sink.
     *
     * @return the index of the first step after the message's
     */
    private int readBig(int first) throws ProtocolException {
        long uid = steps.get(first).uids[0];
        int end = first;
        while (end < steps.size() && !steps.get(end).batch() && steps.get(end).uids[0] == uid) {
            end++;
        }
        Body body = readChunk(steps.get(first));
        if (body == null) {
            // refused, or no body: the fetch one command at a time decides what that means
            stop("no first chunk");
            return end;
        }
        Chunks in = new Chunks(uid, first + 1, end);
        delivered.add(uid);
        try {
            in.take(body, 0);
            pace.run();
            sink.message(uid, in);
        } catch (BackupException | RuntimeException e) {
            failure = e;
            stop("sink failed (big)");
        }
        bufferHeld = false;
        // the planned chunks nobody read (the message was shorter than its size): read and dropped
        for (int i = in.nextStep; i < end && i < sent; i++) {
            head = i;
            while (take(steps.get(i), false) != null) {
                // dropped
            }
        }
        for (int i = Math.max(in.nextStep, sent); i < end; i++) {
            steps.get(i).skipped = true;
        }
        return end;
    }

    /**
     * Reads one chunk's answer to its end, as {@link ChunkedFetch} does: its body, which must be the
     * only one (a repeat of the same bytes is harmless), is kept meanwhile. Returns null when the
     * server refused it or sent no body.
     */
    private Body readChunk(Step s) throws ProtocolException {
        Body body = null;
        int bodies = 0;
        Body b;
        while ((b = take(s, body == null)) != null) {
            if (body == null || !body.same(b)) {
                bodies++;
            }
            body = body != null ? body : b;
        }
        if (!s.done.isOK()) {
            refused(s);
            return null;
        }
        if (bodies > 1) {
            throw new ProtocolException("the server sent " + bodies + " different bodies for UID " + s.uids[0]
                    + " in its answer to one FETCH of the bytes from offset " + s.offset + "; none is stored");
        }
        return body;
    }

    private void refused(Step s) {
        stop("refused");
        LOG.debug("\"{}\": pipelined UID FETCH refused, the rest one command at a time: {}", folder, s.done);
        if (ThrottleSignal.of(s.done) || ResponseCodes.accountWide(s.done.toString())) {
            refusal = s.done;
        }
    }

    /**
     * The next body of step {@code s}: one that arrived early, else read from the connection until
     * one comes or the step's tagged answer ends it (null). Other responses go to Angus's handlers;
     * a body of a later step sent is kept for it; for a chunk, any other body of its message is
     * returned too (the caller compares them). With {@code keep} the body returned stays in the
     * response buffer until {@link #bufferHeld} is cleared; otherwise it must be used before the
     * next read.
     */
    private Body take(Step s, boolean keep) throws ProtocolException {
        // a batch whose every message came is done with before its tagged answer, which a server
        // running commands side by side sends after the next command's bodies: those are then read
        // as the next step's own, not kept (its answer, read later, still ends it: ended())
        while (s.done == null && (draining || !s.batch() || s.got < s.uids.length)) {
            Response r = read();
            boolean inBuffer = !bufferHeld;
            if (r.isTagged()) {
                // kept past the next read: out of the reused buffer
                ended(inBuffer ? new Response(r.toString(), r.supportsUtf8()) : r);
                continue;
            }
            if (!(r instanceof FetchResponse fr)) {
                p.notifyResponseHandlers(new Response[] {r});
                continue;
            }
            UID uid = fr.getItem(UID.class);
            BODY body = Messages.wholeBody(fr);
            if (uid == null || body == null || body.getByteArray() == null) {
                // NIL (no bytes) is left to the fetch one command at a time, which decides what it means
                p.notifyResponseHandlers(new Response[] {r});
                continue;
            }
            if (s.fits(uid.uid, body.getOrigin()) || !s.batch() && uid.uid == s.uids[0] && later(uid.uid,
                    body.getOrigin()) == null) {
                bufferHeld |= keep && inBuffer;
                return Body.of(uid.uid, body, false);
            }
            Step owner = later(uid.uid, body.getOrigin());
            if (owner == null) {
                p.notifyResponseHandlers(new Response[] {r});
                continue;
            }
            owner.early.add(Body.of(uid.uid, body, inBuffer)); // a new buffer of its own is kept as it is
            earlyBytes += body.getByteArray().getCount();
            peakEarly = Math.max(peakEarly, earlyBytes);
            if (earlyBytes > 2 * WINDOW + 2L * chunkSize) {
                stop("too much early"); // the server runs far ahead: nothing more is sent
            }
        }
        // after its own answer: what arrived early (a batch takes it only for a UID its answer did not bring)
        Body b = s.early.poll();
        if (b != null) {
            earlyBytes -= b.count;
        }
        return b;
    }

    /** {@return the first step sent after the one being read that a body fits, or null} */
    private Step later(long uid, int origin) {
        for (int i = head + 1; i < sent; i++) {
            Step t = steps.get(i);
            if (t.tag != null && t.done == null && t.fits(uid, origin)) {
                return t;
            }
        }
        return null;
    }

    /** Ends the step a tagged answer belongs to. */
    private void ended(Response r) {
        p.notifyResponseHandlers(new Response[] {r});
        for (int i = oldest; i < sent; i++) {
            Step t = steps.get(i);
            if (r.getTag().equals(t.tag) && t.done == null) {
                t.done = r;
                answered |= r.isOK();
                if (i < head && !r.isOK()) {
                    refused(t); // a batch done with before its answer: refused after all it sent
                }
                while (oldest < sent && (steps.get(oldest).tag == null || steps.get(oldest).done != null)) {
                    oldest++;
                }
                return;
            }
        }
    }

    /** Reads the next response; a BYE or a lost connection throws (after the sink's failure, if any). */
    private Response read() throws ProtocolException {
        Response r;
        while (true) {
            try {
                // each body is done with before the next response is read, unless one is held
                r = bufferHeld ? p.readResponse() : ReusingProtocol.readReused(p);
                break;
            } catch (IOException e) {
                r = Response.byeResponse(e);
                break;
            } catch (ProtocolException e) {
                LOG.debug("skipping a response that cannot be parsed", e);
            }
        }
        if (!r.isBYE()) {
            return r;
        }
        dead = true;
        stop("bye");
        if (failure != null) {
            try {
                p.handleResult(r);
            } catch (ProtocolException e) {
                failure.addSuppressed(e);
            }
            throw new BatchFetch.SinkFailure(failure);
        }
        p.handleResult(r); // disconnects and throws
        throw new IllegalStateException("unreachable");
    }

    /** Reads every answer sent and not read yet to its end, dropping its bodies. */
    private void drain() throws ProtocolException {
        stopped = true;
        bufferHeld = false;
        draining = true;
        try {
            for (int i = oldest; i < sent; i++) {
                head = Math.max(head, i);
                Step s = steps.get(i);
                while (s.tag != null && !dead && take(s, false) != null) {
                    // dropped
                }
            }
        } finally {
            draining = false;
        }
        steps.forEach(s -> s.early.clear());
        earlyBytes = 0;
        head = sent;
    }

    /** The chunks of one big message: the planned steps in turn, then (once drained) one at a time. */
    private final class Chunks extends ChunkInputStream {
        private final long uid;
        private final int end;
        private int nextStep;
        private long offset;
        private boolean more = true;

        Chunks(long uid, int nextStep, int end) {
            this.uid = uid;
            this.nextStep = nextStep;
            this.end = end;
        }

        void take(Body body, long from) throws FolderException {
            if (body.origin >= 0 && body.origin != from) {
                throw new FolderException(folder, uid, "the server returned bytes from offset " + body.origin
                        + " when asked for offset " + from, null);
            }
            chunk(body.bytes, body.start, body.count);
            offset = from + body.count;
            more = body.count == chunkSize;
        }

        @Override
        boolean nextChunk() throws IOException {
            if (!more) {
                return false;
            }
            release();
            bufferHeld = false; // the chunk before is read
            try {
                if (nextStep < end && !stopped) {
                    Step s = steps.get(nextStep++);
                    head = nextStep - 1;
                    fill();
                    Body body = readChunk(s);
                    if (body != null) {
                        take(body, s.offset);
                        return true;
                    }
                    if (s.done.isOK()) {
                        throw new FolderException(folder, uid, "the server returned no body from offset " + s.offset
                                + " (expunged meanwhile?)", null);
                    }
                    return alone(s.done);
                }
                // longer than its size, or stopped: the rest alone, once every answer sent is read
                return alone(null);
            } catch (ProtocolException e) {
                if (dead) {
                    throw new ConnectionException("connection lost during FETCH BODY.PEEK[] in folder \"" + folder
                            + "\" (UID " + uid + "): " + Errors.text(e), e);
                }
                throw new FolderException(folder, uid, ResponseCodes.failed("FETCH BODY.PEEK[]", e), e);
            }
        }

        /**
         * The next chunk asked for alone, once every answer sent is read, as {@link ChunkedFetch}
         * does: after a throttling answer ({@code refused}, or the answer to this) the same chunk
         * again after the backoff; after another refusal the message fails.
         */
        private boolean alone(Response refused) throws IOException, ProtocolException {
            refusal = null; // answered here, chunk by chunk
            head = nextStep - 1;
            drain();
            nextStep = end;
            Throttle.Retry retry = null;
            Response last = refused;
            while (true) {
                if (last != null) {
                    if (!ThrottleSignal.of(last)) {
                        p.handleResult(last); // throws: the message fails (ChunkedFetch's words)
                    }
                    retry = retry != null ? retry : backoff.get();
                    retry.await(Errors.excerpt(last.toString()));
                }
                Step s = new Step(new long[] {uid}, offset, chunkSize);
                steps.add(s);
                head = steps.size() - 1;
                sent = steps.size();
                s.tag = write(s);
                Body body = readChunk(s);
                refusal = null;
                head = sent;
                if (body != null) {
                    take(body, s.offset);
                    return true;
                }
                if (s.done.isOK()) {
                    throw new FolderException(folder, uid, "the server returned no body from offset " + offset
                            + " (expunged meanwhile?)", null);
                }
                last = s.done;
            }
        }
    }
}
