package io.github.imapbackup.mbox.transfer;

import io.github.imapbackup.mbox.internal.FileSupport;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.apache.commons.io.output.CloseShieldOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file written under a recognisable temporary name ({@code NAME.imapbackup-partial}, beside the
 * target) and moved into place only when complete (see {@link #finish(boolean)}), so an interrupted export never leaves a
 * truncated file under the target's name. The temporary file is locked while it is written: a
 * file of that name that no one holds locked is the leftover of an interrupted run (killed before
 * it could remove it) and is replaced; one another process holds is refused. Nothing else is ever
 * deleted. Not thread-safe.
 */
final class PartialFile implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PartialFile.class);

    /** What the temporary name adds to the target's. */
    static final String SUFFIX = ".imapbackup-partial";

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean done;

    private PartialFile(Path target, Path temp, FileChannel channel, FileLock lock) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Starts writing {@code target} (which must not exist yet).
     *
     * @param target the file to write
     * @return the partial file, empty
     * @throws IOException if the temporary file cannot be created, or another export is writing it
     */
    static PartialFile start(Path target) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + SUFFIX);
        if (Files.isSymbolicLink(temp) || (Files.exists(temp, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(temp, LinkOption.NOFOLLOW_LINKS))) {
            throw new FileAlreadyExistsException(temp.toString(), null,
                    "is not a file this program wrote; remove it or export elsewhere");
        }
        FileChannel ch = FileChannel.open(temp, java.util.Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                LinkOption.NOFOLLOW_LINKS), FileSupport.fileAttributes(temp));
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new FileAlreadyExistsException(temp.toString(), null,
                    "another export is writing it; wait for it to finish or export elsewhere");
        }
        try {
            if (ch.size() > 0) {
                LOG.info("replacing {}, left by an interrupted export", temp);
                ch.truncate(0);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new PartialFile(target, temp, ch, lock);
    }

    /** {@return a stream writing the temporary file; closing it leaves the file open} */
    OutputStream out() {
        return CloseShieldOutputStream.wrap(Channels.newOutputStream(channel));
    }

    /**
     * Moves the file to its target name.
     *
     * @param sync whether to make it durable first (fsync): worth it for one big file, too slow
     *     for thousands of small ones, where a rerun finds one that a power loss damaged (it holds
     *     other bytes than it should, and is reported)
     * @throws IOException on failure (the temporary file is then removed at {@link #close()})
     */
    void finish(boolean sync) throws IOException {
        finishAs(target, sync);
    }

    /**
     * Moves the file to another name in the same directory, when what was written turned out to
     * belong there.
     *
     * @param name the file's name
     * @param sync as for {@link #finish(boolean)}
     * @throws IOException on failure, or when {@code name} exists (the temporary file is then
     *     removed at {@link #close()})
     */
    void finishAs(Path name, boolean sync) throws IOException {
        if (sync) {
            channel.force(true);
        }
        if (Files.exists(name, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(name.toString(), null, "appeared meanwhile; not overwritten");
        }
        Files.move(temp, name, StandardCopyOption.ATOMIC_MOVE);
        done = true;
        close();
    }

    /** Releases the file; unless {@link #finish(boolean)} moved it into place, removes it. Idempotent. */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
