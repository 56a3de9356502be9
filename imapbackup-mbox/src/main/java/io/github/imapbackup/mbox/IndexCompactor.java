package io.github.imapbackup.mbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites a folder index as its current state when superseded records (adoptions, flag changes,
 * states, commits) outweigh the live ones: a temporary file beside it, fsync, rename over the
 * index, fsync of the directory. The temporary file is locked before it is renamed, so the index
 * is locked at every moment; a crash leaves the old index or the new one, and at worst a leftover
 * temporary file, which the next open deletes.
 */
final class IndexCompactor {

    private static final Logger LOG = LoggerFactory.getLogger(IndexCompactor.class);

    /**
     * The temporary file's suffix, in place of the index file's {@code .index}: no longer than
     * {@code .index}, so a name shortened to fit the file system still fits (FORMAT-index.md).
     */
    static final String TEMP_SUFFIX = ".itmp";

    /**
     * The open, locked index after a compaction.
     *
     * @param channel the new index file, positioned at its end
     * @param lock its lock
     */
    record Compacted(FileChannel channel, FileLock lock) { }

    private IndexCompactor() { }

    /** Returns the temporary file of an index. */
    static Path temp(Path indexFile) {
        String name = indexFile.getFileName().toString();
        return indexFile.resolveSibling(name.substring(0, name.length() - FolderPaths.INDEX_SUFFIX.length())
                + TEMP_SUFFIX);
    }

    /** Returns whether the records of the file outweigh the records of its current state. */
    static boolean worthIt(FolderIndex index, long records) {
        long expunged = index.entries().stream().filter(e -> e.expunged).count();
        long live = 2 + index.entries().size() + expunged + (index.state() != null ? 1 : 0);
        return records - live > live;
    }

    /**
     * Writes the current state of {@code index} to a new file and renames it over {@code indexFile}.
     * The caller holds the lock of the old file and, on success, closes that file and uses the new one.
     *
     * @return the new file, open and locked
     */
    static Compacted compact(Path indexFile, FolderIndex index, long records) throws IOException {
        Path temp = temp(indexFile);
        Files.deleteIfExists(temp);
        FileChannel ch = FileChannel.open(temp, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE_NEW), FileSupport.fileAttributes(temp));
        FileLock lock = null;
        try {
            lock = ch.tryLock();
            if (lock == null) {
                throw new IOException("cannot lock " + temp);
            }
            IndexAppender out = new IndexAppender(ch, 0);
            out.write(IndexFormat.line(index.header));
            for (IndexEntry e : index.entries()) {
                out.write(IndexFormat.line(new IndexRecord.Message(e)));
            }
            for (IndexEntry e : index.entries()) {
                if (e.expunged) {
                    out.write(IndexFormat.line(new IndexRecord.Expunged(e.offset)));
                }
            }
            if (index.state() != null) {
                out.write(IndexFormat.line(index.state()));
            }
            out.write(IndexFormat.line(index.commit()));
            out.flush();
            ch.force(true);
            Files.move(temp, indexFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            FileSupport.syncDirectory(indexFile.getParent());
            LOG.debug("{}: compacted from {} records to {} ({} bytes)", indexFile, records,
                    index.entries().size() + 3, out.length());
            ch.position(out.length());
            return new Compacted(ch, lock);
        } catch (IOException | RuntimeException e) {
            try {
                if (lock != null) {
                    lock.release();
                }
                ch.close();
                Files.deleteIfExists(temp);
            } catch (IOException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
    }
}
