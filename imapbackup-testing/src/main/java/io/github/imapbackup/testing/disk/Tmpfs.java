package io.github.imapbackup.testing.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real, small file system for disk fault tests: a tmpfs mounted by the test (mounting needs root;
 * {@link #mount} skips the test otherwise). It can be made bigger (room again), read-only and
 * writable again, and is unmounted on {@link #close()}.
 *
 * <pre>{@code
 * try (Tmpfs disk = Tmpfs.mount(tempDir, 64 * 1024)) {
 *     Path dir = disk.root().resolve("backup");
 *     ... // a write that needs more fails with "No space left on device"
 *     disk.resize(8 << 20);
 * }
 * }</pre>
 */
public final class Tmpfs implements AutoCloseable {

    private final Path root;
    private boolean mounted = true;

    private Tmpfs(Path root) {
        this.root = root;
    }

    /**
     * Mounts a tmpfs of {@code bytes} (rounded up to whole pages by the kernel) on an empty
     * directory, owner-only; skips the calling test when that is not possible (not root, no mount).
     *
     * @param mountPoint an existing empty directory
     * @param bytes the size
     * @return the mounted file system
     */
    public static Tmpfs mount(Path mountPoint, long bytes) {
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=700", "tmpfs",
                mountPoint.toString()) == 0, "cannot mount a tmpfs (not root?): the test needs a real small disk");
        return new Tmpfs(mountPoint);
    }

    /** {@return the directory it is mounted on} */
    public Path root() {
        return root;
    }

    /**
     * Changes its size: bigger gives room again.
     *
     * @param bytes the new size
     */
    public void resize(long bytes) {
        remount("size=" + bytes);
    }

    /**
     * Makes it read-only or writable again, for real: root ignores mode bits, a read-only mount
     * refuses root too ({@code EROFS}).
     *
     * @param readOnly whether writes are refused
     */
    public void readOnly(boolean readOnly) {
        remount(readOnly ? "ro" : "rw");
    }

    /**
     * Fills it with a file until exactly {@code free} bytes (rounded to pages) are left.
     *
     * @param name the filler file's name, under {@link #root()}
     * @param free the bytes to leave free
     * @return the filler file
     */
    public Path fill(String name, long free) {
        Path filler = root.resolve(name);
        try {
            long usable = Files.getFileStore(root).getUsableSpace();
            long want = Math.max(0, usable - free);
            try (var ch = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(1 << 16);
                long done = 0;
                while (done < want) {
                    block.clear().limit((int) Math.min(block.capacity(), want - done));
                    try {
                        done += ch.write(block);
                    } catch (IOException full) {
                        break; // the disk is full a little early: what was asked for, near enough
                    }
                }
            }
            return filler;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void remount(String options) {
        if (run("mount", "-o", "remount," + options, root.toString()) != 0) {
            throw new IllegalStateException("cannot remount " + root + " with " + options);
        }
    }

    /** Unmounts it; idempotent. */
    @Override
    public void close() {
        if (mounted) {
            mounted = false;
            if (run("umount", root.toString()) != 0 && run("umount", "-l", root.toString()) != 0) {
                throw new IllegalStateException("cannot unmount " + root);
            }
        }
    }

    /**
     * Runs a system command, its output dropped.
     *
     * @param command the command and its arguments
     * @return its exit status, or -1 when it cannot be started or does not end within a minute
     */
    public static int run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1; // no such command
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
