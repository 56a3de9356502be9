package io.github.imapbackup;

import java.nio.file.Path;

/** A stored message whose bytes no longer match what its index recorded. */
public class IntegrityException extends BackupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file the mbox file
     * @param offset the byte offset of the message's separator line
     * @param uid the message UID, or -1 when unknown
     * @param message what does not match
     */
    public IntegrityException(Path file, long offset, long uid, String message) {
        super(file + " at byte " + offset + (uid > 0 ? " (UID " + uid + ")" : "") + ": " + message,
                null, null, uid, file, offset);
    }
}
