package io.github.imapbackup.mbox;

import io.github.imapbackup.mbox.internal.FileSupport;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites a folder index as its current state, under the same header (compaction: superseded
 * records outweigh the live ones) or a new one (the folder's name or delimiter changed): a locked
 * temporary file beside it, fsync, rename over the index, fsync of the directory
 * ({@link LockedIndex#replaceWith}). The index path is locked at every moment; a crash leaves the
 * old index or the new one, both complete, and at worst a leftover temporary file, which the next
 * open deletes.
 */
final class IndexCompactor {

    private static final Logger LOG = LoggerFactory.getLogger(IndexCompactor.class);

    /**
     * The temporary file's suffix, in place of the index file's {@code .index}: no longer than
     * {@code .index}, so a name shortened to fit the file system still fits (FORMAT-index.md).
     */
    static final String TEMP_SUFFIX = ".itmp";

    private IndexCompactor() { }

    /**
     * The suffix of the journal that pre-release builds wrote when they rewrote an index header in
     * place: a complete index, renamed into place by {@link #finishJournal}.
     */
    static final String JOURNAL_SUFFIX = ".inew";

    /** Returns the temporary file of an index. */
    static Path temp(Path indexFile) {
        return sibling(indexFile, TEMP_SUFFIX);
    }

    private static Path sibling(Path indexFile, String suffix) {
        String name = indexFile.getFileName().toString();
        return indexFile.resolveSibling(name.substring(0, name.length() - FolderPaths.INDEX_SUFFIX.length())
                + suffix);
    }

    /**
     * Finishes an in-place header rewrite of a pre-release build that a crash interrupted: its
     * journal is a complete, durable index, so it is locked and renamed over the (perhaps half
     * copied) index. A journal that is no valid index is left alone with a warning.
     */
    static void finishJournal(LockedIndex locked) throws IOException {
        Path journal = sibling(locked.file(), JOURNAL_SUFFIX);
        if (!Files.isRegularFile(journal, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        FileChannel ch = FileChannel.open(journal, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            FileLock lock = ch.tryLock();
            IndexLoader.Loaded loaded = lock == null ? null
                    : IndexLoader.load(new BufferedInputStream(Channels.newInputStream(ch), 1 << 16), journal);
            if (loaded == null || loaded.index() == null) {
                LOG.warn("{}: left over from an interrupted index rewrite, but no complete index; left as"
                        + " it is (move it away)", journal);
                ch.close();
                return;
            }
            LOG.debug("{}: finishing an interrupted rewrite from {}", locked.file(), journal);
            ch.force(true);
            locked.replaceWith(journal, ch, lock);
        } catch (IOException | RuntimeException e) {
            if (ch.isOpen()) {
                try {
                    ch.close();
                } catch (IOException x) {
                    e.addSuppressed(x);
                }
            }
            throw e;
        }
    }

    /** Returns whether the records of the file outweigh the records of its current state. */
    static boolean worthIt(FolderIndex index, long records) {
        return worthIt(records, index.entries().size(), expunged(index), index.state() != null);
    }

    /**
     * Returns whether {@code records} outweigh the records of a current state of {@code entries}
     * messages, {@code expunged} of them marked expunged, and a folder state if {@code state}.
     */
    static boolean worthIt(long records, long entries, long expunged, boolean state) {
        long live = 2 + entries + expunged + (state ? 1 : 0);
        return records - live > live;
    }

    /** Returns how many messages of {@code index} are marked expunged. */
    static long expunged(FolderIndex index) {
        return index.entries().stream().filter(e -> e.expunged).count();
    }

    /**
     * Writes the current state of {@code index} under {@code header} to a new file and renames it
     * over the index; {@code locked} then holds the new file. On failure the old index stays in use.
     */
    static void compact(LockedIndex locked, FolderIndex index, IndexRecord.Header header, long records)
            throws IOException {
        Path temp = temp(locked.file());
        Files.deleteIfExists(temp);
        FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE_NEW), FileSupport.fileAttributes(temp));
        FileLock lock = null;
        long length;
        try {
            lock = ch.tryLock();
            if (lock == null) {
                throw new IOException("cannot lock " + temp);
            }
            IndexAppender out = new IndexAppender(ch, 0);
            out.write(IndexFormat.line(header));
            for (IndexEntry e : index.entries()) {
                out.write(IndexFormat.line(new IndexRecord.Message(e)));
            }
            for (IndexEntry e : index.entries()) {
                if (e.expunged) {
                    out.write(IndexFormat.line(new IndexRecord.Expunged(e.offset, e.expungedAt)));
                }
            }
            if (index.state() != null) {
                out.write(IndexFormat.line(index.state()));
            }
            out.write(IndexFormat.line(index.commit()));
            out.flush();
            ch.force(true);
            length = out.length();
            ch.position(length);
        } catch (IOException | RuntimeException e) {
            try {
                if (lock != null) {
                    lock.release();
                }
                ch.close();
            } catch (IOException x) {
                e.addSuppressed(x);
            }
            deleteQuietly(e, temp);
            throw e;
        }
        try {
            locked.replaceWith(temp, ch, lock);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(e, temp);
            throw e;
        }
        index.rewritten(2 + index.entries().size() + expunged(index) + (index.state() != null ? 1 : 0));
        LOG.debug("{}: rewritten from {} records to {} ({} bytes)", locked.file(), records,
                index.entries().size() + 3, length);
    }

    private static void deleteQuietly(Exception e, Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException x) {
            e.addSuppressed(x);
        }
    }
}
