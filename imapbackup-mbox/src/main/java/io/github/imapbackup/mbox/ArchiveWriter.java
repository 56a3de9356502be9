package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.internal.DiskErrors;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of a folder archive: appends messages (through {@link MboxAppender}), records
 * flags, adoptions, expunges and the folder state in the index, and commits both files: the mbox
 * first, then the index records, then a commit record naming the mbox length.
 */
final class ArchiveWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveWriter.class);

    private final String folderName;
    private final Path mboxFile;
    private final Path indexFile;
    private final FolderIndex index;
    private final FileChannel mbox;
    private final FileChannel indexChannel;
    private final FileLock lock;
    private final IndexAppender indexOut;
    private final MboxAppender appender;
    /** Gives the times of appends, expunge marks and commits. */
    private final Clock clock;

    private long committedPhysical;
    private long committedLogical;
    private long committedIndexLength;
    private IndexRecord.State pendingState;
    private boolean dirty;
    private boolean failed;

    /** Writes to repaired, locked files, positioning them at their committed ends. */
    ArchiveWriter(FolderInfo folder, MboxFolderArchive.ArchiveFiles files, CompressionCodec codec, FolderIndex index,
            FileChannel mbox, FileChannel indexChannel, FileLock lock, Clock clock) throws IOException {
        this.folderName = folder.name();
        this.clock = clock;
        this.mboxFile = files.mbox();
        this.indexFile = files.index();
        this.index = index;
        this.mbox = mbox;
        this.indexChannel = indexChannel;
        this.lock = lock;
        IndexRecord.Commit c = index.commit();
        this.committedPhysical = c == null ? 0 : c.mboxLength();
        this.committedLogical = c == null ? index.messagesEnd() : c.uncompressedLength();
        this.committedIndexLength = indexChannel.size();
        this.indexOut = new IndexAppender(indexChannel, committedIndexLength);
        this.appender = new MboxAppender(folderName, files, codec, mbox, committedLogical);
        mbox.position(committedPhysical);
        indexChannel.position(committedIndexLength);
    }

    /** The mbox channel written to. */
    FileChannel mbox() {
        return mbox;
    }

    /** The index this side writes to. */
    FolderIndex index() {
        return index;
    }

    /** The index channel written to (locked). */
    FileChannel indexChannel() {
        return indexChannel;
    }

    /** Whether a write failed, so that only reopening the archive can go on. */
    boolean failed() {
        return failed || appender.failed();
    }

    /** The folder state set since the last commit, else the index's. */
    IndexRecord.State currentState() {
        return pendingState != null ? pendingState : index.state();
    }

    ArchivedMessage append(FolderArchive.NewMessage message, InputStream content) throws BackupException {
        IndexEntry e = appender.append(message, content, now(clock));
        e.labels = message.labels();
        record(new IndexRecord.Message(e));
        return e.toArchived();
    }

    void updateFlags(long uid, Set<String> flags) throws BackupException {
        IndexEntry e = byUid(uid);
        Set<String> copy = Set.copyOf(flags);
        if (!copy.equals(e.flags)) {
            record(new IndexRecord.Flags(e.offset, copy));
        }
    }

    void updateLabels(long uid, Set<String> labels) throws BackupException {
        IndexEntry e = byUid(uid);
        Set<String> copy = Set.copyOf(labels);
        if (!copy.equals(e.labels)) {
            record(new IndexRecord.Labels(e.offset, copy));
        }
    }

    void adopt(IndexEntry e, long uidValidity, long uid, Set<String> flags) throws BackupException {
        Set<String> copy = Set.copyOf(flags);
        if (e.uidValidity != uidValidity || e.uid != uid || !e.flags.equals(copy) || e.expunged) {
            record(new IndexRecord.Adopt(e.offset, uidValidity, uid, copy));
        }
    }

    /** Learns from the server's copy of a rebuilt entry whether its final {@code \n} was the message's own. */
    void learnExact(IndexEntry e, long length, String sha256) throws BackupException {
        int added = (int) (e.length - length);
        boolean same = added == 0 && e.sha256.equals(sha256);
        if (e.newline == IndexEntry.NEWLINE_UNKNOWN && (same || added == 1)) {
            record(new IndexRecord.Exact(e.offset, added, length, sha256, e.size == e.length ? length : e.size));
        }
    }

    /** Records that the stored bytes of {@code e} are not the server's, and the server's size. */
    void markConverted(IndexEntry e, long size) throws BackupException {
        if (e.newline != IndexEntry.NEWLINE_CONVERTED) {
            record(new IndexRecord.Exact(e.offset, IndexEntry.NEWLINE_CONVERTED, e.length, e.sha256, size));
        }
    }

    void markExpunged(long uid) throws BackupException {
        IndexEntry e = byUid(uid);
        if (!e.expunged) {
            record(new IndexRecord.Expunged(e.offset, now(clock)));
        }
    }

    void state(FolderState state) {
        Objects.requireNonNull(state, "state");
        pendingState = new IndexRecord.State(state.uidValidity(), state.uidNext(),
                state.highestModSeq(), state.messages());
        dirty = true;
    }

    private IndexEntry byUid(long uid) {
        IndexRecord.State s = currentState();
        IndexEntry e = index.byUid(s == null ? 0 : s.uidValidity(), uid);
        if (e == null && s != null) {
            e = index.byUid(0, uid);
        }
        if (e == null) {
            throw new IllegalArgumentException("folder \"" + folderName + "\" has no archived message with UID " + uid);
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
            throw new FolderException(folderName, "writing " + indexFile + " failed: " + DiskErrors.why(e), e);
        }
        dirty = true;
    }

    /** Returns the clock's time in whole seconds, as the index records times. */
    static Instant now(Clock clock) {
        return Instant.ofEpochSecond(clock.instant().getEpochSecond());
    }

    /** Makes everything written so far durable: the mbox, then the index with a commit record. */
    void commit() throws BackupException {
        if (failed()) {
            throw new FolderException(folderName, "the archive had a write failure and must be reopened", null);
        }
        if (!dirty) {
            return;
        }
        long physical;
        boolean synced = false;
        try {
            physical = appender.sync();
            synced = true;
        } catch (RuntimeException e) {
            throw new FolderException(folderName, "saving " + mboxFile + " failed: " + e, e);
        } finally {
            failed |= !synced; // an error too: whatever failed, the mbox may not hold what the index would say
        }
        boolean committed = false;
        try {
            if (pendingState != null) {
                IndexRecord.State s = pendingState;
                pendingState = null;
                record(s);
            }
            long logical = appender.logical();
            record(new IndexRecord.Commit(physical, logical, index.entries().size(),
                    now(clock)));
            indexOut.flush();
            indexChannel.force(true);
            committedPhysical = physical;
            committedLogical = logical;
            committedIndexLength = indexOut.length();
            dirty = false;
            committed = true;
        } catch (IOException | RuntimeException e) {
            throw new FolderException(folderName, "commit of " + mboxFile + " in " + indexFile + " failed: "
                    + (e instanceof IOException io ? DiskErrors.why(io) : String.valueOf(e)), e);
        } finally {
            failed |= !committed;
        }
    }

    /** Finishes the compressed member that holds {@code e}, if it is still open, so it can be read. */
    void finishMemberHolding(IndexEntry e) throws BackupException {
        appender.finishMemberHolding(e);
    }

    /**
     * Ends the writing before the files are closed: commits, or after a write failure (or a failing
     * commit) cuts both files back to the last commit. Returns the failure, if any.
     */
    BackupException finish() {
        try {
            if (!failed()) {
                commit();
            } else {
                rollback();
            }
            return null;
        } catch (BackupException e) {
            rollback();
            return e;
        }
    }

    /** Cuts both files back to the last commit, best effort (the next open repairs anyway). */
    private void rollback() {
        try {
            appender.truncate(committedPhysical);
            indexChannel.truncate(committedIndexLength);
        } catch (IOException e) {
            LOG.debug("rollback of {} failed; the next open repairs it", mboxFile, e);
        }
    }

    /** What closing does, in order: the spool file, the lock, the index, the mbox. */
    MboxFolderArchive.AutoCloseableIo[] closers() {
        return new MboxFolderArchive.AutoCloseableIo[] {
            appender::closeSpool,
            () -> {
                if (lock != null && lock.isValid()) {
                    lock.release();
                }
            },
            indexChannel::close,
            mbox::close};
    }
}
