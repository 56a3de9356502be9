package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.internal.Duplicates;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
    private final ArchiveFiles files;
    private final Path mboxFile;
    private final CompressionCodec codec;
    /** The index, null while {@link #deferred}. */
    private FolderIndex index;
    /** The read side, null while {@link #deferred}. */
    private ArchiveReader reader;
    /** The write side, or null when read-only (or while {@link #deferred}). */
    private ArchiveWriter writer;
    /** An open whose index is not read yet (its summary answers), or null once loaded or when read-only. */
    private DeferredIndex deferred;
    private boolean closed;

    /** Creates a writable archive over repaired, locked files positioned at their committed ends. */
    MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, FolderIndex index,
            FileChannel mbox, FileChannel indexChannel, FileLock lock, java.time.Clock clock) throws IOException {
        this(folder, files, codec, index, new ArchiveWriter(folder, files, codec, index, mbox, indexChannel, lock,
                clock), null);
    }

    /** Creates a writable archive over repaired, locked files whose index is read when needed. */
    MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, DeferredIndex deferred) {
        this(folder, files, codec, null, null, deferred);
    }

    /** Creates a read-only archive over a loaded index; holds no open file. */
    MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, FolderIndex index) {
        this(folder, files, codec, index, null, null);
    }

    private MboxFolderArchive(FolderInfo folder, ArchiveFiles files, CompressionCodec codec, FolderIndex index,
            ArchiveWriter writer, DeferredIndex deferred) {
        this.folder = folder;
        this.files = files;
        this.mboxFile = files.mbox();
        this.codec = codec;
        this.deferred = deferred;
        if (index != null) {
            loaded(index, writer);
        }
    }

    private void loaded(FolderIndex loaded, ArchiveWriter w) {
        this.index = loaded;
        this.writer = w;
        this.reader = new ArchiveReader(mboxFile, codec, loaded.commit() == null ? 0 : loaded.commit().mboxLength(),
                w == null ? null : w.mbox(), files.maxExpansion());
    }

    /** Reads the index of a deferred open; afterwards the archive is as if opened with it. */
    private void load() throws BackupException {
        if (deferred != null) {
            ArchiveWriter w = deferred.open(files, codec);
            loaded(w.index(), w);
            deferred = null;
        }
    }

    /** {@link #load()} for the methods that declare no exception. */
    private void loadUnchecked() {
        try {
            load();
        } catch (BackupException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the index was read (an open by the summary reads it only when needed). */
    boolean indexRead() {
        return deferred == null;
    }

    /** The files of one folder, and how far reading its compressed mbox may expand it (0: no limit). */
    record ArchiveFiles(Path mbox, Path index, Path spool, int maxExpansion) { }

    FolderIndex index() {
        loadUnchecked();
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
        if (deferred != null) {
            return Optional.of(deferred.state());
        }
        IndexRecord.State s = writer == null ? index.state() : writer.currentState();
        return s == null ? Optional.empty() : Optional.of(new FolderState(index.header.name(),
                index.header.delimiter(), s.uidValidity(), s.uidNext(), s.highestModSeq(), s.messages()));
    }

    /** {@inheritDoc} Opened by its summary: the summary's count, for the UIDVALIDITY of its state. */
    @Override
    public long duplicates(long uidValidity) {
        if (deferred != null && deferred.summary().state().uidValidity() == uidValidity) {
            return deferred.summary().duplicates();
        }
        return Duplicates.among(messages(), uidValidity);
    }

    /** {@inheritDoc} Opened by its summary: reads the index now (a failure wrapped in UncheckedIOException). */
    @Override
    public List<ArchivedMessage> messages() {
        loadUnchecked();
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
        return index.entry(message, folder.name());
    }

    @Override
    public void commit() throws BackupException {
        if (writer == null || closed) {
            return; // read-only, or nothing read yet and so nothing written
        }
        writer.commit();
    }

    @Override
    public InputStream openMessage(ArchivedMessage message) throws BackupException {
        Objects.requireNonNull(message, "message");
        if (closed) {
            throw new IllegalStateException("archive is closed");
        }
        load();
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
                if (failure == null && !writer.failed()) {
                    IndexSummary.refresh(files.index(), writer.indexChannel(), index);
                }
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
        if (reader != null) {
            closers.add(reader::close);
        }
        if (writer != null) {
            closers.addAll(List.of(writer.closers()));
        } else if (deferred != null) {
            closers.add(deferred::close);
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

    /** Checks that the archive can be written, and reads the index of an open by the summary. */
    private void checkWritable() throws BackupException {
        if (writer == null && deferred == null) {
            throw new IllegalStateException("folder \"" + folder.name() + "\" was opened read-only");
        }
        if (closed) {
            throw new IllegalStateException("archive of folder \"" + folder.name() + "\" is closed");
        }
        if (writer != null && writer.failed()) {
            throw new IllegalStateException("archive of folder \"" + folder.name()
                    + "\" had a write failure and must be reopened");
        }
        load();
    }

    @Override
    public String toString() {
        return "MboxFolderArchive[" + mboxFile + (writer == null && deferred == null ? ", read-only" : "") + "]";
    }
}
