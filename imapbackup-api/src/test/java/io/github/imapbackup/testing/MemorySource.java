package io.github.imapbackup.testing;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderStatus;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.MessageInfo;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link MessageSource} for tests: folders and messages that a test changes between
 * runs (add, expunge, change flags, change UIDVALIDITY, switch CONDSTORE), counters of every call,
 * and injected failures (a connection that drops at the N-th message, a failing folder or message,
 * a stream that stalls). Thread-safe; every connection sees the same data.
 *
 * <pre>{@code
 * MemorySource source = new MemorySource();
 * MemorySource.Folder inbox = source.folder("INBOX");
 * long uid = inbox.add("Message-ID: <a@b>\r\n\r\nhello\r\n");
 * inbox.flags(uid, "\\Seen");
 * source.dropConnectionAtOpenMessage(2);   // the 2nd body fetch from now on breaks the connection
 * }</pre>
 */
public final class MemorySource implements MessageSource {

    private final String description;
    private final Map<String, Folder> folders = new LinkedHashMap<>();
    private final Set<String> capabilities = new LinkedHashSet<>(List.of("IMAP4rev1", "UIDPLUS"));

    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger listCalls = new AtomicInteger();
    private final AtomicInteger statusCalls = new AtomicInteger();
    private final AtomicInteger openCalls = new AtomicInteger();
    private final AtomicInteger messagesCalls = new AtomicInteger();
    private final AtomicInteger flagsCalls = new AtomicInteger();
    private final AtomicInteger uidsCalls = new AtomicInteger();
    private final AtomicInteger openMessageCalls = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();

    private BackupException connectFailure;
    private int connectFailures;
    private int dropAtOpenMessage;
    private int dropMidStreamAt;
    private long dropMidStreamAfter;
    private int stallAt;
    private CountDownLatch stalled = new CountDownLatch(1);
    private CountDownLatch release = new CountDownLatch(1);
    private long nextUidValidity = 1000;

    /** Creates an empty source described as {@code memory://test}. */
    public MemorySource() {
        this("memory://test");
    }

    /**
     * Creates an empty source.
     *
     * @param description what {@link #describe()} returns
     */
    public MemorySource(String description) {
        this.description = description;
    }

    /**
     * Returns the folder with this name, creating it (delimiter {@code /}, subscribed, CONDSTORE
     * on) when absent.
     *
     * @param name the full name
     * @return the folder
     */
    public synchronized Folder folder(String name) {
        return folders.computeIfAbsent(name, n -> new Folder(n, nextUidValidity++));
    }

    /**
     * Deletes a folder.
     *
     * @param name the full name
     */
    public synchronized void deleteFolder(String name) {
        folders.remove(name);
    }

    /**
     * Sets the capabilities announced ({@code IMAP4rev1 UIDPLUS} by default).
     *
     * @param names the capabilities
     */
    public synchronized void capabilities(String... names) {
        capabilities.clear();
        capabilities.addAll(List.of(names));
    }

    // ---- failure injection -------------------------------------------------------------------

    /**
     * Makes the next {@code times} calls of {@link #connect()} throw {@code failure} (e.g. an
     * {@link io.github.imapbackup.AuthenticationException}).
     *
     * @param failure what to throw
     * @param times how many times; {@link Integer#MAX_VALUE} for always
     */
    public synchronized void failConnect(BackupException failure, int times) {
        this.connectFailure = failure;
        this.connectFailures = times;
    }

    /**
     * Breaks the connection at the {@code n}-th {@code openMessage} call from now on (1 = the next):
     * it throws {@link ConnectionException} and the connection stays dead. One-shot.
     *
     * @param n which call
     */
    public synchronized void dropConnectionAtOpenMessage(int n) {
        dropAtOpenMessage = openMessageCalls.get() + n;
    }

    /**
     * Breaks the connection in the middle of the {@code n}-th message stream from now on: the
     * stream throws {@link ConnectionException} after {@code afterBytes} bytes. One-shot.
     *
     * @param n which {@code openMessage} call
     * @param afterBytes bytes delivered first
     */
    public synchronized void dropConnectionMidStream(int n, long afterBytes) {
        dropMidStreamAt = openMessageCalls.get() + n;
        dropMidStreamAfter = afterBytes;
    }

