package io.github.imapbackup.mbox;

/**
 * How folder names map to mbox files in a backup directory (see {@code docs/FORMAT-index.md}).
 *
 * <pre>{@code
 * MailboxStore store = MboxStore.builder(dir).layout(Layout.FLAT).build();
 * }</pre>
 */
public enum Layout {

    /** Segments joined by {@code /}: {@code Archive/2019/Q3.mbox} (the default). */
    NESTED,

    /** Segments joined by {@code .}, with {@code .} inside a segment encoded: {@code Archive.2019.Q3.mbox}. */
    FLAT
}
