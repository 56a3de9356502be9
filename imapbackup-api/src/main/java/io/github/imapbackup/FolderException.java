package io.github.imapbackup;

/** A failure of one folder (or of one message in it when {@link #uid()} is present). */
public class FolderException extends BackupException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates a folder failure.
     *
     * @param folder the folder
     * @param message what went wrong
     * @param cause the cause, or null
     */
    public FolderException(String folder, String message, Throwable cause) {
        super("folder \"" + folder + "\": " + message, cause, folder, -1, null, -1);
    }

    /**
     * Creates a failure of one message.
     *
     * @param folder the folder
     * @param uid the message UID
     * @param message what went wrong
     * @param cause the cause, or null
     */
    public FolderException(String folder, long uid, String message, Throwable cause) {
        super("folder \"" + folder + "\", UID " + uid + ": " + message, cause, folder, uid, null, -1);
    }
}
