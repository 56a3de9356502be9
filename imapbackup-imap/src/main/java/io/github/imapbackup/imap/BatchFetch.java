package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.spi.MessageSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
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
 * One {@code UID FETCH a,b,c (UID BODY.PEEK[])} whose answers go to a {@link MessageSink} one at a
 * time, as they arrive (Angus holds one response, i.e. one message, in memory at a time); other
 * responses (EXISTS, EXPUNGE, FLAGS, alerts) go to Angus's handlers.
 */
final class BatchFetch implements IMAPFolder.ProtocolCommand {

    private static final Logger LOG = LoggerFactory.getLogger(BatchFetch.class);

    /** Carries the sink's failure out of Angus's {@code doCommand}. */
    static final class SinkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SinkFailure(Exception cause) {
            super(cause);
        }
    }

    private final long[] uids;
    private final MessageSink sink;
    private final Set<Long> wanted;
    private final Set<Long> delivered;
    private final Runnable pace;

    /**
     * @param uids the UIDs, ascending
     * @param pace called before each message is given to the sink (the source's message cap)
     */
    BatchFetch(long[] uids, MessageSink sink, Runnable pace) {
        this.uids = uids;
        this.sink = sink;
        this.pace = pace;
        this.wanted = new HashSet<>(uids.length * 2);
        for (long u : uids) {
            wanted.add(u);
        }
        this.delivered = new HashSet<>(uids.length * 2);
    }

    /** {@return whether the server sent the body of {@code uid}} */
    boolean delivered(long uid) {
        return delivered.contains(uid);
    }

    @Override
    public Object doCommand(IMAPProtocol p) throws ProtocolException {
        synchronized (p) {
            // run again after a throttling answer: only what the server has not sent yet
            long[] asked = delivered.isEmpty() ? uids
                    : java.util.Arrays.stream(uids).filter(u -> !delivered.contains(u)).toArray();
            if (asked.length == 0) {
                return null;
            }
            String tag;
            try {
                tag = p.writeCommand("UID FETCH " + Messages.uidSet(asked) + " (UID BODY.PEEK[])", null);
            } catch (IOException e) {
                p.handleResult(Response.byeResponse(e)); // disconnects and throws
                return null;
            }
            Response bye = null;
            Response done = null;
            Exception failure = null;
            while (done == null) {
                Response r;
                try {
                    // each answer is done with before the next is read; a BYE is kept, so what follows it is not
                    r = bye == null ? ReusingProtocol.readReused(p) : p.readResponse();
                } catch (IOException e) {
                    if (bye == null) {
                        bye = Response.byeResponse(e);
                    }
                    break;
                } catch (ProtocolException e) {
                    LOG.debug("skipping a response that cannot be parsed", e);
                    continue;
                }
                if (r.isBYE()) {
                    bye = r;
                    continue;
                }
                if (r.isTagged() && tag.equals(r.getTag())) {
                    done = r;
                    break;
                }
                if (failure == null && r instanceof FetchResponse fr && deliver(fr)) {
                    try {
                        long uid = fr.getItem(UID.class).uid;
                        pace.run();
                        sink.message(uid, content(fr));
                    } catch (BackupException | RuntimeException e) {
                        // read the rest of the answer, so that the connection stays usable
                        failure = e;
                    }
                    continue;
                }
                p.notifyResponseHandlers(new Response[] {r});
            }
            if (bye != null) {
                try {
                    p.handleResult(bye); // disconnects and throws
                } catch (ProtocolException e) {
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
            if (failure != null) {
                throw new SinkFailure(failure);
            }
            p.notifyResponseHandlers(new Response[] {done});
            if (ThrottleSignal.of(done)) {
                p.handleResult(done); // throws: the caller waits and runs this again
            }
            if (!done.isOK() && ResponseCodes.accountWide(done.toString())) {
                p.handleResult(done); // throws: no message would fare better alone; the folder fails
            }
            if (!done.isOK()) {
                // the messages it did not send are fetched one by one, which names the failure
                LOG.debug("batch UID FETCH of {} messages: {}", uids.length, done);
            }
            return null;
        }
    }

    /** Whether {@code r} is the body of a wanted message not yet delivered. */
    private boolean deliver(FetchResponse r) {
        UID uid = r.getItem(UID.class);
        BODY body = body(r);
        // NIL (no bytes) is left to the one-by-one fetch, which decides what it means
        return uid != null && body != null && body.getByteArray() != null && wanted.contains(uid.uid) && delivered.add(uid.uid);
    }

    private static BODY body(FetchResponse r) {
        BODY b = Messages.wholeBody(r);
        return b != null && b.getOrigin() <= 0 ? b : null;
    }

    private static InputStream content(FetchResponse r) {
        ByteArray bytes = body(r).getByteArray();
        return new ByteArrayInputStream(bytes.getBytes(), bytes.getStart(), bytes.getCount());
    }
}
