package io.github.imapbackup;

/**
 * The run was cancelled from another thread. It stopped at a message boundary: what was copied is
 * committed, a message in flight was dropped whole (the next run fetches it).
 */
public class CancelledException extends BackupException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public CancelledException() {
        super("cancelled", null);
    }
}
