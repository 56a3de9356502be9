package io.github.imapbackup.imap;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of the target account, selected on its own connection (or examined, for a dry run):
 * what it holds, listed as the source lists its messages, and APPENDs through an
 * {@link AppendPipeline}. Pipelined once a rejection handler is registered; without one each
 * APPEND waits for its answer, so that a refusal is thrown. Never sends EXPUNGE, STORE or CLOSE:
 * closing logs out.
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
    private final List<AppendPipeline.Slot> appended = new ArrayList<>();
    private final AppendPipeline pipeline;
    private final FolderQueries queries;
    private final int fetchSize;
    private final Spool spool = new Spool(SPOOL_MEMORY);
    private final TargetKeywords keywords = new TargetKeywords();
    private BiConsumer<NewMessage, BackupException> onRejected;
    private BackupException broken;
    private boolean closed;

    ImapTargetFolder(TargetConnection connection, String name, boolean writable, long uidValidity,
            TargetFlags flags, List<MessageInfo> held, FolderQueries queries, int fetchSize) {
        this.connection = connection;
        this.name = name;
        this.writable = writable;
        this.uidValidity = uidValidity;
        this.flags = flags;
        this.pipeline = new AppendPipeline(name);
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
        for (AppendPipeline.Slot s : appended) {
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
     * Appends a message. A keyword neither listed in the folder's PERMANENTFLAGS nor taken by an
     * earlier APPEND of this folder is sent unpipelined, so that a refusal (Dovecot refuses a
     * keyword longer than its {@code mail_max_keyword_length} although it offers {@code \*})
     * can be retried from the spool without the new keywords, longest first: the message is
     * stored and the keywords it lost are dropped (and counted by the engine); the one whose
     * removal let it in is dropped up front from then on.
     */
    @Override
    public ArchivedMessage append(NewMessage message, InputStream content) throws BackupException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(content, "content");
        checkWritable();
        try {
            spool.fill(content);
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            throw new FolderException(name, "cannot take the message " + message.identity()
                    + " for APPEND: " + Errors.text(e), e);
        }
        try {
            Set<String> kept = flags.filter(message.flags());
            kept.removeIf(f -> keywords.refused(f));
            List<String> untried = keywords.untried(kept, flags);
            boolean pipelined = onRejected != null && untried.isEmpty();
            AppendPipeline.Slot slot = send(message, kept, pipelined);
            AppendPipeline.Slot first = slot;
            for (int i = 0; slot.refused != null && i < untried.size(); i++) {
                kept.remove(untried.get(i));
                slot = send(message, kept, false);
                if (slot.refused == null) {
                    keywords.refuse(untried.get(i));
                    LOG.debug("\"{}\": the server refused the keyword(s) {} of {} ({}); stored without them", name,
                            untried.subList(0, i + 1), describe(message), first.refused);
                }
            }
            if (slot.refused != null) {
                throw rejection(first); // known before append returns: thrown, never handed to the handler too
            }
            keywords.take(kept);
            appended.add(slot);
            return pipelined ? slot.unconfirmed : slot.entry;
        } finally {
            closeSpool();
        }
    }

    /** Sends one APPEND of the spooled message with these flags; settles the answers read so far. */
    private AppendPipeline.Slot send(NewMessage message, Set<String> kept, boolean pipelined) throws BackupException {
        long length = spool.length();
        AppendPipeline.Slot slot = new AppendPipeline.Slot(message, new ArchivedMessage(uidValidity, 0,
                message.identity(), 0, length, null, length, message.internalDate(), kept, false));
        String list = TargetFlags.list(kept);
        String date = TargetFlags.date(message.internalDate());
        try {
            connection.exec("APPEND", p -> {
                pipeline.append(p, slot, list, date, spool, pipelined);
                return null;
            });
        } catch (BackupException e) {
            broken = e;
            throw e;
        }
        settle(slot);
        return slot;
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
                    + "commit were confirmed: " + broken.getMessage(), broken);
        }
        try {
            connection.exec("APPEND", p -> {
                pipeline.drain(p);
                return null;
            });
        } catch (BackupException e) {
            broken = e;
            throw e;
        }
        settle(null);
    }

    /**
     * Hands the refusals of earlier appends to the handler (not that of {@code current}, which
     * the caller throws); throws what means the folder cannot go on.
     */
    private void settle(AppendPipeline.Slot current) throws BackupException {
        BackupException fatal = null;
        AppendPipeline.Slot s;
        while ((s = pipeline.nextAnswered()) != null) {
            if (s.refused != null && onRejected != null && s != current) {
                onRejected.accept(s.message, rejection(s));
            } else if (s.fatal != null && fatal == null) {
                fatal = new FolderException(name, "the server refused an APPEND (" + describe(s.message) + "): "
                        + s.fatal, null);
            }
        }
        if (fatal != null) {
            broken = fatal;
            throw fatal;
        }
    }

    private MessageRejectedException rejection(AppendPipeline.Slot s) {
        return new MessageRejectedException("folder \"" + name + "\": the server refused the message ("
                + describe(s.message) + "): " + s.refused);
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

    private void checkWritable() throws BackupException {
        if (closed) {
            throw new IllegalStateException("folder closed: " + name);
        }
        if (!writable) {
            throw new IllegalStateException("folder opened read-only: " + name);
        }
        if (broken != null) {
            throw new FolderException(name, "the folder cannot take more messages after an earlier failure: "
                    + broken.getMessage(), broken);
        }
    }

    private void closeSpool() {
        try {
            spool.close();
        } catch (IOException e) {
            LOG.debug("\"{}\": cannot delete a temporary file", name, e);
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
            closeSpool();
            connection.close();
        }
    }

    @Override
    public String toString() {
        return "ImapTargetFolder[" + name + (writable ? "" : ", read-only") + (closed ? ", closed" : "") + "]";
    }
}
