package io.github.imapbackup.mbox;

import io.github.imapbackup.FolderException;
import io.github.imapbackup.mbox.internal.FileSupport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * A folder index open for writing under this process's exclusive lock. The lock is always on the
 * file the index path names: {@link #replaceWith} renames a complete file, locked first, over the
 * index and moves to it, so the lock moves with the name.
 */
final class LockedIndex {

    /** How often opening is tried while other processes keep replacing the index. */
    private static final int ATTEMPTS = 10;

    private final Path file;
    private FileChannel channel;
    private FileLock lock;

    private LockedIndex(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Opens (creating it owner-only when absent) and locks the index of a folder.
     *
     * @throws FolderException if another archive of this program or another process holds it
     */
    static LockedIndex acquire(Path file, String folder) throws IOException {
        return acquire(file, folder, () -> { });
    }

    /**
     * As {@link #acquire(Path, String)}; {@code afterOpen} runs between opening and locking (tests).
     * Opening and locking are two steps: another writer may rename a rewritten index over the file
     * between them and release it, and a lock on a replaced file guards nothing. So the file the
     * path names is looked at before opening and after locking; if it is not the same unchanged
     * file, the lock is dropped and it all starts again.
     */
    static LockedIndex acquire(Path file, String folder, Runnable afterOpen) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Identity before = Identity.of(file);
            FileChannel ch = FileSupport.openWrite(file, false);
            try {
                afterOpen.run();
                FileLock lock = tryLock(ch, file, folder);
                if (before != null && before.equals(Identity.of(file))) {
                    return new LockedIndex(file, ch, lock);
                }
                lock.release();
            } catch (IOException | RuntimeException e) {
                closeQuietly(e, ch);
                throw e;
            }
            ch.close();
            if (attempt == ATTEMPTS) {
                throw new FolderException(folder, "cannot lock its index " + file + ": another process"
                        + " replaced it " + ATTEMPTS + " times while this one opened it; try again", null);
            }
        }
    }

    /**
     * What tells one file from another at a path: file key (device and inode where the platform has
     * them), creation and modification time, size. Unchanged while one holds the lock.
     */
    private record Identity(Object key, FileTime created, FileTime modified, long size) {

        /** Returns the identity of the file a path names; null when there is none. */
        static Identity of(Path file) throws IOException {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new Identity(a.fileKey(), a.creationTime(), a.lastModifiedTime(), a.size());
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        /** Field by field: the generated equals costs a cold JVM a method-handle bootstrap (a few ms). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && java.util.Objects.equals(key, i.key) && created.equals(i.created)
                    && modified.equals(i.modified) && size == i.size;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(key, modified, size);
        }
    }

    private static FileLock tryLock(FileChannel ch, Path file, String folder) throws IOException {
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            throw new FolderException(folder, "is already open for writing in this program ("
                    + file + " is locked)", e);
        }
        if (lock == null) {
            throw new FolderException(folder, "is open for writing in another process ("
                    + file + " is locked)", null);
        }
        return lock;
    }

    Path file() {
        return file;
    }

    FileChannel channel() {
        return channel;
    }

    FileLock lock() {
        return lock;
    }

    /**
     * Renames {@code from}, a complete and durable index that {@code newChannel} holds open and
     * {@code newLock} locks, over the index (atomically), then releases the old file and fsyncs the
     * directory. The index path is locked by this process at every moment. If the rename fails,
     * the new channel is closed and the old file stays in use.
     */
    void replaceWith(Path from, FileChannel newChannel, FileLock newLock) throws IOException {
        try {
            Files.move(from, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                newLock.release();
            } catch (IOException x) {
                e.addSuppressed(x);
            }
            closeQuietly(e, newChannel);
            throw e;
        }
        FileChannel old = channel;
        FileLock oldLock = lock;
        channel = newChannel;
        lock = newLock;
        try {
            oldLock.release();
        } finally {
            old.close();
        }
        FileSupport.syncDirectory(file.getParent());
    }

    private static void closeQuietly(Exception e, FileChannel ch) {
        try {
            ch.close();
        } catch (IOException x) {
            e.addSuppressed(x);
        }
    }
}