    /**
     * Makes the {@code n}-th message stream from now on stall before its first byte until
     * {@link #releaseStall()} (or the reading thread is interrupted). One-shot.
     *
     * @param n which {@code openMessage} call
     */
    public synchronized void stallAtOpenMessage(int n) {
        stallAt = openMessageCalls.get() + n;
        stalled = new CountDownLatch(1);
        release = new CountDownLatch(1);
    }

    /**
     * Waits until a stream stalls.
     *
     * @param seconds how long to wait at most
     * @return whether it stalled
     * @throws InterruptedException if interrupted
     */
    public boolean awaitStall(long seconds) throws InterruptedException {
        CountDownLatch s;
        synchronized (this) {
            s = stalled;
        }
        return s.await(seconds, TimeUnit.SECONDS);
    }

    /** Lets a stalled stream go on. */
    public synchronized void releaseStall() {
        release.countDown();
    }

    // ---- counters ----------------------------------------------------------------------------

    /** Returns how often {@link #connect()} was called (successful or not). */
    public int connects() {
        return connects.get();
    }

    /** Returns how many LIST calls were made. */
    public int listCalls() {
        return listCalls.get();
    }

    /** Returns how many STATUS calls were made. */
    public int statusCalls() {
        return statusCalls.get();
    }

    /** Returns how many folders were opened (EXAMINE). */
    public int openCalls() {
        return openCalls.get();
    }

    /** Returns how many metadata fetches ({@code messages(fromUid)}) were made. */
    public int messagesCalls() {
        return messagesCalls.get();
    }

    /** Returns how many flag fetches were made. */
    public int flagsCalls() {
        return flagsCalls.get();
    }

    /** Returns how many UID SEARCH ALL ({@code uids()}) calls were made. */
    public int uidsCalls() {
        return uidsCalls.get();
    }

    /** Returns how many message bodies were opened. */
    public int openMessageCalls() {
        return openMessageCalls.get();
    }

    /** Returns how many connections are open now. */
    public int openConnections() {
        return openConnections.get();
    }

    /** Sets every counter to zero (not the open connections). */
    public void resetCounters() {
        for (AtomicInteger c : List.of(connects, listCalls, statusCalls, openCalls, messagesCalls,
                flagsCalls, uidsCalls, openMessageCalls)) {
            c.set(0);
        }
    }

    // ---- MessageSource ----------------------------------------------------------------------

    @Override
    public SourceConnection connect() throws BackupException {
        connects.incrementAndGet();
        synchronized (this) {
            if (connectFailures > 0) {
                if (connectFailures != Integer.MAX_VALUE) {
                    connectFailures--;
                }
                throw connectFailure;
            }
        }
        openConnections.incrementAndGet();
        return new Connection();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return "MemorySource[" + description + "]";
    }

    private synchronized Folder existing(String name) throws FolderException {
        Folder f = folders.get(name);
        if (f == null) {
            throw new FolderException(name, "no such folder", null);
        }
        return f;
    }

    // ---- folders and messages ----------------------------------------------------------------

    /** One folder of the source; change it between runs. All methods are thread-safe. */
    public final class Folder {

        private final String name;
        private String delimiter = "/";
        private Set<String> attributes = Set.of();
        private boolean subscribed = true;
        private long uidValidity;
        private long uidNext = 1;
        private boolean condstore = true;
        private long highestModSeq = 1;
        private boolean failing;
        private final Set<Long> failingUids = new LinkedHashSet<>();
        private final TreeMap<Long, Message> messages = new TreeMap<>();

        private Folder(String name, long uidValidity) {
            this.name = name;
            this.uidValidity = uidValidity;
        }

        /** Returns the full name. */
        public String name() {
            return name;
        }

        /**
         * Adds a message with no flags, INTERNALDATE 2026-11-21T23:39:50Z.
         *
         * @param content the message (ISO-8859-1 chars are its bytes)
         * @return its UID
         */
        public long add(String content) {
            return add(content.getBytes(StandardCharsets.ISO_8859_1));
        }

