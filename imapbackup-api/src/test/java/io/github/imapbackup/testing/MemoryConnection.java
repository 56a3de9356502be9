package io.github.imapbackup.testing;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** One connection of a {@link MemorySource}; dead after an injected drop. */
final class MemoryConnection implements SourceConnection {

    private final MemorySource source;
    /** Which connection of the source this is, from 1. */
    private final int number;
    private boolean closed;
    boolean dead;

    MemoryConnection(MemorySource source, int number) {
        this.number = number;
        this.source = source;
    }

    private void check() throws ConnectionException {
        synchronized (source) {
            if (closed) {
                throw new IllegalStateException("connection closed");
            }
            if (dead) {
                throw new ConnectionException("connection to " + source.describe() + " lost", null);
            }
        }
    }

    @Override
    public List<FolderInfo> folders() throws BackupException {
        check();
        source.listCalls.incrementAndGet();
        synchronized (source) {
            return source.folders.values().stream().map(MemoryFolder::info).toList();
        }
    }

    @Override
    public FolderStatus status(FolderInfo folder) throws BackupException {
        check();
        source.statusCalls.incrementAndGet();
        synchronized (source) {
            MemoryFolder f = source.existing(folder.name());
            f.checkFailing();
            return f.status();
        }
    }

    @Override
    public java.util.OptionalLong listedMessages(FolderInfo folder) {
        synchronized (source) {
            MemoryFolder f = source.listsMessageCounts ? source.folders.get(folder.name()) : null;
            return f == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(f.status().messages());
        }
    }

