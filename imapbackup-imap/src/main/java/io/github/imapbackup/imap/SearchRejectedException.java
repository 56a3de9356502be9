package io.github.imapbackup.imap;

import io.github.imapbackup.FolderException;

/**
 * The source server refused the search expression of {@link ImapSource.Builder#search(String)} (a
 * {@code BAD} answer to {@code UID SEARCH}): a mistake of the user's, not of the mail. Thrown by
 * {@link ImapSource#connect()} once per source, before any folder is read, so a command can report
 * it as bad usage; names the folder where it was tried, the expression and the server's words.
 */
public class SearchRejectedException extends FolderException {

    private static final long serialVersionUID = 1L;

    /** The search expression as the user gave it. */
    private final String expression;

    /**
     * Creates the failure.
     *
     * @param folder the folder where the search was tried
     * @param expression the search expression as the user gave it
     * @param reason the server's answer
     */
    public SearchRejectedException(String folder, String expression, String reason) {
        super(folder, "the server refused the search expression \"" + expression + "\" (" + reason
                + "); check its IMAP SEARCH syntax (RFC 3501, 6.4.4), e.g. SINCE 1-Jan-2020 FROM \"x\"", null);
        this.expression = expression;
    }

    /** {@return the search expression as the user gave it} */
    public String expression() {
        return expression;
    }
}