        /**
         * Adds a message.
         *
         * @param content the exact bytes
         * @param flags its flags and keywords
         * @return its UID
         */
        public long add(byte[] content, String... flags) {
            return add(content, Instant.parse("2026-11-21T23:39:50Z"), null, flags);
        }

        /**
         * Adds a message.
         *
         * @param content the exact bytes
         * @param internalDate its INTERNALDATE
         * @param sender the envelope sender, or null
         * @param flags its flags and keywords
         * @return its UID
         */
        public long add(byte[] content, Instant internalDate, String sender, String... flags) {
            MessageIdentity identity;
            try {
                identity = MessageIdExtractor.standard().identify(new ByteArrayInputStream(content));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            synchronized (MemorySource.this) {
                long uid = uidNext++;
                messages.put(uid, new Message(uid, content.clone(), Set.of(flags), internalDate, sender,
                        identity, ++highestModSeq));
                return uid;
            }
        }

        /**
         * Removes a message (EXPUNGE).
         *
         * @param uid its UID
         */
        public void expunge(long uid) {
            synchronized (MemorySource.this) {
                if (messages.remove(uid) == null) {
                    throw new IllegalArgumentException("no UID " + uid + " in " + name);
                }
                highestModSeq++;
            }
        }

        /**
         * Replaces the flags of a message.
         *
         * @param uid its UID
         * @param flags the new flags and keywords
         */
        public void flags(long uid, String... flags) {
            synchronized (MemorySource.this) {
                Message m = messages.get(uid);
                if (m == null) {
                    throw new IllegalArgumentException("no UID " + uid + " in " + name);
                }
                m.flags = Set.of(flags);
                m.modSeq = ++highestModSeq;
            }
        }

        /**
         * Changes UIDVALIDITY, as a server does after rebuilding its index: every message gets a
         * new UID, from 1 in the present order.
         *
         * @param newUidValidity the new value
         */
        public void uidValidity(long newUidValidity) {
            synchronized (MemorySource.this) {
                List<Message> all = new ArrayList<>(messages.values());
                messages.clear();
                uidValidity = newUidValidity;
                uidNext = 1;
                for (Message m : all) {
                    m.uid = uidNext++;
                    messages.put(m.uid, m);
                }
                highestModSeq++;
            }
        }

        /**
         * Switches CONDSTORE for this folder (on by default); without it HIGHESTMODSEQ and MODSEQ
         * are reported as 0.
         *
         * @param on whether the server has CONDSTORE
         */
        public void condstore(boolean on) {
            synchronized (MemorySource.this) {
                condstore = on;
            }
        }

        /**
         * Sets the LIST attributes, e.g. {@code \Noselect}.
         *
         * @param names the attributes
         */
        public void attributes(String... names) {
            synchronized (MemorySource.this) {
                attributes = Set.of(names);
            }
        }

        /**
         * Sets the hierarchy delimiter (default {@code /}; empty for none).
         *
         * @param delimiter the delimiter
         */
        public void delimiter(String delimiter) {
            synchronized (MemorySource.this) {
                this.delimiter = delimiter;
            }
        }

        /**
         * Sets whether the folder is subscribed (default yes).
         *
         * @param on whether it is
         */
        public void subscribed(boolean on) {
            synchronized (MemorySource.this) {
                subscribed = on;
            }
        }

        /**
         * Makes STATUS and EXAMINE of this folder fail with a {@link FolderException}.
         *
         * @param on whether they fail
         */
        public void failing(boolean on) {
            synchronized (MemorySource.this) {
                failing = on;
            }
        }

        /**
         * Makes fetching the body of one message fail with a {@link FolderException}.
         *
         * @param uid the UID
         * @param on whether it fails
         */
        public void failMessage(long uid, boolean on) {
            synchronized (MemorySource.this) {
                if (on) {
                    failingUids.add(uid);
                } else {
                    failingUids.remove(uid);
                }
            }
        }

        /** Returns UIDVALIDITY. */
        public long uidValidity() {
            synchronized (MemorySource.this) {
                return uidValidity;
            }
        }

        /** Returns the UIDs, ascending. */
        public long[] uids() {
            synchronized (MemorySource.this) {
                return messages.keySet().stream().mapToLong(Long::longValue).toArray();
            }
        }

        /** Returns the number of messages. */
        public int size() {
            synchronized (MemorySource.this) {
                return messages.size();
            }
        }

        /**
         * Returns a message's bytes.
         *
         * @param uid its UID
         * @return a copy of the bytes
         */
        public byte[] content(long uid) {
            synchronized (MemorySource.this) {
                Message m = messages.get(uid);
                if (m == null) {
                    throw new IllegalArgumentException("no UID " + uid + " in " + name);
                }
                return m.content.clone();
            }
        }

        /**
         * Returns a message's flags.
         *
         * @param uid its UID
         * @return the flags
         */
        public Set<String> flagsOf(long uid) {
            synchronized (MemorySource.this) {
                return messages.get(uid).flags;
            }
        }

        FolderInfo info() {
            return new FolderInfo(name, delimiter, attributes, subscribed);
        }

        FolderStatus status() {
            return new FolderStatus(messages.size(), uidValidity, uidNext, condstore ? highestModSeq : 0);
        }

        void checkFailing() throws FolderException {
            if (failing) {
                throw new FolderException(name, "injected folder failure", null);
            }
        }
    }

