package io.github.imapbackup.mbox.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** File helpers: owner-only creation, directory fsync. */
public final class FileSupport {

    private FileSupport() { }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    public static FileAttribute<?>[] fileAttributes(Path p) {
        return posix(p) ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
    }

    static FileAttribute<?>[] dirAttributes(Path p) {
        return posix(p) ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
            : new FileAttribute<?>[0];
    }

    /**
     * Creates a directory and its missing parents, owner-only; returns whether anything was created.
     *
     * @throws FileAlreadyExistsException if a file that is not a directory is in the way
     */
    public static boolean createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return false;
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            // checked again: another thread (a folder copied in parallel) may have created it since
            throw new FileAlreadyExistsException(dir.toString(), null, "not a directory");
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir, dirAttributes(dir));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            return false;
        }
        if (parent != null) {
            syncDirectory(parent);
        }
        return true;
    }

    /** Opens a file for reading and writing, creating it owner-only when absent. */
    public static FileChannel openWrite(Path file) throws IOException {
        return openWrite(file, true);
    }

    /**
     * Opens a file for reading and writing, creating it owner-only when absent; with
     * {@code syncDirectory} false the caller makes a new entry durable ({@link #syncDirectory}).
     */
    public static FileChannel openWrite(Path file, boolean syncDirectory) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.CREATE);
        boolean existed = Files.exists(file);
        FileChannel ch = FileChannel.open(file, options, fileAttributes(file));
        if (syncDirectory && !existed && file.getParent() != null) {
            try {
                syncDirectory(file.getParent());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }
        return ch;
    }

    /** Makes a directory's entries durable where the platform allows it (best effort elsewhere). */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (posix(dir)) {
                throw e;
            }
        }
    }
}
