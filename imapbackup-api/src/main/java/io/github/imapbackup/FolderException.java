package io.github.imapbackup;

/** A failure of one folder (or of one message in it when {@link #uid()} is present). */
public class FolderException extends BackupException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, without the folder: the UID and message as given. */
    private final String reason;

    /**
     * Creates a folder failure.
     *
     * @param folder the folder
     * @param message what went wrong
     * @param cause the cause, or null
     */
    public FolderException(String folder, String message, Throwable cause) {
        super("folder \"" + folder + "\": " + message, cause, folder, -1, null, -1);
        this.reason = message;
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
        this.reason = "UID " + uid + ": " + message;
    }

    /**
     * Returns what a failure says, for the message of another failure of the same folder that
     * quotes it, so that the folder is named once: without {@code folder "X": } when {@code e} is
     * a {@link FolderException} of {@code folder} (its UID kept), else {@code e}'s whole message.
     *
     * <pre>{@code
     * throw new FolderException(name, "the commit failed: " + FolderException.reason(name, e), e);
     * }</pre>
     *
     * @param folder the folder of the failure that quotes {@code e}
     * @param e the failure quoted
     * @return the words to quote
     */
    public static String reason(String folder, Throwable e) {
        return e instanceof FolderException f && f.folder().filter(folder::equals).isPresent()
                ? f.reason : String.valueOf(e.getMessage());
    }
}
