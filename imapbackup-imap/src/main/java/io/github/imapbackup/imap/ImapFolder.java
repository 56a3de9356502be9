package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MessageSink;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.SourceFolder;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.MailboxInfo;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.eclipse.angus.mail.imap.protocol.UIDSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder opened with EXAMINE: metadata in UID batches, flags, and bodies streamed with BODY.PEEK.
 * Only {@link #delete(long[])} (a migration's {@code --delete1}) writes, on a connection of its own.
 */
final class ImapFolder implements SourceFolder {

    private static final Logger LOG = LoggerFactory.getLogger(ImapFolder.class);
    private static final long MAX_UID = 0xFFFF_FFFFL;

    private final ImapSource source;
    private final String where;
    private final FolderInfo info;
    private final IMAPFolder folder;
    private final FolderStatus status;
    private final boolean condstore;
    private final FolderQueries queries;
    /** Whether Gmail's labels are fetched and recorded (see {@link GmailLabels#STORE_ONCE}). */
    private final boolean labels;
    private final WaitTally tally;
    /** The source's rate caps, or null. */
    private final Pacer pacer;
    /** When the folder was opened: the filters' ages count from here. */
    private final Instant opened = Instant.now();
    private boolean closed;
    /** Whether the last fetch ran pipelined to its end: the next one sends commands ahead at once. */
    private boolean pipelined;

    ImapFolder(ImapSource source, MessageIdExtractor extractor, String where, FolderInfo info, IMAPFolder folder,
            FolderStatus status, boolean condstore, boolean labels, WaitTally tally, Pacer pacer) {
        this.source = source;
        this.tally = tally;
        this.pacer = pacer;
        this.where = where;
        this.info = info;
        this.folder = folder;
        this.status = status;
        this.condstore = condstore;
        this.labels = labels;
        this.queries = new FolderQueries(this::exec, extractor, where, info.name()).withLabels(labels);
    }

    @Override
    public FolderInfo folder() {
        return info;
    }

    @Override
    public FolderStatus status() {
        return status;
    }

    @Override
    public List<MessageInfo> messages(long fromUid) throws BackupException {
        if (fromUid < 1) {
            throw new IllegalArgumentException("fromUid must be positive: " + fromUid);
        }
        checkOpen();
        if (fromUid > MAX_UID) {
            return List.of();
        }
        SourceFilter filter = source.filter();
        if (!filter.active()) {
            return queries.messages(fromUid, source.metadataBatch(), condstore);
        }
        long[] uids = filter.search(queries, info.name(), fromUid, opened);
        List<MessageInfo> listed = queries.messages(uids, fromUid, source.metadataBatch(), condstore);
        return listed.stream().filter(m -> filter.keeps(m, opened)).toList();
    }

    @Override
    public long[] uids() throws BackupException {
        checkOpen();
        return queries.search("ALL", 1);
    }

    @Override
    public Map<Long, Set<String>> flags(long modSeq) throws BackupException {
        if (modSeq < 0) {
            throw new IllegalArgumentException("modSeq must not be negative: " + modSeq);
        }
        checkOpen();
        if (messageCount() == 0) {
            return Collections.emptyMap();
        }
        String command = "UID FETCH 1:* (UID FLAGS)";
        if (condstore && modSeq > 0) {
            command += " (CHANGEDSINCE " + modSeq + ")";
        }
        Map<Long, Set<String>> result = new TreeMap<>();
        for (FetchResponse r : queries.fetch(command, -1, "FETCH FLAGS", r -> r.getItem(FLAGS.class) != null)) {
            result.put(r.getItem(UID.class).uid, Messages.flags(r.getItem(FLAGS.class)));
        }
        return Collections.unmodifiableMap(result);
    }

    /** {@inheritDoc} With labels asked for: one {@code UID FETCH 1:* (UID X-GM-LABELS)}, CHANGEDSINCE as {@link #flags}. */
    @Override
    public Map<Long, Set<String>> labels(long modSeq) throws BackupException {
        if (modSeq < 0) {
            throw new IllegalArgumentException("modSeq must not be negative: " + modSeq);
        }
        checkOpen();
        if (!labels || messageCount() == 0) {
            return Collections.emptyMap();
        }
        String command = "UID FETCH 1:* (UID " + GmailFolders.LABELS + ")";
        if (condstore && modSeq > 0) {
            command += " (CHANGEDSINCE " + modSeq + ")";
        }
        Map<Long, Set<String>> result = new TreeMap<>();
        for (FetchResponse r : queries.fetch(command, -1, "FETCH X-GM-LABELS", r -> GmailFolders.labelsOf(r) != null)) {
            result.put(r.getItem(UID.class).uid, GmailFolders.labelsOf(r));
        }
        return Collections.unmodifiableMap(result);
    }

    @Override
    public InputStream openMessage(long uid) throws BackupException {
        if (uid < 1 || uid > MAX_UID) {
            throw new IllegalArgumentException("uid out of range: " + uid);
        }
        checkOpen();
        paceMessage();
        return new BodyStream(this::chunk, uid, source.fetchSize());
    }

    @Override
    public void fetchMessages(List<MessageInfo> messages, MessageSink sink) throws BackupException {
        checkOpen();
        List<MessageInfo> rest = messages;
        if (messages.stream().anyMatch(m -> m.uid() < 1 || m.uid() > MAX_UID)) {
            throw new IllegalArgumentException("uid out of range");
        }
        if (messages.size() > 1 || messages.size() == 1 && messages.get(0).size() > source.fetchSize()) {
            PipelinedFetch pipe = new PipelinedFetch(info.name(), messages, source.fetchSize(), sink,
                    this::paceMessage, () -> source.throttle().retry(where, info.name(), "FETCH BODY.PEEK[]", tally),
                    pipelined);
            fetch(pipe);
            pipelined = pipe.stopReason() == null && pipe.answered();
            // what the pipeline did not give to the sink (it stopped): one command at a time
            rest = messages.stream().filter(m -> !pipe.delivered(m.uid())).toList();
            LOG.debug("{}: \"{}\": pipelined fetch of {} messages: {} left ({}), at most {} bytes kept early", where,
                    info.name(), messages.size(), rest.size(), pipe.stopReason() == null ? "none" : pipe.stopReason(),
                    pipe.peakEarly());
        }
        fetchEach(rest, sink);
    }

    /** The messages one command at a time: the small ones in batches, each big one in chunks. */
    private void fetchEach(List<MessageInfo> messages, MessageSink sink) throws BackupException {
        List<MessageInfo> small = new ArrayList<>();
        for (MessageInfo m : messages) {
            if (m.size() <= source.fetchSize()) {
                small.add(m);
                continue;
            }
            fetchSmall(small, sink);
            small.clear();
            fetchBig(m.uid(), sink);
        }
        fetchSmall(small, sink);
    }

    /** One UID FETCH for all of {@code small}; what the server did not send is fetched alone. */
    private void fetchSmall(List<MessageInfo> small, MessageSink sink) throws BackupException {
        if (small.isEmpty()) {
            return;
        }
        long[] uids = small.stream().mapToLong(MessageInfo::uid).sorted().distinct().toArray();
        if (uids[0] < 1 || uids[uids.length - 1] > MAX_UID) {
            throw new IllegalArgumentException("uid out of range");
        }
        BatchFetch batch = new BatchFetch(uids, sink, this::paceMessage);
        fetch(batch);
        for (MessageInfo m : small) {
            if (!batch.delivered(m.uid())) {
                LOG.debug("{}: \"{}\": UID {} missing from the batch answer, fetching it alone",
                        where, info.name(), m.uid());
                fetchOne(m.uid(), sink);
            }
        }
    }

    /** Runs a fetch of several messages; what the sink threw comes out as it was thrown. */
    private void fetch(IMAPFolder.ProtocolCommand command) throws BackupException {
        try {
            exec("FETCH BODY.PEEK[]", -1, command);
        } catch (BatchFetch.SinkFailure e) {
            if (e.getCause() instanceof BackupException b) {
                throw b;
            }
            throw (RuntimeException) e.getCause();
        }
    }

    /** A message over the fetch size: chunks, the next one requested ahead (see ChunkedFetch). */
    private void fetchBig(long uid, MessageSink sink) throws BackupException {
        if (uid < 1 || uid > MAX_UID) {
            throw new IllegalArgumentException("uid out of range: " + uid);
        }
        paceMessage();
        ChunkedFetch fetch = new ChunkedFetch(info.name(), uid, source.fetchSize(), sink,
                () -> source.throttle().retry(where, info.name(), "FETCH BODY.PEEK[]", tally));
        try {
            exec("FETCH BODY.PEEK[]", uid, fetch);
        } catch (BatchFetch.SinkFailure e) {
            if (e.getCause() instanceof BackupException b) {
                throw b;
            }
            throw (RuntimeException) e.getCause();
        } catch (io.github.imapbackup.ConnectionException | Throttle.KeptThrottling e) {
            throw e;
        } catch (BackupException e) {
            failed(uid, e, sink);
            return;
        }
        if (fetch.missing()) {
            sink.failed(uid, new FolderException(info.name(), uid, "the server returned no body"
                    + " (expunged meanwhile?)", null));
        }
    }

    private void fetchOne(long uid, MessageSink sink) throws BackupException {
        InputStream in;
        try {
            in = openMessage(uid);
        } catch (io.github.imapbackup.ConnectionException | Throttle.KeptThrottling e) {
            throw e;
        } catch (BackupException e) {
            failed(uid, e, sink);
            return;
        }
        try {
            sink.message(uid, in);
        } finally {
            ((BodyStream) in).close();
        }
    }

    /**
     * A message the server would not send: it fails alone, unless the refusal speaks of the server
     * or the account ({@code [SERVERBUG]}, {@code [OVERQUOTA]}, ...), when the folder fails at once
     * instead of message after message.
     */
    private void failed(long uid, BackupException e, MessageSink sink) throws BackupException {
        if (ResponseCodes.accountWide(e)) {
            throw new FolderException(info.name(), FolderException.reason(info.name(), e), e);
        }
        sink.failed(uid, e);
    }

    /**
     * Fetches {@code BODY.PEEK[]<offset.size>} of one message.
     *
     * @return the bytes (a view on the response buffer)
     */
    ByteArray chunk(long uid, long offset, int size) throws BackupException {
        checkOpen();
        return queries.chunk(uid, offset, size);
    }

    String name() {
        return info.name();
    }

    IMAPFolder angus() {
        return folder;
    }

    boolean usable() {
        return !closed && folder.isOpen();
    }

    private int messageCount() throws BackupException {
        try {
            return folder.getMessageCount();
        } catch (MessagingException e) {
            throw Errors.folder(where, info.name(), -1, "NOOP", e);
        }
    }

    /**
     * {@code UID FETCH 1:upToUid (UID) (CHANGEDSINCE modSeq VANISHED)} (RFC 7162 §3.2.6) when
     * QRESYNC is enabled on this folder's connection: the UIDs of its {@code VANISHED (EARLIER)}
     * answers. Empty without QRESYNC, or when the server refuses the command.
     */
    @Override
    public Optional<long[]> expungedSince(long modSeq, long upToUid) throws BackupException {
        checkOpen();
        if (!condstore || modSeq <= 0 || upToUid < 1) {
            return Optional.empty();
        }
        long top = Math.min(upToUid, MAX_UID);
        Object result = exec("UID FETCH (VANISHED)", -1, p -> {
            if (!p.isEnabled("QRESYNC")) {
                return null;
            }
            Response[] r = p.command("UID FETCH 1:" + top + " (UID) (CHANGEDSINCE " + modSeq + " VANISHED)", null);
            Response done = r[r.length - 1];
            if (!done.isOK() && !done.isBYE()) {
                LOG.debug("{}: \"{}\": UID FETCH ... VANISHED refused: {}", where, info.name(), done);
                p.notifyResponseHandlers(r);
                return null;
            }
            List<long[]> sets = new ArrayList<>();
            for (int i = 0; i < r.length - 1; i++) {
                if (r[i] instanceof IMAPResponse ir && ir.keyEquals("VANISHED")) {
                    String[] earlier = ir.readAtomStringList();
                    if (earlier != null && earlier.length == 1 && earlier[0].equalsIgnoreCase("EARLIER")) {
                        long[] uids = UIDSet.toArray(UIDSet.parseUIDSets(ir.readAtom()), top);
                        if (uids != null) {
                            sets.add(uids);
                        }
                        r[i] = null;
                    }
                } else if (r[i] instanceof FetchResponse) {
                    r[i] = null; // the UIDs of changed messages, not wanted here
                }
            }
            p.notifyResponseHandlers(r);
            p.handleResult(done);
            return sets.stream().flatMapToLong(Arrays::stream).filter(u -> u >= 1 && u <= top)
                    .sorted().distinct().toArray();
        });
        return result == null ? Optional.empty() : Optional.of((long[]) result);
    }

    /**
     * A {@code NOOP}, whose answer may carry the server's {@code EXPUNGE} or {@code VANISHED} news
     * (RFC 3501 §6.1.2, §7.4.1), then {@code UID SEARCH UID set} for the UIDs
     * ({@link FolderQueries#stillListed}): those it does not list are gone. A server that still shows an expunged message to
     * this session lists it, and the message stays a failure: never taken for gone when it is not.
     */
    @Override
    public Optional<long[]> expungedOf(long[] uids) throws BackupException {
        checkOpen();
        exec("NOOP", -1, p -> {
            p.noop();
            return null;
        });
        long[] sorted = Arrays.stream(uids).filter(u -> u >= 1 && u <= MAX_UID).sorted().distinct().toArray();
        long[] listed = queries.stillListed(sorted);
        return Optional.of(Arrays.stream(sorted).filter(u -> Arrays.binarySearch(listed, u) < 0).toArray());
    }

    /**
     * Deletes exactly these messages: on a connection of its own (this one stays EXAMINEd, so that
     * closing it can never expunge), SELECTs the folder, checks that its UIDVALIDITY is the one
     * seen when it was opened (else deletes nothing), then flags and expunges them by UID
     * ({@link UidDeletion}; without UIDPLUS only flags them). That connection logs out without
     * CLOSE.
     */
    @Override
    public long delete(long[] uids) throws BackupException {
        checkOpen();
        if (uids.length == 0) {
            return 0;
        }
        try (TargetConnection c = TargetConnection.open(source)) {
            MailboxInfo mi = c.select(info.name(), false);
            if (mi.uidvalidity != status.uidValidity()) {
                throw new FolderException(info.name(), "nothing deleted from the source: its UIDVALIDITY changed from "
                        + status.uidValidity() + " to " + mi.uidvalidity + " since the folder was read, so its UIDs"
                        + " may name other messages; run again to copy and verify the folder anew", null);
            }
            return UidDeletion.delete(c::exec, c.has("UIDPLUS"), uids, where + " \"" + info.name() + "\"");
        }
    }

    /** Runs a command on the folder's connection, again after a backoff when the server throttles it. */
    private Object exec(String what, long uid, IMAPFolder.ProtocolCommand command)
            throws BackupException {
        return source.throttle().call(where, info.name(), uid, what, tally, () -> folder.doCommand(command));
    }

    /** Waits as long as the source's message cap requires before one more message is fetched. */
    private void paceMessage() {
        if (pacer != null) {
            pacer.message();
        }
    }

    private void checkOpen() throws BackupException {
        if (closed) {
            throw new IllegalStateException("folder closed: " + info.name());
        }
        if (!folder.isOpen()) {
            throw new io.github.imapbackup.ConnectionException(where + ": folder \"" + info.name()
                    + "\" was closed by the server or the connection was lost", null);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (folder.isOpen()) {
            try {
                folder.close(false);
            } catch (MessagingException | RuntimeException e) {
                LOG.debug("{}: closing \"{}\" failed", where, info.name(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "ImapFolder[" + info.name() + ", " + status + (closed ? ", closed" : "") + "]";
    }
}
