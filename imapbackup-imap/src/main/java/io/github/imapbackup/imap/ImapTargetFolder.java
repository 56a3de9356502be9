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

/**
 * A folder of the target account, selected on its own connection (or examined, for a dry run):
 * what it holds, listed as the source lists its messages, and APPENDs through an
 * {@link AppendPipeline}. Pipelined once a rejection handler is registered; without one each
 * APPEND waits for its answer, so that a refusal is thrown. Sends STORE and EXPUNGE only when the
 * engine asks it to {@link #delete} messages (exactly those, by UID), never CLOSE: closing logs out.
 */
final class ImapTargetFolder implements TargetFolder {

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

    @Override
    public ArchivedMessage append(NewMessage message, InputStream content) throws BackupException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(content, "content");
        checkWritable();
        boolean pipelined = onRejected != null;
        if (multiappend == null) {
            multiappend = connection.has("MULTIAPPEND");
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
        Set<String> kept = flags.filter(message.flags());
        long length = spool.length();
        Slot slot = new Slot(message, new ArchivedMessage(uidValidity, 0, message.identity(), 0, length, null,
                length, message.internalDate(), kept, false), TargetFlags.list(kept),
                TargetFlags.date(message.internalDate()), spool);
        ArchivedMessage unconfirmed = slot.entry;
        batch.add(slot);
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

    private void send(boolean pipelined) throws BackupException {
        try {
            connection.exec("APPEND", p -> {
                pipeline.send(p, pipelined);
                return null;
            });
        } catch (BackupException e) {
            broken = e;
            throw e;
        }
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
    private void settle(Slot current) throws BackupException {
        BackupException fatal = null;
        Slot s;
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

    private MessageRejectedException rejection(Slot s) {
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
                    + broken.getMessage(), broken);
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
