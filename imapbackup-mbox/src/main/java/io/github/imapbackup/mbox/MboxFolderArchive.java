package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.FolderState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The archive of one folder: an mbox file (plain or a sequence of compressed members) and its index. */
final class MboxFolderArchive implements FolderArchive {

    private static final Logger LOG = LoggerFactory.getLogger(MboxFolderArchive.class);

    private final FolderInfo folder;
    private final Path mboxFile;
    private final Path indexFile;
    private final Path spoolFile;
    private final CompressionCodec codec;
    private final boolean compressed;
    private final boolean readOnly;
    private final FolderIndex index;
    private final FileChannel mbox;
    private final FileChannel indexChannel;
    private final FileLock lock;

    private long logical;
    private long committedPhysical;
    private long committedLogical;
    private long committedIndexLength;
    private final IndexAppender indexOut;
    private IndexRecord.State pendingState;
    private boolean dirty;
    private boolean failed;
    private boolean closed;

    private MboxWriter member;
    /** The writer of an uncompressed mbox, reused across appends; dropped after a failure. */
    private MboxWriter plainWriter;
    /** The spool file of a compressed archive, kept open and reused; deleted at close. */
    private FileChannel spool;
    /** The decompressing reader of the last {@link #openMessage} of a compressed mbox. */
    private MemberCursor cursor;
    private long memberStart;
    private long memberLogicalStart;

