package io.github.imapbackup.mbox.format;

/**
 * The mbox variants (see {@code docs/FORMAT.md}). They differ in how a body line that starts with
 * {@code From } is protected, and in whether a {@code Content-Length:} header gives the body
 * length.
 *
 * <table>
 * <caption>What each dialect writes and what the reader does</caption>
 * <tr><th>dialect</th><th>writer</th><th>reader</th></tr>
 * <tr><td>{@link #MBOXO}</td><td>{@code ^From } gets a {@code >}</td><td>no unquoting</td></tr>
 * <tr><td>{@link #MBOXRD}</td><td>{@code ^>*From } gets a {@code >}</td>
 *     <td>{@code ^>+From } loses a {@code >}</td></tr>
 * <tr><td>{@link #MBOXCL}</td><td>as mboxo, plus {@code Content-Length:}</td>
 *     <td>no unquoting; trusts a valid {@code Content-Length:}; one that is the first header
 *     line is the file's and is left out of the message</td></tr>
 * <tr><td>{@link #MBOXCL2}</td><td>no quoting, plus {@code Content-Length:} as the first header
 *     line</td>
 *     <td>no unquoting; trusts a valid {@code Content-Length:}; one that is the first header
 *     line is the file's and is left out of the message</td></tr>
 * </table>
 */
public enum Dialect {
    /** The original mbox: {@code From } lines are quoted, quoting is not reversible. */
    MBOXO,
    /** Reversible quoting; what imapbackup writes. */
    MBOXRD,
    /** mboxo quoting plus a {@code Content-Length:} header. */
    MBOXCL,
    /** No quoting; a {@code Content-Length:} header gives the body length. */
    MBOXCL2;

    /**
     * Returns whether reading removes one {@code >} from lines matching {@code ^>+From }.
     *
     * @return whether reading removes one {@code >} from lines matching {@code ^>+From }
     */
    public boolean unquotes() {
        return this == MBOXRD;
    }

    /**
     * Returns whether the reader trusts a (valid) {@code Content-Length:} header.
     *
     * @return whether the reader trusts a (valid) {@code Content-Length:} header
     */
    public boolean usesContentLength() {
        return this == MBOXCL || this == MBOXCL2;
    }
}