    /** One message on the source. */
    private static final class Message {
        long uid;
        final byte[] content;
        Set<String> flags;
        final Instant internalDate;
        final String sender;
        final MessageIdentity identity;
        long modSeq;

        Message(long uid, byte[] content, Set<String> flags, Instant internalDate, String sender,
                MessageIdentity identity, long modSeq) {
            this.uid = uid;
            this.content = content;
            this.flags = flags;
            this.internalDate = internalDate;
            this.sender = sender;
            this.identity = identity;
            this.modSeq = modSeq;
        }
    }

    // ---- connections ---------------------------------------------------------------------------

    /** One connection; dead after an injected drop. */
    private final class Connection implements SourceConnection {

        private boolean closed;
        private boolean dead;

        private void check() throws ConnectionException {
            synchronized (MemorySource.this) {
                if (closed) {
                    throw new IllegalStateException("connection closed");
                }
                if (dead) {
                    throw new ConnectionException("connection to " + description + " lost", null);
                }
            }
        }

        @Override
        public List<FolderInfo> folders() throws BackupException {
            check();
            listCalls.incrementAndGet();
            synchronized (MemorySource.this) {
                return MemorySource.this.folders.values().stream().map(Folder::info).toList();
            }
        }

        @Override
        public FolderStatus status(FolderInfo folder) throws BackupException {
            check();
            statusCalls.incrementAndGet();
            synchronized (MemorySource.this) {
                Folder f = existing(folder.name());
                f.checkFailing();
                return f.status();
            }
        }

        @Override
        public SourceFolder open(FolderInfo folder) throws BackupException {
            check();
            openCalls.incrementAndGet();
            synchronized (MemorySource.this) {
                Folder f = existing(folder.name());
                f.checkFailing();
                return new OpenFolder(this, f, f.status());
            }
        }

        @Override
        public boolean hasCapability(String capability) {
            synchronized (MemorySource.this) {
                return capabilities.stream().anyMatch(c -> c.equalsIgnoreCase(capability))
                        || capability.equalsIgnoreCase("CONDSTORE")
                        && MemorySource.this.folders.values().stream().anyMatch(f -> f.condstore);
            }
        }

        @Override
        public void close() {
            synchronized (MemorySource.this) {
                if (!closed) {
                    closed = true;
                    openConnections.decrementAndGet();
                }
            }
        }
    }

    /** A folder opened read-only. */
    private final class OpenFolder implements SourceFolder {

        private final Connection connection;
        private final Folder folder;
        private final FolderStatus status;
        private boolean closed;

        OpenFolder(Connection connection, Folder folder, FolderStatus status) {
            this.connection = connection;
            this.folder = folder;
            this.status = status;
        }

        private void check() throws ConnectionException {
            if (closed) {
                throw new IllegalStateException("folder closed");
            }
            connection.check();
        }

        @Override
        public FolderInfo folder() {
            synchronized (MemorySource.this) {
                return folder.info();
            }
        }

        @Override
        public FolderStatus status() {
            return status;
        }

