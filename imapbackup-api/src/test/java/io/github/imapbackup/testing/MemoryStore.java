package io.github.imapbackup.testing;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link MailboxStore} that honours the SPI contract: appends are visible to the open
 * archive at once and durable at {@link FolderArchive#commit()} (or close); an append whose content
 * fails leaves nothing; one writer per folder; {@code updateFlags} and {@code markExpunged} address
 * a UID under the UIDVALIDITY of the latest {@code state(...)} (pending or committed), as the mbox
 * store does. Tests can inspect what was committed, count writes, and damage the store between
 * runs (lose the index, roll the state back, drop uncommitted work as a crash would). Thread-safe.
 *
 * <pre>{@code
 * MemoryStore store = new MemoryStore();
 * BackupSession.builder().source(source).target(store).build().run();
 * assertThat(store.messages("INBOX")).hasSize(3);
 * store.loseIndex("INBOX");   // as if the index had been rebuilt from the mbox file alone
 * }</pre>
 */
public final class MemoryStore implements MailboxStore {

    /** Bytes a separator line and the blank line add per message in this pretend mbox. */
    private static final int SEPARATOR = 60;

    private final Map<String, Box> boxes = new LinkedHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();
    private final AtomicInteger appends = new AtomicInteger();

    /** The committed contents of one folder. */
    private static final class Box {
        FolderInfo info;
        List<Entry> entries = new ArrayList<>();
        FolderState state;
        Archive writer;
        boolean failAppends;
        boolean failCommits;
    }

    /** One stored message; mutable copies live in open archives. */
    private static final class Entry {
        long uidValidity;
        long uid;
        ArchivedMessage base;
        Set<String> flags;
        boolean expunged;
        byte[] content;

        Entry copy() {
            Entry e = new Entry();
            e.uidValidity = uidValidity;
            e.uid = uid;
            e.base = base;
            e.flags = flags;
            e.expunged = expunged;
            e.content = content;
            return e;
        }

        ArchivedMessage message() {
            return new ArchivedMessage(uidValidity, uid, base.identity(), base.offset(), base.length(),
                    base.sha256(), base.size(), base.internalDate(), flags, expunged);
        }
    }

    // ---- inspection and damage ---------------------------------------------------------------

    /** Returns the names of the folders holding committed data, in creation order. */
    public synchronized List<String> folderNames() {
        return List.copyOf(boxes.keySet());
    }

    /**
     * Returns the committed messages of a folder (empty when none).
     *
     * @param folder the folder name
     * @return the messages in mbox order
     */
    public synchronized List<ArchivedMessage> messages(String folder) {
        Box b = boxes.get(folder);
        return b == null ? List.of() : b.entries.stream().map(Entry::message).toList();
    }

    /**
     * Returns the committed bytes of a stored message.
     *
     * @param folder the folder name
     * @param message one of {@link #messages(String)}
     * @return the bytes
     */
    public synchronized byte[] content(String folder, ArchivedMessage message) {
        return boxes.get(folder).entries.stream().filter(e -> e.base.offset() == message.offset())
                .findFirst().orElseThrow().content.clone();
    }

    /**
     * Returns the committed state of a folder.
     *
     * @param folder the folder name
     * @return the state, if any
     */
    public synchronized Optional<FolderState> state(String folder) {
        Box b = boxes.get(folder);
        return b == null ? Optional.empty() : Optional.ofNullable(b.state);
    }

    /** Returns how many writing operations (append, adopt, flags, expunge, state, commit of changes) were made. */
    public int writes() {
        return writes.get();
    }

    /** Returns how many commits were made. */
    public int commits() {
        return commits.get();
    }

    /** Returns how many messages were appended (committed or not). */
    public int appends() {
        return appends.get();
    }

    /**
     * Keeps only what the mbox file itself holds, as if the index had been rebuilt from it: the
     * messages with identity, length and SHA-256; UIDs, UIDVALIDITY, RFC822.SIZE (set to the
     * length), flags, expunge marks and the folder state are lost.
     *
     * @param folder the folder name
     */
    public synchronized void loseIndex(String folder) {
        Box b = box(folder);
        for (Entry e : b.entries) {
            ArchivedMessage m = e.base;
            e.uidValidity = 0;
            e.uid = 0;
            e.flags = Set.of();
            e.expunged = false;
            e.base = new ArchivedMessage(0, 0, m.identity(), m.offset(), m.length(), m.sha256(), m.length(),
                    m.internalDate(), Set.of(), false);
        }
        b.state = null;
    }

    /**
     * Replaces the committed state (e.g. rolls it back, as a crash between append and state
     * commit would leave it), or removes it (null).
     *
     * @param folder the folder name
     * @param state the state, or null
     */
    public synchronized void state(String folder, FolderState state) {
        box(folder).state = state;
    }

    /**
     * Makes every append to the folder fail (after reading part of the content).
     *
     * @param folder the folder name
     * @param on whether appends fail
     */
    public synchronized void failAppends(String folder, boolean on) {
        boxes.computeIfAbsent(folder, k -> new Box()).failAppends = on;
    }

    /**
     * Makes every commit of the folder fail, as a full disk would: what was appended since the last
     * commit is lost and the archive object becomes unusable (close then does nothing).
     *
     * @param folder the folder name
     * @param on whether commits fail
     */
    public synchronized void failCommits(String folder, boolean on) {
        boxes.computeIfAbsent(folder, k -> new Box()).failCommits = on;
    }

    /**
     * Simulates a crash of the writer of a folder: what it did since its last commit is lost and
     * the archive object becomes unusable.
     *
     * @param folder the folder name
     */
    public synchronized void crash(String folder) {
        Box b = box(folder);
        if (b.writer != null) {
            b.writer.crashed = true;
            b.writer = null;
        }
    }

    private Box box(String folder) {
        Box b = boxes.get(folder);
        if (b == null) {
            throw new IllegalArgumentException("no folder " + folder + " in the store");
        }
        return b;
    }

    // ---- MailboxStore --------------------------------------------------------------------------

    @Override
    public synchronized FolderArchive open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        Box b = boxes.computeIfAbsent(folder.name(), k -> new Box());
        if (b.writer != null) {
            throw new IllegalStateException("folder " + folder.name() + " is already open for writing");
        }
        if (b.info == null) {
            b.info = folder;
        }
        Archive a = new Archive(b, folder, true);
        b.writer = a;
        return a;
    }

    @Override
    public synchronized Optional<FolderArchive> openReadOnly(FolderInfo folder) {
        Box b = boxes.get(folder.name());
        if (b == null || b.info == null) {
            return Optional.empty();
        }
        return Optional.of(new Archive(b, folder, false));
    }

    @Override
    public synchronized List<FolderInfo> folders() {
        return boxes.values().stream().filter(b -> b.info != null).map(b -> b.info).toList();
    }

    @Override
    public String location(FolderInfo folder) {
        return folder.name() + ".mbox";
    }

    @Override
    public String describe() {
        return "memory store";
    }

    @Override
    public String toString() {
        return "MemoryStore" + folderNames();
    }

    /** An open archive: a working copy published at commit. */
    private final class Archive implements FolderArchive {

        private final Box box;
        private final FolderInfo folder;
        private final boolean writable;
        private final List<Entry> entries = new ArrayList<>();
        private FolderState committedState;
        private FolderState pendingState;
        private boolean closed;
        private boolean dirty;
        boolean crashed;

        Archive(Box box, FolderInfo folder, boolean writable) {
            this.box = box;
            this.folder = folder;
            this.writable = writable;
            box.entries.forEach(e -> entries.add(e.copy()));
            committedState = box.state;
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("archive closed");
            }
            if (crashed) {
                throw new IllegalStateException("archive crashed");
            }
        }

        private void checkWritable() {
            checkOpen();
            if (!writable) {
                throw new IllegalStateException("archive of " + folder.name() + " is read-only");
            }
        }

        private void written() {
            checkWritable();
            writes.incrementAndGet();
            dirty = true;
        }

        @Override
        public Optional<FolderState> state() {
            synchronized (MemoryStore.this) {
                checkOpen();
                return Optional.ofNullable(committedState);
            }
        }

        @Override
        public List<ArchivedMessage> messages() {
            synchronized (MemoryStore.this) {
                checkOpen();
                return entries.stream().map(Entry::message).toList();
            }
        }

        @Override
        public ArchivedMessage append(NewMessage message, InputStream content) throws BackupException {
            Objects.requireNonNull(message, "message");
            synchronized (MemoryStore.this) {
                written();
            }
            byte[] bytes;
            try {
                if (box.failAppends) {
                    content.read(new byte[16]);
                    throw new IOException("injected append failure");
                }
                bytes = content.readAllBytes();
            } catch (BackupException e) {
                throw e;
            } catch (IOException e) {
                throw new FolderException(folder.name(), message.uid(), "append failed: " + e.getMessage(), e);
            }
            synchronized (MemoryStore.this) {
                checkOpen();
                long offset = 0;
                for (Entry e : entries) {
                    offset = Math.max(offset, e.base.offset() + e.base.length() + SEPARATOR);
                }
                Entry e = new Entry();
                e.uidValidity = message.uidValidity();
                e.uid = message.uid();
                e.flags = message.flags();
                e.content = bytes;
                e.base = new ArchivedMessage(message.uidValidity(), message.uid(), message.identity(), offset,
                        bytes.length, sha256(bytes), message.size() >= 0 ? message.size() : bytes.length,
                        message.internalDate(), message.flags(), false);
                entries.add(e);
                appends.incrementAndGet();
                return e.message();
            }
        }

        private Entry byUid(long uid) {
            FolderState s = pendingState != null ? pendingState : committedState;
            long uv = s == null ? 0 : s.uidValidity();
            for (long v : new long[] {uv, 0}) {
                for (Entry e : entries) {
                    if (e.uid == uid && e.uidValidity == v) {
                        return e;
                    }
                }
            }
            throw new IllegalArgumentException("folder \"" + folder.name() + "\" has no archived message with UID "
                    + uid + " under UIDVALIDITY " + uv);
        }

        @Override
        public void updateFlags(long uid, Set<String> flags) {
            synchronized (MemoryStore.this) {
                written();
                byUid(uid).flags = Set.copyOf(flags);
            }
        }

        @Override
        public void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags) {
            synchronized (MemoryStore.this) {
                written();
                Entry e = entries.stream().filter(x -> x.base.offset() == message.offset()
                        && x.base.sha256().equals(message.sha256())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("not a message of " + folder.name()));
                e.uidValidity = uidValidity;
                e.uid = uid;
                e.flags = Set.copyOf(flags);
                e.expunged = false;
            }
        }

        @Override
        public void markExpunged(long uid) {
            synchronized (MemoryStore.this) {
                written();
                byUid(uid).expunged = true;
            }
        }

        @Override
        public void state(FolderState state) {
            synchronized (MemoryStore.this) {
                written();
                pendingState = Objects.requireNonNull(state, "state");
            }
        }

        @Override
        public void commit() throws BackupException {
            synchronized (MemoryStore.this) {
                checkWritable();
                if (!dirty) {
                    return;
                }
                if (box.failCommits) {
                    crashed = true;
                    if (box.writer == this) {
                        box.writer = null;
                    }
                    throw new FolderException(folder.name(), "commit failed: injected: No space left on device", null);
                }
                dirty = false;
                writes.incrementAndGet();
                box.entries = new ArrayList<>();
                entries.forEach(e -> box.entries.add(e.copy()));
                if (pendingState != null) {
                    committedState = pendingState;
                    box.state = pendingState;
                    pendingState = null;
                }
                if (box.info == null) {
                    box.info = folder;
                }
                commits.incrementAndGet();
            }
        }

        @Override
        public InputStream openMessage(ArchivedMessage message) {
            synchronized (MemoryStore.this) {
                checkOpen();
                return new ByteArrayInputStream(entries.stream()
                        .filter(e -> e.base.offset() == message.offset()).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("not a message of " + folder.name()))
                        .content);
            }
        }

        @Override
        public void close() throws BackupException {
            synchronized (MemoryStore.this) {
                if (closed) {
                    return;
                }
                if (writable && !crashed) {
                    try {
                        commit();
                    } finally {
                        closed = true;
                        if (box.writer == this) {
                            box.writer = null;
                        }
                    }
                }
                closed = true;
                if (box.writer == this) {
                    box.writer = null;
                }
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
