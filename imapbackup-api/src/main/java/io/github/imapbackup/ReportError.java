package io.github.imapbackup;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One failure listed in a report.
 *
 * @param folder the folder, or null when the failure concerns no single folder
 * @param uid the message UID, or -1 when the failure concerns no single message or it is unknown
 * @param message what went wrong
 */
public record ReportError(String folder, long uid, String message) {

    /**
     * Validates.
     *
     * @param folder the folder, or null when the failure concerns no single folder
     * @param uid the message UID, or -1 when the failure concerns no single message or it is
     *     unknown
     * @param message what went wrong
     */
    public ReportError {
        Objects.requireNonNull(message, "message");
        if (uid < -1 || uid == 0) {
            uid = -1;
        }
    }

    /**
     * Builds the entry for an exception, taking folder and UID from it when it has them.
     *
     * @param folder the folder being worked on, or null
     * @param e the failure
     * @return the entry
     */
    public static ReportError of(String folder, BackupException e) {
        String f = e.folder().orElse(folder);
        OptionalLong uid = e.uid();
        return new ReportError(f, uid.isPresent() ? uid.getAsLong() : -1, String.valueOf(e.getMessage()));
    }

    /** {@return the UID, if known} */
    public OptionalLong uidIfKnown() {
        return uid > 0 ? OptionalLong.of(uid) : OptionalLong.empty();
    }
}
