package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.Item;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read queries of a selected folder, shared by the source ({@link ImapFolder}) and the target
 * ({@link ImapTargetFolder}) so that both derive a message's identity the same way: UID SEARCH,
 * and metadata (size, INTERNALDATE, flags, identity through the session's extractor) in UID FETCH
 * batches.
 */
final class FolderQueries {

    private static final Logger LOG = LoggerFactory.getLogger(FolderQueries.class);

    /** Runs a protocol command on the folder's connection, mapping failures. */
    @FunctionalInterface
    interface Exec {
        Object run(String what, long uid, IMAPFolder.ProtocolCommand command) throws BackupException;
    }

    private final Exec exec;
    private final MessageIdExtractor extractor;
    private final String where;
    private final String folder;
    /** Whether Gmail's labels are fetched with the metadata. */
    private boolean labels;
    /** The descriptions of the FETCH responses the connection could not read. */
    private UnreadableFetch.Notes notes = new UnreadableFetch.Notes();

    FolderQueries(Exec exec, MessageIdExtractor extractor, String where, String folder) {
        this.exec = exec;
        this.extractor = extractor;
        this.where = where;
        this.folder = folder;
    }

    /** Fetches Gmail's labels ({@code X-GM-LABELS}) with the metadata from now on. */
    FolderQueries withLabels(boolean on) {
        this.labels = on;
        return this;
    }

    /** {@return the metadata of every message from {@code fromUid} on, {@code batch} UIDs per UID FETCH} */
    List<MessageInfo> messages(long fromUid, int batch, boolean condstore) throws BackupException {
        return messages(search("UID " + fromUid + ":*", fromUid), fromUid, batch, condstore);
    }

    /** {@return the metadata of the messages {@code uids} (sorted), {@code batch} UIDs per UID FETCH} */
    List<MessageInfo> messages(long[] uids, long fromUid, int batch, boolean condstore) throws BackupException {
        List<MessageInfo> result = new ArrayList<>(uids.length);
        for (int i = 0; i < uids.length; i += batch) {
            long[] chunk = Arrays.copyOfRange(uids, i, Math.min(uids.length, i + batch));
            result.addAll(metadata(chunk, condstore));
        }
        LOG.debug("{}: \"{}\": metadata of {} messages from UID {}", where, folder, result.size(), fromUid);
        return result;
    }

    private List<MessageInfo> metadata(long[] uids, boolean condstore) throws BackupException {
        // the sender comes from the From/Sender fields, not from ENVELOPE: servers build
        // ENVELOPE by parsing the whole header (twice the server time here, see docs/benchmarks-imap.md),
        // and a malformed one would be taken for a broken connection
        String items = "UID RFC822.SIZE INTERNALDATE FLAGS"
                + " BODY.PEEK[HEADER.FIELDS (MESSAGE-ID FROM SENDER)]" + (condstore ? " MODSEQ" : "")
                + (labels ? " " + GmailFolders.LABELS : "");
        Map<Long, Messages.Partial> found = new HashMap<>();
        String set = Messages.uidSet(uids);
        for (Response r : listing("UID FETCH " + set + " (" + items + ")")) {
            if (r instanceof ListingFetch f) {
                if (Arrays.binarySearch(uids, f.uid) < 0) {
                    continue;
                }
                Messages.Partial p = found.computeIfAbsent(f.uid, Messages.Partial::new);
                p.size = f.rfc822Size >= 0 ? f.rfc822Size : p.size;
                p.internalDate = f.internalDate != null ? f.internalDate : p.internalDate;
                p.flags = f.flags != null ? f.flags : p.flags;
                p.modSeq = f.modSeq >= 0 ? f.modSeq : p.modSeq;
                if (f.hasHeader) {
                    header(p, f.header);
                }
                continue;
            }
            FetchResponse fr = (FetchResponse) r;
            long uid = fr.getItem(UID.class).uid;
            if (Arrays.binarySearch(uids, uid) < 0) {
                continue;
            }
            Messages.Partial p = found.computeIfAbsent(uid, Messages.Partial::new);
            Set<String> gmail = labels ? GmailFolders.labelsOf(fr) : null;
            if (gmail != null) {
                p.labels = gmail;
            }
            for (int i = 0; i < fr.getItemCount(); i++) {
                Item item = fr.getItem(i);
                if (item instanceof RFC822SIZE s) {
                    p.size = s.size;
                } else if (item instanceof INTERNALDATE d && d.getDate() != null) {
                    p.internalDate = d.getDate().toInstant();
                } else if (item instanceof FLAGS f) {
                    p.flags = Messages.flags(f);
                } else if (item instanceof MODSEQ m) {
                    p.modSeq = m.modseq;
                } else if (item instanceof BODY b) {
                    header(p, b.getByteArray());
                }
            }
        }
        List<Long> synthetic = new ArrayList<>();
        for (Messages.Partial p : found.values()) {
            if (p.messageId == null) {
                synthetic.add(p.uid);
            } else {
                p.identity = MessageIdentity.ofMessageId(p.messageId);
            }
        }
        if (!synthetic.isEmpty()) {
            long[] ids = synthetic.stream().mapToLong(Long::longValue).sorted().toArray();
            for (FetchResponse r : fetch("UID FETCH " + Messages.uidSet(ids)
                    + " (UID BODY.PEEK[HEADER])", -1, "FETCH BODY.PEEK[HEADER]", r -> true)) {
                long uid = r.getItem(UID.class).uid;
                Messages.Partial p = found.get(uid);
                BODY b = r.getItem(BODY.class);
                if (p != null && b != null) {
                    p.identity = identify(uid, b);
                }
            }
        }
        checkMissing(uids, found);
        List<MessageInfo> result = new ArrayList<>(found.size());
        for (long uid : uids) {
            Messages.Partial p = found.get(uid);
            if (p == null) {
                LOG.debug("{}: \"{}\": UID {} vanished before its metadata was fetched", where, folder, uid);
                continue;
            }
            if (p.identity == null) {
                throw new FolderException(folder, uid, "the server sent no header section", null);
            }
            if (p.internalDate == null) {
                LOG.debug("{}: \"{}\": UID {} has no INTERNALDATE; using the epoch", where, folder, uid);
                p.internalDate = Instant.EPOCH;
            }
            result.add(p.toInfo());
        }
        return result;
    }

    /**
     * A UID that UID SEARCH listed but the metadata FETCH did not answer was either expunged in
     * between, or its answer was lost (a server that forgets one, or a response Angus could not
     * parse and dropped). Asking UID SEARCH again tells them apart: a message still listed fails
     * the folder, naming it, instead of being taken for expunged and skipped for good (the folder's
     * next UID would move past it).
     */
    private void checkMissing(long[] uids, Map<Long, Messages.Partial> found) throws BackupException {
        long[] missing = Arrays.stream(uids).filter(u -> !found.containsKey(u)).toArray();
        if (missing.length == 0) {
            return;
        }
        long[] still = stillListed(missing);
        if (still.length > 0) {
            throw new FolderException(folder, still[0], "the server lists " + (still.length == 1 ? "this message"
                    : still.length + " messages (UIDs " + Messages.uidSet(still) + ")")
                    + " but sent no readable answer to the FETCH of its metadata"
                    + (notes.of(still[0]) != null ? " (" + notes.of(still[0]) + ")" : "") + "; the folder is left for the next"
                    + " run rather than skip the message for good (if this repeats, run with --verbose and report"
                    + " the server's answer)", null);
        }
    }

    /** Takes the Message-ID and the sender from a listing's header fields (null: the server sent NIL). */
    private void header(Messages.Partial p, ByteArray fields) throws BackupException {
        p.messageId = null;
        if (fields == null) {
            return;
        }
        try {
            p.messageId = extractor.messageId(new ByteArrayInputStream(fields.getBytes(), fields.getStart(),
                    fields.getCount())).orElse(null);
        } catch (IOException e) {
            throw new FolderException(folder, p.uid, "cannot read the Message-ID: " + e.getMessage(), e);
        }
        p.sender = Messages.sender(fields.getBytes(), fields.getStart(), fields.getCount());
    }

    private MessageIdentity identify(long uid, BODY b) throws BackupException {
        ByteArrayInputStream in = b.getByteArrayInputStream();
        try {
            return extractor.identify(in != null ? in : InputStream.nullInputStream());
        } catch (IOException e) {
            throw new FolderException(folder, uid, "cannot read the header section: " + e.getMessage(), e);
        }
    }

    /** UIDs asked about per {@code UID SEARCH} of {@link #stillListed}: a command line of a few KB at most. */
    static final int LISTED_BATCH = 500;

    /**
     * {@return those of {@code uids} (sorted, distinct) that {@code UID SEARCH UID <set>} still lists,
     * sorted} asked {@value #LISTED_BATCH} at a time.
     */
    long[] stillListed(long[] uids) throws BackupException {
        long[] still = new long[uids.length];
        int n = 0;
        for (int from = 0; from < uids.length; from += LISTED_BATCH) {
            long[] batch = Arrays.copyOfRange(uids, from, Math.min(uids.length, from + LISTED_BATCH));
            long[] listed = search("UID " + Messages.uidSet(batch), 0);
            for (long u : batch) {
                if (Arrays.binarySearch(listed, u) >= 0) {
                    still[n++] = u;
                }
            }
        }
        return Arrays.copyOf(still, n);
    }

    /** Runs UID SEARCH and returns the UIDs of at least {@code min}, sorted, without duplicates. */
    long[] search(String criteria, long min) throws BackupException {
        Object result = exec.run("UID SEARCH", -1, p -> {
            Response[] r = p.command("UID SEARCH " + criteria, null);
            long[] uids = new long[64];
            int n = 0;
            for (int i = 0; i < r.length - 1; i++) {
                if (r[i] instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                    long uid;
                    while ((uid = ir.readLong()) != -1) {
                        if (uid >= min) {
                            if (n == uids.length) {
                                uids = Arrays.copyOf(uids, n * 2);
                            }
                            uids[n++] = uid;
                        }
                    }
                    r[i] = null;
                }
            }
            p.notifyResponseHandlers(r);
            p.handleResult(r[r.length - 1]);
            long[] sorted = Arrays.copyOf(uids, n);
            Arrays.sort(sorted);
            return sorted;
        });
        long[] uids = (long[]) result;
        // drop duplicates a server might send
        int n = 0;
        for (int i = 0; i < uids.length; i++) {
            if (n == 0 || uids[i] != uids[n - 1]) {
                uids[n++] = uids[i];
            }
        }
        return n == uids.length ? uids : Arrays.copyOf(uids, n);
    }

    /**
     * Sends a metadata listing's UID FETCH and returns its FETCH responses that carry a UID: each a
     * {@link ListingFetch} when the connection could read it so (a {@link ReusingProtocol}, no Gmail
     * labels asked for), else Angus's {@code FetchResponse}; every other response goes to Angus's
     * handlers, as with {@link #fetch}.
     */
    private List<Response> listing(String command) throws BackupException {
        return run(command, -1, "FETCH metadata", !labels,
                r -> r instanceof ListingFetch || r instanceof FetchResponse fr && fr.getItem(UID.class) != null);
    }

    /**
     * Sends a UID FETCH and returns its FETCH responses that carry a UID and pass {@code mine};
     * every other response goes to Angus's handlers (EXPUNGE, EXISTS, alerts).
     */
    @SuppressWarnings("unchecked") // run keeps only FetchResponses
    List<FetchResponse> fetch(String command, long uid, String what, Predicate<FetchResponse> mine)
            throws BackupException {
        return (List<FetchResponse>) (List<?>) run(command, uid, what, false,
                r -> r instanceof FetchResponse fr && fr.getItem(UID.class) != null && mine.test(fr));
    }

    /**
     * Sends a command and returns the responses {@code take} keeps, in order; the others go to
     * Angus's handlers, then the tagged result is checked. With {@code listing}, the connection reads
     * the FETCH responses with {@link ListingFetch} where it can ({@link ReusingProtocol#listing}).
     */
    private List<Response> run(String command, long uid, String what, boolean listing, Predicate<Response> take)
            throws BackupException {
        @SuppressWarnings("unchecked")
        List<Response> list = (List<Response>) exec.run(what, uid, p -> {
            ReusingProtocol rp = p instanceof ReusingProtocol r ? r : null;
            Response[] r;
            if (rp != null) {
                notes = rp.unreadable;
                rp.listing = listing;
            }
            try {
                r = p.command(command, null);
            } finally {
                if (rp != null) {
                    rp.listing = false;
                }
            }
            List<Response> out = new ArrayList<>();
            for (int i = 0; i < r.length - 1; i++) {
                if (take.test(r[i])) {
                    out.add(r[i]);
                    r[i] = null;
                }
            }
            p.notifyResponseHandlers(r);
            p.handleResult(r[r.length - 1]);
            return out;
        });
        return list;
    }

    /**
     * Fetches {@code BODY.PEEK[]<offset.size>} of one message.
     *
     * @return the bytes (a view on the response buffer)
     */
    ByteArray chunk(long uid, long offset, int size) throws BackupException {
        String command = "UID FETCH " + uid + " (UID BODY.PEEK[]<" + offset + "." + size + ">)";
        BODY body = null;
        int bodies = 0;
        for (FetchResponse r : fetch(command, uid, "FETCH BODY.PEEK[]", r -> true)) {
            if (r.getItem(UID.class).uid != uid) {
                continue;
            }
            for (int i = 0; i < r.getItemCount(); i++) {
                if (r.getItem(i) instanceof BODY b && b.getSection() != null
                        && b.getSection().isEmpty()) {
                    if (body == null || !Messages.sameBytes(body, b)) {
                        bodies++; // a repeat of the same bytes is harmless
                    }
                    body = body != null ? body : b;
                }
            }
        }
        if (bodies > 1) {
            // which one holds the message's bytes cannot be told: none is taken
            throw new FolderException(folder, uid, "the server sent " + bodies + " different bodies for this message in its"
                    + " answer to one FETCH of the bytes from offset " + offset + "; none is stored", null);
        }
        if (body == null) {
            String unreadable = notes.of(uid);
            throw new FolderException(folder, uid, unreadable != null ? unreadable
                    : "the server returned no body (expunged meanwhile?)", null);
        }
        if (body.getOrigin() >= 0 && body.getOrigin() != offset) {
            throw new FolderException(folder, uid, "the server returned bytes from offset "
                    + body.getOrigin() + " when asked for offset " + offset, null);
        }
        ByteArray bytes = body.getByteArray();
        return bytes != null ? bytes : new ByteArray(new byte[0], 0, 0);
    }
}
