package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.spi.MessageSink;
import java.io.IOException;
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
 * One message bigger than the fetch size, given to a {@link MessageSink} inside one Angus
 * {@code doCommand}: {@code UID FETCH n (UID BODY.PEEK[]<o.s>)} per chunk, the next one sent as
 * soon as a full chunk arrived, so the server produces it while this one is consumed. One chunk
 * is in memory; the next waits in the socket. Nothing is left pending when the command ends.
 */
final class ChunkedFetch implements IMAPFolder.ProtocolCommand {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkedFetch.class);

    private final String folder;
    private final long uid;
    private final int chunkSize;
    private final MessageSink sink;
    /** Starts the backoff of a chunk the server refused as throttled. */
    private final java.util.function.Supplier<Throttle.Retry> backoff;
    private IMAPProtocol p;
    /** The tag of the command sent ahead for the chunk at {@link #next}, or null. */
    private String pending;
    private long next;
    private boolean dead;
    private boolean missing;

    ChunkedFetch(String folder, long uid, int chunkSize, MessageSink sink,
            java.util.function.Supplier<Throttle.Retry> backoff) {
        this.backoff = backoff;
        this.folder = folder;
        this.uid = uid;
        this.chunkSize = chunkSize;
        this.sink = sink;
    }

    /** {@return whether the server sent no body for the first chunk} */
    boolean missing() {
        return missing;
    }

    @Override
    public Object doCommand(IMAPProtocol protocol) throws ProtocolException {
        synchronized (protocol) {
            p = protocol;
            BODY first = answer(send(0));
            if (first == null || first.getByteArray() == null) {
                missing = true;
                return null;
            }
            Chunks in = new Chunks();
            in.take(first);
            Exception failure = null;
            try {
                sink.message(uid, in);
            } catch (BackupException | RuntimeException e) {
                failure = e;
            } finally {
                drain();
            }
            if (failure != null) {
                throw new BatchFetch.SinkFailure(failure);
            }
            return null;
        }
    }

    private String send(long from) throws ProtocolException {
        try {
            String tag = p.writeCommand("UID FETCH " + uid + " (UID BODY.PEEK[]<" + from + "." + chunkSize
                    + ">)", null);
            next = from;
            return tag;
        } catch (IOException e) {
            dead = true;
            p.handleResult(Response.byeResponse(e)); // disconnects and throws
            throw new IllegalStateException("unreachable", e);
        }
    }

    /** Reads the answer to {@code tag}; BYE, a lost connection, NO or BAD throw. */
    private BODY answer(String tag) throws ProtocolException {
        BODY body = null;
        int bodies = 0;
        Response bye = null;
        Response done = null;
        while (done == null) {
            Response r;
            try {
                // the chunk's bytes must outlive the reading of the rest of the answer
                r = body == null && bye == null ? ReusingProtocol.readReused(p) : p.readResponse();
            } catch (IOException e) {
                bye = bye != null ? bye : Response.byeResponse(e);
                break;
            } catch (ProtocolException e) {
                LOG.debug("skipping a response that cannot be parsed", e);
                continue;
            }
            if (r.isBYE()) {
                bye = r;
            } else if (r.isTagged() && tag.equals(r.getTag())) {
                done = r;
            } else if (r instanceof FetchResponse fr && fr.getItem(UID.class) != null
                    && fr.getItem(UID.class).uid == uid && Messages.wholeBody(fr) != null) {
                BODY b = Messages.wholeBody(fr);
                if (body == null || !Messages.sameBytes(body, b)) {
                    bodies++; // a repeat of the same bytes is harmless
                }
                body = body != null ? body : b;
            } else {
                p.notifyResponseHandlers(new Response[] {r});
            }
        }
        if (bye != null) {
            dead = true;
            p.handleResult(bye); // disconnects and throws
        }
        p.notifyResponseHandlers(new Response[] {done});
        p.handleResult(done);
        if (bodies > 1) {
            // which one holds the message's bytes cannot be told: none is taken
            throw new ProtocolException("the server sent " + bodies + " different bodies for UID " + uid
                    + " in its answer to one FETCH of the bytes from offset " + next + "; none is stored");
        }
        return body;
    }

    /** Reads the answer to the chunk sent ahead that nobody wants, so the connection stays in step. */
    private void drain() {
        if (pending == null || dead) {
            return;
        }
        String tag = pending;
        pending = null;
        try {
            answer(tag);
        } catch (ProtocolException | RuntimeException e) {
            LOG.debug("\"{}\": UID {}: reading the answer sent ahead failed", folder, uid, e);
        }
    }

    /** The message's bytes, chunk after chunk. */
    private final class Chunks extends ChunkInputStream {
        private long offset;

        void take(BODY body) throws ProtocolException {
            if (body.getOrigin() >= 0 && body.getOrigin() != offset) {
                throw new ProtocolException("the server returned bytes from offset " + body.getOrigin()
                        + " when asked for offset " + offset);
            }
            ByteArray bytes = body.getByteArray();
            chunk(bytes.getBytes(), bytes.getStart(), bytes.getCount());
            offset += bytes.getCount();
            if (bytes.getCount() == chunkSize) {
                pending = send(offset);
            }
        }

        @Override
        boolean nextChunk() throws IOException {
            if (pending == null) {
                return false;
            }
            Throttle.Retry retry = null;
            while (true) {
                try {
                    if (pending == null) {
                        pending = send(offset); // the same chunk again, after a throttling answer
                    }
                    String tag = pending;
                    pending = null;
                    BODY body = answer(tag);
                    if (body == null || body.getByteArray() == null) {
                        throw new FolderException(folder, uid, "the server returned no body from offset "
                                + offset + " (expunged meanwhile?)", null);
                    }
                    take(body);
                    return true;
                } catch (ProtocolException e) {
                    java.util.Optional<String> slowDown = ThrottleSignal.of(e);
                    if (slowDown.isPresent()) {
                        // the same chunk again after the backoff (after a BYE: the engine reconnects)
                        retry = retry != null ? retry : backoff.get();
                        retry.await(slowDown.get());
                    }
                    if (dead) {
                        throw new ConnectionException("connection lost during FETCH BODY.PEEK[] in folder \""
                                + folder + "\" (UID " + uid + "): " + Errors.text(e), e);
                    }
                    if (slowDown.isEmpty()) {
                        throw new FolderException(folder, uid, ResponseCodes.failed("FETCH BODY.PEEK[]", e), e);
                    }
                }
            }
        }
    }
}
