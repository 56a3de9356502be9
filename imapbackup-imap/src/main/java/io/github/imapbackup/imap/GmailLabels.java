package io.github.imapbackup.imap;

/**
 * How an {@link ImapSource} treats Gmail's label folders ({@link ImapSource.Builder#gmailLabels}).
 * On Gmail every label is a folder: a message labelled {@code Work} and {@code Travel} that is
 * also in the inbox appears in {@code INBOX}, {@code Work}, {@code Travel} and
 * {@code [Gmail]/All Mail}, so backing up every folder stores it four times.
 *
 * <pre>{@code
 * ImapSource gmail = ImapSource.builder()
 *         .host("imap.gmail.com")
 *         .user("alice@gmail.com")
 *         .password(() -> appPassword.clone())
 *         .gmailLabels(GmailLabels.STORE_ONCE)   // All Mail, Spam and Trash; labels recorded
 *         .build();
 * }</pre>
 *
 * <p>See docs/IMAP.md, "Gmail labels".
 */
public enum GmailLabels {

    /**
     * Every folder is a folder, as on any server (the default): a message with several labels is
     * stored once per label folder.
     */
    PER_LABEL_COPIES,

    /**
     * On a server with Gmail's IMAP extensions ({@code X-GM-EXT-1}) and an All Mail folder (the
     * special-use attribute {@code \All}, whatever its localised name), the account's folders are
     * All Mail, Spam ({@code \Junk}) and Trash ({@code \Trash}), which hold every message once;
     * each message's labels ({@code X-GM-LABELS}) are fetched with its metadata and recorded with
     * it, and label changes are followed like flag changes. {@code INBOX}, the label folders and
     * Gmail's other views ({@code \Sent}, {@code \Drafts}, {@code \Important}, {@code \Flagged})
     * are not listed. On another server, or without an All Mail folder, a warning is logged and
     * every folder is listed as with {@link #PER_LABEL_COPIES}.
     */
    STORE_ONCE
}
