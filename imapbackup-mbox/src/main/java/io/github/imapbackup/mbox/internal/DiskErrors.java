package io.github.imapbackup.mbox.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * Says in words what a failed write means for the user (docs/CLI.md, "Disk faults and permissions"): a full disk
 * and a read-only file system are named as such, with what to do; other failures keep the
 * system's message.
 */
public final class DiskErrors {

    private DiskErrors() { }

    /**
     * Returns the reason of a failure, as the system gave it, without the file name that a
     * {@link FileSystemException} adds (the caller names the file).
     *
     * @param e the failure
     * @return the reason
     */
    static String reason(IOException e) {
        String m = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * Returns whether a failure says that the disk (or the user's quota) is full.
     *
     * @param e the failure
     * @return whether it is ENOSPC or EDQUOT (or the Windows equivalent)
     */
    public static boolean full(IOException e) {
        String m = reason(e).toLowerCase(Locale.ROOT);
        return m.contains("no space left on device") || m.contains("disk quota exceeded")
                || m.contains("not enough space on the disk");
    }

    /**
     * Returns whether a failure says that the file system is read-only.
     *
     * @param e the failure
     * @return whether it is EROFS
     */
    public static boolean readOnly(IOException e) {
        return reason(e).toLowerCase(Locale.ROOT).contains("read-only file system");
    }

    /**
     * Describes why a write failed, for a message that names the file itself: {@code the disk is
     * full (No space left on device); free some space, then run again: it goes on from there}, a
     * read-only file system, a permission denied, or the system's reason.
     *
     * @param e the failure
     * @return the words
     */
    public static String why(IOException e) {
        String reason = reason(e);
        if (full(e)) {
            return "the disk is full (" + reason + "); free some space, then run again: it goes on from there";
        }
        if (readOnly(e)) {
            return "the file system is read-only (" + reason + "); make it writable or choose another directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e instanceof FileSystemException && e.getMessage() != null ? e.getMessage() : reason;
    }
}