    @Override
    public SourceFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        check();
        source.openCalls.incrementAndGet();
        source.opens.add(number + ":" + folder.name());
        synchronized (source) {
            MemoryFolder f = source.existing(folder.name());
            f.checkFailing();
            return new OpenFolder(this, f, f.status(), extractor);
        }
    }

    @Override
    public String personalPrefix() throws BackupException {
        check();
        return source.personalPrefix;
    }

    @Override
    public boolean hasCapability(String capability) {
        synchronized (source) {
            return source.capabilities.stream().anyMatch(c -> c.equalsIgnoreCase(capability))
                    || capability.equalsIgnoreCase("CONDSTORE")
                    && source.folders.values().stream().anyMatch(f -> f.condstore);
        }
    }

    @Override
    public void close() {
        synchronized (source) {
            if (!closed) {
                closed = true;
                source.openConnections.decrementAndGet();
            }
        }
    }

    /** A folder opened read-only. */
    private final class OpenFolder implements SourceFolder {

        private final MemoryConnection connection;
        private final MemoryFolder folder;
        private final FolderStatus status;
        private final MessageIdExtractor extractor;
        private boolean closed;

        OpenFolder(MemoryConnection connection, MemoryFolder folder, FolderStatus status,
                MessageIdExtractor extractor) {
            this.connection = connection;
            this.extractor = extractor;
            this.folder = folder;
            this.status = status;
        }

        private void check() throws ConnectionException {
            if (closed) {
                throw new IllegalStateException("folder closed");
            }
            connection.check();
        }

        private MessageIdentity identify(byte[] content) throws FolderException {
            try {
                return extractor.identify(new ByteArrayInputStream(content));
            } catch (IOException e) {
                throw new FolderException(folder.name, "cannot read a header section: " + e.getMessage(), e);
            }
        }

        @Override
        public FolderInfo folder() {
            synchronized (source) {
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
            source.messagesCalls.incrementAndGet();
            synchronized (source) {
                checkValidity();
                List<MessageInfo> out = new ArrayList<>();
                for (MemoryFolder.Message m : folder.messages.tailMap(Math.max(1, fromUid), true).values()) {
                    out.add(new MessageInfo(m.uid, Math.max(0, m.content.length + folder.sizeError), m.internalDate, m.flags, identify(m.content),
                            folder.condstore ? m.modSeq : 0, m.sender));
                }
                return out;
            }
        }

        @Override
        public long[] uids() throws BackupException {
            check();
            source.uidsCalls.incrementAndGet();
            synchronized (source) {
                checkValidity();
                return folder.messages.keySet().stream().mapToLong(Long::longValue).toArray();
            }
        }

        @Override
        public Optional<long[]> expungedSince(long modSeq, long upToUid) throws BackupException {
            check();
            source.expungedSinceCalls.incrementAndGet();
            synchronized (source) {
                checkValidity();
                if (!folder.qresync || !folder.condstore) {
                    return Optional.empty();
                }
                java.util.TreeSet<Long> answer = new java.util.TreeSet<>();
                folder.expungedAt.forEach((uid, at) -> {
                    if (at > modSeq && uid <= upToUid) {
                        answer.add(uid);
                    }
                });
                folder.messages.keySet().stream().limit(folder.qresyncLies).forEach(answer::add);
                return Optional.of(answer.stream().mapToLong(Long::longValue).toArray());
            }
        }

        @Override
        public Optional<long[]> expungedOf(long[] uids) throws BackupException {
            check();
            source.expungedOfCalls.incrementAndGet();
            synchronized (source) {
                checkValidity();
                if (folder.expungedOfFails) {
                    throw new FolderException(folder.name, "injected failure of the search for expunged messages", null);
                }
                if (!folder.tellsExpunged) {
                    return Optional.empty();
                }
                return Optional.of(java.util.Arrays.stream(uids).filter(u -> !folder.messages.containsKey(u)).toArray());
            }
        }

        @Override
        public Map<Long, Set<String>> flags(long modSeq) throws BackupException {
            check();
            source.flagsCalls.incrementAndGet();
            synchronized (source) {
                checkValidity();
                Map<Long, Set<String>> out = new LinkedHashMap<>();
                for (MemoryFolder.Message m : folder.messages.values()) {
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
            int call = source.openMessageCalls.incrementAndGet();
            source.fetchingConnections.add(connection.number);
            byte[] content;
            boolean stall;
            long dropAfter = -1;
            synchronized (source) {
                if (call == source.dropAtOpenMessage) {
                    source.dropAtOpenMessage = 0;
                    connection.dead = true;
                    throw new ConnectionException("injected connection drop at UID " + uid, null);
                }
                checkValidity();
                MemoryFolder.Message m = folder.messages.get(uid);
                if (m == null) {
                    throw new FolderException(folder.name, uid, "no such message", null);
                }
                if (folder.failingUids.contains(uid)) {
                    throw new FolderException(folder.name, uid, "injected message failure", null);
                }
                content = m.content;
                stall = call == source.stallAt;
                if (stall) {
                    source.stallAt = 0;
                }
                if (call == source.dropMidStreamAt) {
                    source.dropMidStreamAt = 0;
                    dropAfter = source.dropMidStreamAfter;
                }
            }
            InputStream in = new ByteArrayInputStream(content);
            if (stall) {
                in = new StallingStream(in, source.stalled, source.release);
            }
            if (dropAfter >= 0) {
                in = new CutStream(in, dropAfter, () -> {
                    synchronized (source) {
                        connection.dead = true;
                    }
                    return new ConnectionException("injected connection drop in a message stream", null);
                });
            }
            Boolean expunge;
            synchronized (source) {
                expunge = folder.stopMidStream.get(uid);
            }
            if (expunge != null) {
                boolean gone = expunge;
                in = new CutStream(in, content.length / 2, () -> {
                    if (gone) {
                        folder.expunge(uid);
                    }
                    return new FolderException(folder.name, uid, "injected stop in the middle of the message's body", null);
                });
            }
            return in;
        }

        /** Expunges exactly these messages, as UIDPLUS {@code UID EXPUNGE} does; refuses when UIDVALIDITY changed. */
        @Override
        public long delete(long[] uids) throws BackupException {
            check();
            if (folder.uidValidity() != status.uidValidity()) {
                throw new FolderException(folder.name, "UIDVALIDITY changed: nothing deleted", null);
            }
            for (long uid : uids) {
                folder.expunge(uid);
            }
            return uids.length;
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

    /**
     * Throws the failure {@code cut} makes after some bytes: a {@link ConnectionException} that kills
     * the connection, or a {@link FolderException} of a message whose body stops.
     */
    private static final class CutStream extends FilterInputStream {
        private long left;
        private final java.util.function.Supplier<IOException> cut;

        CutStream(InputStream in, long after, java.util.function.Supplier<IOException> cut) {
            super(in);
            this.left = after;
            this.cut = cut;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                throw cut.get();
            }
            left--;
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw cut.get();
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
}
