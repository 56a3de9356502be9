package io.github.imapbackup.imap;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.imap.AppendBatch.Slot;
import io.github.imapbackup.MessageRejectedException;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.TargetFolder;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of the target account, selected on its own connection (or examined, for a dry run):
 * what it holds, listed as the source lists its messages, and APPENDs through an
 * {@link AppendPipeline}. Pipelined once a rejection handler is registered; without one each
 * APPEND waits for its answer, so that a refusal is thrown, as does one that carries a keyword the
 * folder has not taken yet ({@link TargetKeywords}). Sends STORE and EXPUNGE only when the engine
 * asks it to {@link #delete} messages (exactly those, by UID), never CLOSE: closing logs out.
 */
final class ImapTargetFolder implements TargetFolder {

    private static final Logger LOG = LoggerFactory.getLogger(ImapTargetFolder.class);

    /** Messages up to this size are held in memory before they are sent; bigger ones in a temporary file. */
    static final int SPOOL_MEMORY = 1 << 20;

    private final TargetConnection connection;
    private final String name;
    private final boolean writable;
    private final long uidValidity;
    private final TargetFlags flags;
    private final List<ArchivedMessage> listed;
    private final List<Slot> appended = new ArrayList<>();
    private final AppendPipeline pipeline;
    private final FolderQueries queries;
    private final int fetchSize;
    private final TargetKeywords keywords = new TargetKeywords();
    private Boolean multiappend;
    private BiConsumer<NewMessage, BackupException> onRejected;
    private BackupException broken;
    private boolean closed;

    ImapTargetFolder(TargetConnection connection, String name, boolean writable, long uidValidity,
            TargetFlags flags, List<MessageInfo> held, FolderQueries queries, int fetchSize, Spool.Spare spare) {
        this.connection = connection;
        this.name = name;
        this.writable = writable;
        this.uidValidity = uidValidity;
        this.flags = flags;
        this.pipeline = new AppendPipeline(name, SPOOL_MEMORY, spare);
        this.queries = queries;
        this.fetchSize = fetchSize;
        List<ArchivedMessage> list = new ArrayList<>(held.size());
        for (MessageInfo m : held) {
            list.add(new ArchivedMessage(uidValidity, m.uid(), m.identity(), 0, m.size(), null, m.size(),
                    m.internalDate(), m.flags(), false));
        }
        this.listed = list;
    }

    @Override
    public List<ArchivedMessage> messages() {
        List<ArchivedMessage> all = new ArrayList<>(listed);
        for (Slot s : appended) {
            if (s.refused == null) {
                all.add(s.entry);
            }
        }
        return Collections.unmodifiableList(all);
    }

    @Override
    public void onRejected(BiConsumer<NewMessage, BackupException> handler) {
        this.onRejected = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Appends a message. A keyword no APPEND of this folder stored yet, while PERMANENTFLAGS offer
     * {@code \*}, may still be refused (Dovecot refuses one longer than its
     * {@code mail_max_keyword_length} with {@code NO [CANNOT]}): such a message is sent alone and
     * waits for its answer, the messages before it going first; a refusal is retried from the
     * spool without the new keywords, longest first, so that the message is stored without them
     * (the engine counts them as dropped), and the keyword whose removal let it in is dropped up
     * front from then on. Messages whose keywords the folder took go pipelined, in batches.
     */
    @Override
    public ArchivedMessage append(NewMessage message, InputStream content) throws BackupException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(content, "content");
        checkWritable();
        if (multiappend == null) {
            multiappend = connection.has("MULTIAPPEND");
        }
        Set<String> kept = flags.filter(message.flags());
        kept.removeIf(keywords::refused);
        List<String> untried = keywords.untried(kept, flags.wildcard());
        boolean pipelined = onRejected != null && untried.isEmpty();
        if (!untried.isEmpty() && !pipeline.current().isEmpty()) {
            send(true); // the messages before it go first, so that it goes alone
        }
        AppendBatch batch = pipeline.current();
        Spool spool = batch.spool();
        try {
            spool.fill(content);
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            throw new FolderException(name, "cannot take the message " + message.identity()
                    + " for APPEND: " + Errors.text(e), e);
        }
        connection.pace(spool.length());
        Slot slot = slot(message, kept, spool);
        ArchivedMessage unconfirmed = slot.entry;
        batch.add(slot);
        if (!untried.isEmpty()) {
            return trace(slot, kept, untried);
        }
        if (!pipelined || !multiappend || batch.full()) {
            send(pipelined);
        }
        settle(slot);
        if (slot.refused != null) {
            throw rejection(slot); // known before append returns: thrown, never handed to the handler too
        }
        appended.add(slot);
        return pipelined ? unconfirmed : slot.entry;
    }

    private Slot slot(NewMessage message, Set<String> kept, Spool spool) {
        long length = spool.length();
        return new Slot(message, new ArchivedMessage(uidValidity, 0, message.identity(), 0, length, null,
                length, message.internalDate(), kept, false), TargetFlags.list(kept),
                TargetFlags.date(message.internalDate()), spool);
    }

    /** Sends {@code first} alone, then, while refused, again without each of {@code untried} in turn. */
    private ArchivedMessage trace(Slot first, Set<String> kept, List<String> untried) throws BackupException {
        try {
            Slot slot = first;
            exec(p -> pipeline.sendAlone(p, first));
            settle(first);
            for (int i = 0; slot.refused != null && !tooBig(first.refused) && i < untried.size(); i++) {
                kept.remove(untried.get(i));
                Slot retry = slot(first.message, kept, first.content);
                exec(p -> pipeline.sendAlone(p, retry));
                settle(retry);
                slot = retry;
                if (slot.refused == null) {
                    keywords.refuse(untried.get(i));
                    LOG.debug("\"{}\": the server refused the keyword(s) {} of {} ({}); stored without them", name,
                            untried.subList(0, i + 1), describe(first.message), first.refused);
                }
            }
            if (slot.refused != null) {
                throw rejection(first); // known before append returns: thrown, never handed to the handler too
            }
            keywords.take(kept);
            appended.add(slot);
            return slot.entry;
        } finally {
            pipeline.clearCurrent();
        }
    }

    /** Whether a refusal says the message is too big (RFC 5530): sending it again without keywords is no use. */
    private static boolean tooBig(String refused) {
        return refused.regionMatches(true, 0, "[TOOBIG]", 0, 8);
    }

    private void send(boolean pipelined) throws BackupException {
        exec(p -> pipeline.send(p, pipelined));
    }

    /** Runs {@code step} inside an APPEND command of the connection; a failure breaks the folder. */
    private void exec(ProtocolStep step) throws BackupException {
        try {
            connection.exec("APPEND", p -> {
                step.run(p);
                return null;
            });
        } catch (BackupException e) {
            broken = e;
            throw e;
        }
    }

    /** One use of the protocol layer. */
    private interface ProtocolStep {
        void run(IMAPProtocol p) throws ProtocolException;
    }

    @Override
    public void commit() throws BackupException {
        if (closed || !writable) {
            return;
        }
        if (broken != null) {
            // the appends after the failure have no answer: none of them may count as stored
            connection.close();
            throw new FolderException(name, "the folder failed before the messages appended since the last "
                    + "commit were confirmed: " + FolderException.reason(name, broken), broken);
        }
        exec(pipeline::drain);
        settle(null);
    }

    /**
     * Hands the refusals of earlier appends to the handler (not that of {@code current}, which
     * the caller throws); throws what means the folder cannot go on.
     */
    private void settle(Slot current) throws BackupException {
        BackupException fatal = null;
        Slot s;
        while ((s = pipeline.nextAnswered()) != null) {
            if (s.refused != null && onRejected != null && s != current) {
                onRejected.accept(s.message, rejection(s));
            } else if (s.fatal != null && fatal == null) {
                fatal = new FolderException(name, "the server refused an APPEND (" + describe(s.message) + "): "
                        + s.fatal + ResponseCodes.meaning(s.fatal), null);
            }
        }
        if (fatal != null) {
            broken = fatal;
            throw fatal;
        }
    }

    private MessageRejectedException rejection(Slot s) {
        return new MessageRejectedException("folder \"" + name + "\": the server refused the message ("
                + describe(s.message) + "): " + s.refused + ResponseCodes.meaning(s.refused));
    }

    private String describe(NewMessage m) {
        return m.identity() + ", INTERNALDATE " + m.internalDate()
                + (m.uid() > 0 ? ", source UID " + m.uid() : "");
    }

    @Override
    public InputStream openMessage(ArchivedMessage message) throws BackupException {
        if (message.uid() < 1 || queries == null) {
            throw new IllegalArgumentException("the target does not know the UID of this message: " + message);
        }
        if (closed) {
            throw new IllegalStateException("folder closed: " + name);
        }
        commit(); // the APPENDs in flight are answered before another command is sent
        return new BodyStream(queries::chunk, message.uid(), fetchSize);
    }

    /**
     * Deletes exactly these messages once every APPEND was answered: {@code UID STORE +FLAGS.SILENT
     * (\Deleted)}, then {@code UID EXPUNGE} with UIDPLUS; without UIDPLUS only flagged (see
     * {@link UidDeletion}).
     */
    @Override
    public long delete(List<ArchivedMessage> messages) throws BackupException {
        checkWritable();
        commit();
        long[] uids = messages.stream().mapToLong(ArchivedMessage::uid).filter(u -> u > 0).distinct().toArray();
        if (uids.length == 0) {
            return 0;
        }
        return UidDeletion.delete(connection::exec, connection.has("UIDPLUS"), uids,
                connection.where() + " \"" + name + "\"");
    }

    private void checkWritable() throws BackupException {
        if (closed) {
            throw new IllegalStateException("folder closed: " + name);
        }
        if (!writable) {
            throw new IllegalStateException("folder opened read-only: " + name);
        }
        if (broken != null) {
            throw new FolderException(name, "the folder cannot take more messages after an earlier failure: "
                    + FolderException.reason(name, broken), broken);
        }
    }

    /** Waits for every answer (reporting refusals), then logs out; idempotent. */
    @Override
    public void close() throws BackupException {
        if (closed) {
            return;
        }
        try {
            if (broken == null) {
                commit();
            }
        } finally {
            closed = true;
            pipeline.discard();
            connection.close();
        }
    }

    @Override
    public String toString() {
        return "ImapTargetFolder[" + name + (writable ? "" : ", read-only") + (closed ? ", closed" : "") + "]";
    }
}