    /** Creates a writable archive over repaired, locked files positioned at their committed ends. */
    MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, FolderIndex index,
            FileChannel mbox, FileChannel indexChannel, FileLock lock) throws IOException {
        this(folder, files, codec, index, mbox, indexChannel, lock, indexChannel.size());
        mbox.position(committedPhysical);
        indexChannel.position(committedIndexLength);
    }

    /** Creates a read-only archive over a loaded index; holds no open file. */
    MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, FolderIndex index) {
        this(folder, files, codec, index, null, null, null, 0);
    }

    private MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec,
            FolderIndex index, FileChannel mbox, FileChannel indexChannel, FileLock lock,
            long indexLength) {
        this.folder = folder;
        this.mboxFile = files.mbox();
        this.indexFile = files.index();
        this.spoolFile = files.spool();
        this.codec = codec;
        this.compressed = !codec.suffix().isEmpty();
        this.readOnly = mbox == null;
        this.index = index;
        this.mbox = mbox;
        this.indexChannel = indexChannel;
        this.lock = lock;
        IndexRecord.Commit c = index.commit();
        this.committedPhysical = c == null ? 0 : c.mboxLength();
        this.committedLogical = c == null ? index.messagesEnd() : c.uncompressedLength();
        this.logical = committedLogical;
        this.committedIndexLength = indexLength;
        this.indexOut = indexChannel == null ? null : new IndexAppender(indexChannel, indexLength);
    }

    /** The files of one folder. */
    record ArchiveFiles(Path mbox, Path index, Path spool) { }

    FolderIndex index() {
        return index;
    }

    Path mboxFile() {
        return mboxFile;
    }

    CompressionCodec codec() {
        return codec;
    }

    @Override
    public Optional<FolderState> state() {
        IndexRecord.State s = pendingState != null ? pendingState : index.state();
        if (s == null) {
            return Optional.empty();
        }
        return Optional.of(new FolderState(index.header.name(), index.header.delimiter(),
                s.uidValidity(), s.uidNext(), s.highestModSeq(), s.messages()));
    }

    @Override
    public List<ArchivedMessage> messages() {
        return index.messages();
    }

    @Override
    public ArchivedMessage append(NewMessage message, InputStream content) throws BackupException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(content, "content");
        checkWritable();
        MboxWriter.Written w;
        long memberAt = -1;
        long memberLogicalAt = -1;
        if (compressed) {
            spool(message, content);
            try {
                InputStream in = spooled();
                if (member == null) {
                    memberStart = mbox.position();
                    memberLogicalStart = logical;
                    OutputStream out = codec.compress(CloseShieldOutputStream.wrap(Channels.newOutputStream(mbox)));
                    member = new MboxWriter(out, logical);
                }
                memberAt = memberStart;
                memberLogicalAt = memberLogicalStart;
                w = member.write(message.sender(), message.internalDate(), in);
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw new FolderException(folder.name(), "writing to " + mboxFile
                        + " failed; the archive must be reopened (uncommitted messages are lost): "
                        + e.getMessage(), e);
            }
        } else {
            w = appendPlain(message, content);
        }
        logical = w.end();
        long size = message.size() < 0 ? w.length() : message.size();
        IndexEntry e = new IndexEntry(message.uidValidity(), message.uid(), message.identity(),
                w.offset(), w.end(), w.length(), w.sha256(), size, message.internalDate(),
                w.newlineAdded() ? 1 : 0, memberAt, memberLogicalAt, message.flags(), false);
        record(new IndexRecord.Message(e));
        return e.toArchived();
    }

    private MboxWriter.Written appendPlain(NewMessage message, InputStream content) throws BackupException {
        long start = logical;
        SourceInputStream source = new SourceInputStream(content);
        try {
            if (plainWriter == null) {
                plainWriter = new MboxWriter(CloseShieldOutputStream.wrap(Channels.newOutputStream(mbox)), start);
            }
            MboxWriter.Written w = plainWriter.write(message.sender(), message.internalDate(), source);
            plainWriter.flush();
            return w;
        } catch (IOException | RuntimeException e) {
            plainWriter = null;
            try {
                mbox.truncate(start);
                mbox.position(start);
            } catch (IOException t) {
                failed = true;
                e.addSuppressed(t);
            }
            throw failure(message, source, e);
        }
    }

    private void spool(NewMessage message, InputStream content) throws BackupException {
        SourceInputStream source = new SourceInputStream(content);
        try {
            if (spool == null) {
                spool = FileSupport.openWrite(spoolFile);
            }
            spool.truncate(0);
            spool.position(0);
            source.transferTo(CloseShieldOutputStream.wrap(Channels.newOutputStream(spool)));
        } catch (IOException | RuntimeException e) {
            throw failure(message, source, e);
        }
    }

    private InputStream spooled() throws IOException {
        spool.position(0);
        return new java.io.BufferedInputStream(new BoundedStream(Channels.newInputStream(spool), spool.size()), 1 << 16);
    }

    private BackupException failure(NewMessage message, SourceInputStream source, Exception e) {
        if (source.failed && e instanceof BackupException be) {
            return be;
        }
        String what = source.failed ? "reading the message failed: " : "writing " + mboxFile + " failed: ";
        return message.uid() > 0 ? new FolderException(folder.name(), message.uid(), what + e.getMessage(), e)
                : new FolderException(folder.name(), what + e.getMessage(), e);
    }

    @Override
    public void updateFlags(long uid, Set<String> flags) throws BackupException {
        checkWritable();
        IndexEntry e = byUid(uid);
        Set<String> copy = Set.copyOf(flags);
        if (!copy.equals(e.flags)) {
            record(new IndexRecord.Flags(e.offset, copy));
        }
    }

    @Override
    public void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags)
            throws BackupException {
        checkWritable();
        Objects.requireNonNull(message, "message");
        if (uidValidity < 0 || uid < 0) {
            throw new IllegalArgumentException("negative UIDVALIDITY or UID");
        }
        IndexEntry e = entryOf(message);
        Set<String> copy = Set.copyOf(flags);
        if (e.uidValidity != uidValidity || e.uid != uid || !e.flags.equals(copy) || e.expunged) {
            record(new IndexRecord.Adopt(e.offset, uidValidity, uid, copy));
        }
    }

    @Override
    public void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags, long length,
            String sha256) throws BackupException {
        adopt(message, uidValidity, uid, flags);
        IndexEntry e = entryOf(message);
        int added = (int) (e.length - length);
        boolean same = added == 0 && e.sha256.equals(sha256);
        if (e.newline == IndexEntry.NEWLINE_UNKNOWN && (same || added == 1)) {
            // a rebuilt entry: the server's copy says whether the final \n was the message's own
            record(new IndexRecord.Exact(e.offset, added, length, sha256, e.size == e.length ? length : e.size));
        }
    }

    @Override
    public void adoptConverted(ArchivedMessage message, long uidValidity, long uid, Set<String> flags, long size)
            throws BackupException {
        adopt(message, uidValidity, uid, flags);
        IndexEntry e = entryOf(message);
        if (e.newline != IndexEntry.NEWLINE_CONVERTED) {
            // the stored bytes stay; the index says they are not the server's and learns its size
            record(new IndexRecord.Exact(e.offset, IndexEntry.NEWLINE_CONVERTED, e.length, e.sha256, size));
        }
    }

    @Override
    public void markExpunged(long uid) throws BackupException {
        checkWritable();
        IndexEntry e = byUid(uid);
        if (!e.expunged) {
            record(new IndexRecord.Expunged(e.offset));
        }
    }

    @Override
    public void state(FolderState state) throws BackupException {
        checkWritable();
        Objects.requireNonNull(state, "state");
        pendingState = new IndexRecord.State(state.uidValidity(), state.uidNext(),
                state.highestModSeq(), state.messages());
        dirty = true;
    }

    private IndexEntry byUid(long uid) {
        IndexRecord.State s = pendingState != null ? pendingState : index.state();
        IndexEntry e = index.byUid(s == null ? 0 : s.uidValidity(), uid);
        if (e == null && s != null) {
            e = index.byUid(0, uid);
        }
        if (e == null) {
            throw new IllegalArgumentException("folder \"" + folder.name() + "\" has no archived message with UID " + uid);
        }
        return e;
    }

    private IndexEntry entryOf(ArchivedMessage message) {
        IndexEntry e;
        try {
            e = index.entry(message.offset());
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("not a message of folder \"" + folder.name() + "\": offset "
                    + message.offset(), x);
        }
        if (!e.sha256.equals(message.sha256())) {
            throw new IllegalArgumentException("not a message of folder \"" + folder.name() + "\": offset "
                    + message.offset() + " holds another message");
        }
        return e;
    }

    private void record(IndexRecord r) throws BackupException {
        index.apply(r);
        byte[] line = IndexFormat.line(r);
        try {
            indexOut.write(line);
        } catch (IOException e) {
            failed = true;
            throw new FolderException(folder.name(), "writing " + indexFile + " failed: " + e.getMessage(), e);
        }
        dirty = true;
    }

    @Override
    public void commit() throws BackupException {
        if (readOnly || closed) {
            return;
        }
        if (failed) {
            throw new FolderException(folder.name(), "the archive had a write failure and must be reopened", null);
        }
        if (!dirty) {
            return;
        }
        try {
            finishMember();
            mbox.force(true);
            long physical = mbox.position();
            if (pendingState != null) {
                IndexRecord.State s = pendingState;
                pendingState = null;
                record(s);
            }
            record(new IndexRecord.Commit(physical, logical, index.entries().size(),
                    Instant.ofEpochSecond(Instant.now().getEpochSecond())));
            indexOut.flush();
            indexChannel.force(true);
            committedPhysical = physical;
            committedLogical = logical;
            committedIndexLength = indexOut.length();
            dirty = false;
        } catch (BackupException e) {
            failed = true;
            throw e;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw new FolderException(folder.name(), "commit of " + mboxFile + " failed: " + e.getMessage(), e);
        }
    }

    private void finishMember() throws IOException {
        if (member != null) {
            MboxWriter m = member;
            member = null;
            m.close();
        }
    }

    @Override
    public InputStream openMessage(ArchivedMessage message) throws BackupException {
        Objects.requireNonNull(message, "message");
        if (closed) {
            throw new IllegalStateException("archive is closed");
        }
        IndexEntry e = entryOf(message);
        if (member != null && e.offset >= memberLogicalStart) {
            try {
                finishMember();
            } catch (IOException x) {
                failed = true;
                throw new FolderException(folder.name(), "writing " + mboxFile + " failed: " + x.getMessage(), x);
            }
        }
        try {
            long limit = readOnly ? committedPhysical : mbox.position();
            if (!compressed) {
                return MessageReader.open(mboxFile, e);
            }
            if (cursor == null || !cursor.serves(e, limit)) {
                if (cursor != null) {
                    cursor.discard();
                    cursor = null;
                }
                cursor = MemberCursor.open(mboxFile, codec, e, limit);
            }
            return cursor.message(e);
        } catch (BackupException x) {
            throw x;
        } catch (IOException x) {
            throw new IntegrityException(mboxFile, e.offset, e.knownUid(), "cannot read the message: " + x.getMessage());
        }
    }

    @Override
    public void close() throws BackupException {
        if (closed) {
            return;
        }
        BackupException failure = null;
        try {
            if (!readOnly) {
                if (!failed) {
                    commit();
                } else {
                    rollback();
                }
            }
        } catch (BackupException e) {
            failure = e;
            rollback();
        } finally {
            closed = true;
            failure = closeQuietly(failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Cuts both files back to the last commit, best effort (the next open repairs anyway). */
    private void rollback() {
        if (readOnly) {
            return;
        }
        member = null;
        try {
            mbox.truncate(committedPhysical);
            indexChannel.truncate(committedIndexLength);
        } catch (IOException e) {
            LOG.debug("rollback of {} failed; the next open repairs it", mboxFile, e);
        }
    }

    private BackupException closeQuietly(BackupException failure) {
        for (AutoCloseableIo c : new AutoCloseableIo[] {
            () -> {
                if (cursor != null) {
                    cursor.discard();
                }
            },
            () -> {
                if (spool != null) {
                    spool.close();
                    Files.deleteIfExists(spoolFile);
                }
            },
            () -> {
                if (lock != null && lock.isValid()) {
                    lock.release();
                }
            },
            () -> {
                if (indexChannel != null) {
                    indexChannel.close();
                }
            },
            () -> {
                if (mbox != null) {
                    mbox.close();
                }
            }}) {
            try {
                c.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = new FolderException(folder.name(), "closing " + mboxFile + " failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    /** A close action that may throw IOException. */
    @FunctionalInterface
    interface AutoCloseableIo {
        void close() throws IOException;
    }

    private void checkWritable() {
        if (readOnly) {
            throw new IllegalStateException("folder \"" + folder.name() + "\" was opened read-only");
        }
        if (closed) {
            throw new IllegalStateException("archive of folder \"" + folder.name() + "\" is closed");
        }
        if (failed) {
            throw new IllegalStateException("archive of folder \"" + folder.name()
                    + "\" had a write failure and must be reopened");
        }
    }

    @Override
    public String toString() {
        return "MboxFolderArchive[" + mboxFile + (readOnly ? ", read-only" : "") + "]";
    }
}
