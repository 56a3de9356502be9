package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.mbox.internal.DiskErrors;
import io.github.imapbackup.mbox.internal.FileSupport;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock of a backup directory: one run at a time writes there. A second run, in this or
 * another process, is refused with a {@link DirectoryLockedException} that names the holder; the
 * lock of a run that was killed is taken over, with a warning.
 *
 * <pre>{@code
 * MboxStore store = MboxStore.builder(Path.of("backup")).build();
 * try (BackupLock lock = store.lock("backup")) {
 *     BackupSession.builder().source(source).target(store).build().run();
 * }
 * }</pre>
 *
 * <p>The lock is an operating system lock ({@link FileChannel#tryLock()}) on the file
 * {@value #FILE_NAME} in the directory, which also records the holder: process id, host, start
 * time and command. The operating system drops the lock when the holder ends, however it ends
 * ({@code kill -9} too), so a lock file whose lock nobody holds is stale and is taken over; a clean
 * {@link #close()} empties the file (it is never deleted: another run may have it open). See
 * {@code docs/FORMAT-index.md}.
 *
 * <p>Within one JVM the lock is kept per directory (its real path), so two runs in one process are
 * refused as two processes are. Thread-safe.
 */
public final class BackupLock implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(BackupLock.class);

    /** The lock file's name in the backup directory (never a folder's file: those never start with a dot). */
    public static final String FILE_NAME = ".imapbackup-lock";

    /** The locks this JVM holds, by the directory's real path, with their holder's description. */
    private static final Map<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path directory;
    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final String staleHolder;
    private boolean closed;

    private BackupLock(Path directory, Path key, FileChannel channel, FileLock lock, String staleHolder) {
        this.directory = directory;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.staleHolder = staleHolder;
    }

    /**
     * Locks a backup directory, creating it (owner-only) when absent.
     *
     * @param directory the backup directory
     * @param command what runs there, recorded for a second run's message (never a secret), such
     *     as {@code backup} or {@code backup --config /etc/imapbackup.yaml}
     * @return the lock; {@link #close()} releases it
     * @throws DirectoryLockedException if another run holds the directory
     * @throws BackupException if the directory or the lock file cannot be created or written
     */
    public static BackupLock acquire(Path directory, String command) throws BackupException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(command, "command");
        Path file = directory.resolve(FILE_NAME);
        Path key;
        try {
            FileSupport.createDirectories(directory);
            key = directory.toRealPath();
        } catch (IOException e) {
            throw new BackupException("cannot create the backup directory " + directory + ": " + DiskErrors.why(e), e);
        }
        String holder = describe(ProcessHandle.current().pid(), host(), Instant.now(), command);
        String other = HELD.putIfAbsent(key, holder);
        if (other != null) {
            throw new DirectoryLockedException(directory, file, other + " in this process");
        }
        FileChannel ch = null;
        try {
            ch = FileSupport.openWrite(file);
            FileLock lock = tryLock(ch);
            String recorded = read(ch);
            if (lock == null) {
                throw new DirectoryLockedException(directory, file,
                        recorded.isBlank() ? "another process (its lock file records no holder)" : parse(recorded));
            }
            String stale = recorded.isBlank() ? null : parse(recorded);
            if (stale != null) {
                LOG.warn("The backup directory {} was locked by {}, which has ended without releasing it"
                        + " (killed?); taking the lock over", directory, stale);
            }
            write(ch, command);
            return new BackupLock(directory, key, ch, lock, stale);
        } catch (IOException | RuntimeException e) {
            HELD.remove(key);
            closeQuietly(ch, e);
            if (e instanceof BackupException b) {
                throw b;
            }
            throw new BackupException("cannot lock the backup directory " + directory + " (" + file + "): "
                    + (e instanceof IOException io ? DiskErrors.why(io) : String.valueOf(e.getMessage())), e);
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held in this JVM through another path to the same file
        }
    }

    /**
     * Returns the backup directory.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the holder of a stale lock that this one took over (a run that ended without
     * releasing it, such as one killed), in words, or empty.
     *
     * @return the previous holder, when its lock was taken over
     */
    public Optional<String> tookOverFrom() {
        return Optional.ofNullable(staleHolder);
    }

    /** Releases the lock and empties the lock file; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.truncate(0);
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("cannot empty the lock file of {}", directory, e); // the next run finds the lock free anyway
        }
        try {
            lock.release();
        } catch (IOException e) {
            LOG.debug("cannot release the lock of {}", directory, e);
        }
        closeQuietly(channel, null);
        HELD.remove(key);
    }

    @Override
    public String toString() {
        return "BackupLock[" + directory + (closed ? ", released" : "") + "]";
    }

    private static String read(FileChannel ch) throws IOException {
        long size = Math.min(ch.size(), 4096);
        ByteBuffer buf = ByteBuffer.allocate((int) size);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
            // reads at absolute positions
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }

    private static void write(FileChannel ch, String command) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("pid=").append(ProcessHandle.current().pid()).append('\n');
        sb.append("host=").append(host()).append('\n');
        sb.append("started=").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append('\n');
        sb.append("command=").append(oneLine(command)).append('\n');
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        ch.truncate(0);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long at = 0;
        while (buf.hasRemaining()) {
            at += ch.write(buf, at);
        }
        ch.force(true);
    }

    /** Reads a lock file's holder back into words. */
    static String parse(String recorded) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : recorded.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        String pid = fields.getOrDefault("pid", "?");
        return "pid " + pid + " on " + fields.getOrDefault("host", "an unknown host")
                + (fields.containsKey("started") ? " since " + fields.get("started") : "")
                + (fields.containsKey("command") ? " (" + fields.get("command") + ")" : "");
    }

    private static String describe(long pid, String host, Instant started, String command) {
        return "pid " + pid + " on " + host + " since " + started.truncatedTo(ChronoUnit.SECONDS)
                + " (" + oneLine(command) + ")";
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "an unknown host";
        }
    }

    private static void closeQuietly(FileChannel ch, Exception primary) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }
}
