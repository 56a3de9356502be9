package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The archive of one folder: an mbox file (plain or a sequence of compressed members) and its index.
 * Reading is {@link ArchiveReader}'s job, writing {@link ArchiveWriter}'s (absent when read-only);
 * both share the open files, and this class checks the calls and closes what they opened.
 */
final class MboxFolderArchive implements FolderArchive {

    private final FolderInfo folder;
    private final Path mboxFile;
    private final CompressionCodec codec;
    private final FolderIndex index;
    private final ArchiveReader reader;
    /** The write side, or null when read-only. */
    private final ArchiveWriter writer;
    private boolean closed;

    /** Creates a writable archive over repaired, locked files positioned at their committed ends. */
    MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, FolderIndex index,
            FileChannel mbox, FileChannel indexChannel, FileLock lock, java.time.Clock clock) throws IOException {
        this(folder, files, codec, index, new ArchiveWriter(folder, files, codec, index, mbox, indexChannel, lock,
                clock));
    }

    /** Creates a read-only archive over a loaded index; holds no open file. */
    MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, FolderIndex index) {
        this(folder, files, codec, index, null);
    }

    private MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, FolderIndex index,
            ArchiveWriter writer) {
        this.folder = folder;
        this.mboxFile = files.mbox();
        this.codec = codec;
        this.index = index;
        this.writer = writer;
        IndexRecord.Commit c = index.commit();
        this.reader = new ArchiveReader(mboxFile, codec, c == null ? 0 : c.mboxLength(),
                writer == null ? null : writer.mbox(), files.maxExpansion());
    }

    /** The files of one folder, and how far reading its compressed mbox may expand it (0: no limit). */
    record ArchiveFiles(Path mbox, Path index, Path spool, int maxExpansion) { }

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
        IndexRecord.State s = writer == null ? index.state() : writer.currentState();
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
        return writer.append(message, content);
    }

    @Override
    public void updateFlags(long uid, Set<String> flags) throws BackupException {
        checkWritable();
        writer.updateFlags(uid, flags);
    }

    @Override
    public void updateLabels(long uid, Set<String> labels) throws BackupException {
        checkWritable();
        writer.updateLabels(uid, labels);
    }

    @Override
    public void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags)
            throws BackupException {
        checkWritable();
        Objects.requireNonNull(message, "message");
        if (uidValidity < 0 || uid < 0) {
            throw new IllegalArgumentException("negative UIDVALIDITY or UID");
        }
        writer.adopt(entryOf(message), uidValidity, uid, flags);
    }

    @Override
    public void adopt(ArchivedMessage message, long uidValidity, long uid, Set<String> flags, long length,
            String sha256) throws BackupException {
        adopt(message, uidValidity, uid, flags);
        writer.learnExact(entryOf(message), length, sha256);
    }

    @Override
    public void adoptConverted(ArchivedMessage message, long uidValidity, long uid, Set<String> flags, long size)
            throws BackupException {
        adopt(message, uidValidity, uid, flags);
        writer.markConverted(entryOf(message), size);
    }

    @Override
    public void markExpunged(long uid) throws BackupException {
        checkWritable();
        writer.markExpunged(uid);
    }

    @Override
    public void state(FolderState state) throws BackupException {
        checkWritable();
        writer.state(state);
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

    @Override
    public void commit() throws BackupException {
        if (writer == null || closed) {
            return;
        }
        writer.commit();
    }

    @Override
    public InputStream openMessage(ArchivedMessage message) throws BackupException {
        Objects.requireNonNull(message, "message");
        if (closed) {
            throw new IllegalStateException("archive is closed");
        }
        IndexEntry e = entryOf(message);
        if (writer != null) {
            writer.finishMemberHolding(e);
        }
        return reader.open(e);
    }

    @Override
    public void close() throws BackupException {
        if (closed) {
            return;
        }
        BackupException failure = null;
        try {
            if (writer != null) {
                failure = writer.finish();
            }
        } finally {
            closed = true;
            failure = closeQuietly(failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private BackupException closeQuietly(BackupException failure) {
        List<AutoCloseableIo> closers = new ArrayList<>();
        closers.add(reader::close);
        if (writer != null) {
            closers.addAll(List.of(writer.closers()));
        }
        for (AutoCloseableIo c : closers) {
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
        if (writer == null) {
            throw new IllegalStateException("folder \"" + folder.name() + "\" was opened read-only");
        }
        if (closed) {
            throw new IllegalStateException("archive of folder \"" + folder.name() + "\" is closed");
        }
        if (writer.failed()) {
            throw new IllegalStateException("archive of folder \"" + folder.name()
                    + "\" had a write failure and must be reopened");
        }
    }

    @Override
    public String toString() {
        return "MboxFolderArchive[" + mboxFile + (writer == null ? ", read-only" : "") + "]";
    }
}
