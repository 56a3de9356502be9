package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.mbox.internal.FileSupport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The locked files of a folder opened by its summary ({@link IndexSummary}): the index is read only
 * when something beyond the folder state and the duplicates count is asked; {@link #open} then
 * reads it and makes the write side, as an open that read it at once would have.
 *
 * @param summary the summary, checked to describe the locked index
 * @param mbox the mbox, open for writing, of exactly the committed length
 * @param locked the index, open and locked
 * @param folder the folder
 * @param clock the store's clock
 */
record DeferredIndex(IndexSummary summary, FileChannel mbox, LockedIndex locked, FolderInfo folder, Clock clock) {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredIndex.class);

    /**
     * Opens a folder without reading its index when the summary beside it describes the locked
     * index and the open would find nothing to do: the same folder name, delimiter and special-use
     * attributes, the current index version, no compaction due, and an mbox of exactly the
     * committed length (no tail to repair). Returns null otherwise, and on any failure here: the
     * open then reads the index as without a summary (and reports what it finds).
     *
     * @param files the index, spool and expansion limit (the mbox is found by the summary's codec)
     */
    static MboxFolderArchive open(ArchiveOpener opener, FolderInfo folder, LockedIndex locked,
            MboxFolderArchive.ArchiveFiles files, Clock clock) {
        Path indexFile = files.index();
        IndexSummary s = IndexSummary.read(IndexSummary.file(indexFile));
        if (s == null) {
            return null;
        }
        FileChannel mch = null;
        try {
            IndexRecord.Header h = s.header();
            if (!s.describes(locked.channel(), IndexSummary.Key.of(indexFile)) || !h.name().equals(folder.name())
                    || !h.delimiter().equals(folder.delimiter()) || h.version() != IndexFormat.VERSION
                    || !h.specialUse().equals(IndexRecord.Header.specialUse(folder.attributes()))
                    || s.compactionDue()) {
                LOG.debug("{}: its summary does not describe it, or the open has work to do; reading it", indexFile);
                return null;
            }
            CompressionCodec codec = opener.codecOf(h);
            Path mbox = opener.mboxFile(codec);
            if (!Files.isRegularFile(mbox)) {
                return null;
            }
            mch = FileSupport.openWrite(mbox);
            if (mch.size() != s.commit().mboxLength()) {
                mch.close();
                return null;
            }
            return new MboxFolderArchive(folder, new MboxFolderArchive.ArchiveFiles(mbox, indexFile, files.spool(),
                    files.maxExpansion()), codec, new DeferredIndex(s, mch, locked, folder, clock));
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: opening by its summary failed; reading the index", indexFile, e);
            if (mch != null) {
                try {
                    mch.close();
                } catch (IOException x) {
                    e.addSuppressed(x);
                }
            }
            return null;
        }
    }

    /**
     * Reads the index of a folder opened by its summary; it must be what the summary describes (it
     * is locked), else the folder fails this time and the summary is deleted.
     */
    private FolderIndex load() throws IOException {
        IndexSummary s = summary;
        Path indexFile = locked.file();
        IndexLoader.Loaded loaded = ArchiveOpener.load(locked.channel(), indexFile);
        FolderIndex index = loaded.index();
        if (index == null || loaded.validEnd() != loaded.fileLength() || !index.commit().equals(s.commit())
                || !index.header.equals(s.header()) || !Objects.equals(index.state(), s.state())
                || index.entries().size() != s.entries()) {
            Files.deleteIfExists(IndexSummary.file(indexFile));
            throw new FolderException(folder.name(), indexFile + " is not what its summary "
                    + IndexSummary.file(indexFile) + " describes (changed by another program?); the summary is"
                    + " deleted, run the backup again", null);
        }
        return index;
    }

    /** The folder state the summary records. */
    FolderState state() {
        IndexRecord.Header h = summary.header();
        IndexRecord.State s = summary.state();
        return new FolderState(h.name(), h.delimiter(), s.uidValidity(), s.uidNext(), s.highestModSeq(), s.messages());
    }

    /** Reads the index and returns the write side over it. */
    ArchiveWriter open(MboxFolderArchive.ArchiveFiles files, CompressionCodec codec) throws BackupException {
        try {
            return new ArchiveWriter(folder, files, codec, load(), mbox, locked.channel(), locked.lock(), clock);
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            throw new FolderException(folder.name(), "cannot read " + files.index() + ": " + e.getMessage(), e);
        }
    }

    /** Closes what an open whose index was never read holds: the lock, the index, the mbox. */
    void close() throws IOException {
        try {
            if (locked.lock().isValid()) {
                locked.lock().release();
            }
        } finally {
            try {
                locked.channel().close();
            } finally {
                mbox.close();
            }
        }
    }
}
