package io.github.imapbackup.testing.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * A real file system without POSIX permissions, owner or case-sensitive names for tests: an exFAT
 * image, made with {@code mkfs.exfat} (exfatprogs) and mounted through a loop device, by the
 * kernel's exfat driver when it has one, else by {@code mount.exfat-fuse} (exfat-fuse). Mounting
 * needs root, loop devices and one of the drivers; {@link #mount} skips the test, saying which is
 * missing, otherwise. Unmounted and detached on {@link #close()}.
 */
public final class ExfatImage implements AutoCloseable {

    private final Path root;
    private final String loop;
    private boolean mounted = true;

    private ExfatImage(Path root, String loop) {
        this.root = root;
        this.loop = loop;
    }

    /**
     * Makes an image of {@code bytes} in {@code dir} and mounts it on {@code dir/mnt}, or skips the test.
     *
     * @param dir a directory for the image and the mount point
     * @param bytes the image's size
     * @return the mounted file system
     */
    public static ExfatImage mount(Path dir, long bytes) {
        try {
            Path image = dir.resolve("exfat.img");
            try (var ch = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.position(bytes - 1);
                ch.write(java.nio.ByteBuffer.wrap(new byte[1]));
            }
            Assumptions.assumeTrue(Tmpfs.run("mkfs.exfat", image.toString()) == 0,
                    "mkfs.exfat is missing (install exfatprogs): no exFAT file system to test on");
            String loop = attach(image);
            Assumptions.assumeTrue(loop != null, "no loop device (losetup failed; not root, or in a container"
                    + " without /dev/loop*): no exFAT file system to test on");
            Path mnt = Files.createDirectory(dir.resolve("mnt"));
            if (Tmpfs.run("mount", "-t", "exfat", loop, mnt.toString()) != 0
                    && Tmpfs.run("mount.exfat-fuse", loop, mnt.toString()) != 0) {
                Tmpfs.run("losetup", "-d", loop);
                Assumptions.abort("neither the kernel's exfat driver nor mount.exfat-fuse (exfat-fuse) can"
                        + " mount an exFAT image here");
            }
            return new ExfatImage(mnt, loop);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String attach(Path image) throws IOException {
        try {
            Process p = new ProcessBuilder("losetup", "-f", "--show", image.toString()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && out.startsWith("/dev/") ? out : null;
        } catch (IOException e) {
            return null; // no losetup
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** {@return the directory it is mounted on} */
    public Path root() {
        return root;
    }

    /** Unmounts it and detaches the loop device; idempotent. */
    @Override
    public void close() {
        if (mounted) {
            mounted = false;
            if (Tmpfs.run("umount", root.toString()) != 0) {
                Tmpfs.run("umount", "-l", root.toString());
            }
            Tmpfs.run("losetup", "-d", loop);
        }
    }
}