        @Override
        public List<MessageInfo> messages(long fromUid) throws BackupException {
            check();
            messagesCalls.incrementAndGet();
            synchronized (MemorySource.this) {
                checkValidity();
                List<MessageInfo> out = new ArrayList<>();
                for (Message m : folder.messages.tailMap(Math.max(1, fromUid), true).values()) {
                    out.add(new MessageInfo(m.uid, m.content.length, m.internalDate, m.flags, m.identity,
                            folder.condstore ? m.modSeq : 0, m.sender));
                }
                return out;
            }
        }

        @Override
        public long[] uids() throws BackupException {
            check();
            uidsCalls.incrementAndGet();
            synchronized (MemorySource.this) {
                checkValidity();
                return folder.messages.keySet().stream().mapToLong(Long::longValue).toArray();
            }
        }

        @Override
        public Map<Long, Set<String>> flags(long modSeq) throws BackupException {
            check();
            flagsCalls.incrementAndGet();
            synchronized (MemorySource.this) {
                checkValidity();
                Map<Long, Set<String>> out = new LinkedHashMap<>();
                for (Message m : folder.messages.values()) {
                    if (!folder.condstore || modSeq <= 0 || m.modSeq > modSeq) {
                        out.put(m.uid, m.flags);
                    }
                }
                return out;
            }
        }

        /** A real server would close the folder when UIDVALIDITY changes under it. */
        private void checkValidity() throws FolderException {
            if (folder.uidValidity != status.uidValidity()) {
                throw new FolderException(folder.name, "UIDVALIDITY changed while open", null);
            }
        }

        @Override
        public InputStream openMessage(long uid) throws BackupException {
            check();
            int call = openMessageCalls.incrementAndGet();
            byte[] content;
            boolean stall;
            long dropAfter = -1;
            synchronized (MemorySource.this) {
                if (call == dropAtOpenMessage) {
                    dropAtOpenMessage = 0;
                    connection.dead = true;
                    throw new ConnectionException("injected connection drop at UID " + uid, null);
                }
                checkValidity();
                Message m = folder.messages.get(uid);
                if (m == null) {
                    throw new FolderException(folder.name, uid, "no such message", null);
                }
                if (folder.failingUids.contains(uid)) {
                    throw new FolderException(folder.name, uid, "injected message failure", null);
                }
                content = m.content;
                stall = call == stallAt;
                if (stall) {
                    stallAt = 0;
                }
                if (call == dropMidStreamAt) {
                    dropMidStreamAt = 0;
                    dropAfter = dropMidStreamAfter;
                }
            }
            InputStream in = new ByteArrayInputStream(content);
            if (stall) {
                in = new StallingStream(in, stalled, release);
            }
            if (dropAfter >= 0) {
                in = new DroppingStream(in, dropAfter, connection);
            }
            return in;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Stalls before the first byte until released. */
    private static final class StallingStream extends FilterInputStream {
        private final CountDownLatch stalled;
        private final CountDownLatch release;
        private boolean waited;

        StallingStream(InputStream in, CountDownLatch stalled, CountDownLatch release) {
            super(in);
            this.stalled = stalled;
            this.release = release;
        }

        private void stall() throws IOException {
            if (!waited) {
                waited = true;
                stalled.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while stalled");
                }
            }
        }

        @Override
        public int read() throws IOException {
            stall();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            stall();
            return super.read(b, off, len);
        }
    }

    /** Throws {@link ConnectionException} after some bytes and kills the connection. */
    private final class DroppingStream extends FilterInputStream {
        private long left;
        private final Connection connection;

        DroppingStream(InputStream in, long after, Connection connection) {
            super(in);
            this.left = after;
            this.connection = connection;
        }

        private ConnectionException drop() {
            synchronized (MemorySource.this) {
                connection.dead = true;
            }
            return new ConnectionException("injected connection drop in a message stream", null);
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                throw drop();
            }
            left--;
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw drop();
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 8192)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    /**
     * Returns the UIDs of a folder as a list (for assertions).
     *
     * @param uids the array
     * @return the list
     */
    public static List<Long> list(long[] uids) {
        return Arrays.stream(uids).boxed().toList();
    }
}
