package io.github.imapbackup;

import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.util.List;
import java.util.Objects;

/**
 * The size of an account, or of the folders of it a filter selects: what a migration prints
 * before it starts (imapsync's "sizing" block), so a user sees what is to be moved on each side.
 * {@link #measure} only reads (an IMAP source opens folders with {@code EXAMINE}).
 *
 * <pre>{@code
 * AccountSizes host1 = AccountSizes.measure(source, FolderFilter.all().exclude("Trash"));
 * log.info("{} folders, {} messages, {} bytes, biggest {} bytes",
 *         host1.folders(), host1.messages(), host1.bytes(), host1.biggest());
 * }</pre>
 *
 * @param folders the folders measured (selectable ones the filter selects)
 * @param messages the messages in them
 * @param bytes the sum of their sizes (RFC822.SIZE on an IMAP server)
 * @param biggest the size of the biggest message, 0 when there is none
 */
public record AccountSizes(int folders, long messages, long bytes, long biggest) {

    /**
     * Validates.
     *
     * @param folders the folders measured
     * @param messages the messages in them
     * @param bytes the sum of their sizes
     * @param biggest the size of the biggest message
     */
    public AccountSizes {
        if (folders < 0 || messages < 0 || bytes < 0 || biggest < 0 || biggest > bytes) {
            throw new IllegalArgumentException("sizes: " + folders + " folders, " + messages + " messages, "
                    + bytes + " bytes, biggest " + biggest);
        }
    }

    /**
     * Lists the selected folders of a source and sums their messages' sizes, over one connection.
     *
     * @param source the account
     * @param filter which folders count (names the filter includes but the account lacks are ignored)
     * @return the sizes
     * @throws BackupException if the account cannot be reached or a folder cannot be read
     */
    public static AccountSizes measure(MessageSource source, FolderFilter filter) throws BackupException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(filter, "filter");
        int folders = 0;
        long messages = 0;
        long bytes = 0;
        long biggest = 0;
        try (SourceConnection c = source.connect()) {
            for (FolderInfo f : filter.select(c.folders(), "on " + source.describe()).folders()) {
                try (SourceFolder open = c.open(f)) {
                    List<MessageInfo> all = open.messages(1);
                    folders++;
                    messages += all.size();
                    for (MessageInfo m : all) {
                        long size = Math.max(0, m.size()); // unknown sizes count as 0
                        bytes += size;
                        biggest = Math.max(biggest, size);
                    }
                }
            }
        }
        return new AccountSizes(folders, messages, bytes, biggest);
    }
}
