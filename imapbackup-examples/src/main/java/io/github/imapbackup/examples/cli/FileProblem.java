package io.github.imapbackup.examples.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** Says in words why a file given on the command line cannot be used, instead of an exception's class name. */
final class FileProblem {

    private FileProblem() { }

    /**
     * Returns why a file that is to be read cannot be, or null when it can.
     *
     * @param file the file
     * @return {@code does not exist}, {@code is a directory, not a file}, ... or null
     */
    static String ofReadableFile(Path file) {
        if (!Files.exists(file)) {
            return "does not exist";
        }
        if (Files.isDirectory(file)) {
            return "is a directory, not a file";
        }
        if (!Files.isReadable(file)) {
            return "cannot be read (permission denied)";
        }
        return null;
    }

    /**
     * Says why reading or writing a file failed.
     *
     * @param e the failure
     * @return {@code does not exist}, {@code cannot be read (permission denied)}, ... or the failure's message
     */
    static String of(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot be read (permission denied)";
        }
        if (e instanceof NotDirectoryException) {
            return "is not a directory";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "cannot be read" : "cannot be read: " + m;
    }

    /**
     * Checks that a directory given on the command line exists or can be created (without creating
     * it: a run that fails before it writes leaves nothing behind).
     *
     * @param option the option that named it, for the message
     * @param dir the directory
     * @throws UsageException naming the directory and why it cannot be created
     */
    static void requireCreatable(String option, Path dir) {
        if (Files.isDirectory(dir)) {
            String why = unwritable(dir);
            if (why != null) {
                throw new UsageException(option + ": nothing can be written in " + dir + ": " + why);
            }
            return;
        }
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        String why = existing.equals(dir.toAbsolutePath().normalize()) ? "it is a file"
                : !Files.isDirectory(existing) ? existing + " is a file, not a directory"
                : unwritable(existing) != null ? existing + ": " + unwritable(existing) : null;
        if (why != null) {
            throw new UsageException(option + ": cannot create the directory " + dir + ": " + why);
        }
    }

    /**
     * Returns why nothing can be written in an existing directory, or null when it can: a
     * read-only file system (which refuses root too) or no permission.
     *
     * @param dir the directory
     * @return {@code is on a read-only file system ...}, {@code is not writable (permission denied)} or null
     */
    static String unwritable(Path dir) {
        try {
            if (Files.getFileStore(dir).isReadOnly()) {
                return "it is on a read-only file system (remount it read-write, or choose another directory)";
            }
        } catch (IOException e) {
            // the file store cannot be told: the access check below decides
        }
        return Files.isWritable(dir) ? null : "permission denied (you may not write in it)";
    }

    /**
     * Returns why a file cannot be written (or replaced), or null when it can, as far as can be
     * told before writing.
     *
     * @param file the file
     * @return {@code is a directory}, {@code its directory ... does not exist}, ... or null
     */
    static String ofWritableFile(Path file) {
        if (Files.isDirectory(file)) {
            return "is a directory";
        }
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            return "its directory " + parent + " does not exist";
        }
        if (Files.exists(file) ? !Files.isWritable(file) : parent != null && !Files.isWritable(parent)) {
            return "cannot be written (permission denied)";
        }
        return null;
    }
}
