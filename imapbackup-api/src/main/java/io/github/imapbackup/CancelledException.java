package io.github.imapbackup;

/** The run was cancelled from another thread; it stopped at a message boundary. */
public class CancelledException extends BackupException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public CancelledException() {
        super("cancelled", null);
    }
}
