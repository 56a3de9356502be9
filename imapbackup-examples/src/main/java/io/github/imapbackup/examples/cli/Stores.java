package io.github.imapbackup.examples.cli;

import io.github.imapbackup.mbox.Layout;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.MailboxStore;
import java.nio.file.Files;

/** Builds the backup directory store from resolved settings. */
final class Stores {

    private Stores() { }

    /**
     * Builds the store (no I/O beyond checks).
     *
     * @param s the settings
     * @param dryRun whether nothing may be written (the directory need not exist)
     * @return the store
     * @throws UsageException if the directory is a file, or the codec is unknown
     */
    static MailboxStore mbox(BackupSettings.StoreSettings s, boolean dryRun) {
        if (Files.exists(s.dir()) && !Files.isDirectory(s.dir())) {
            throw new UsageException("not a directory: " + s.dir());
        }
        MboxStore.Builder b = MboxStore.builder(s.dir());
        if (s.codec() != null) {
            b.codec(Codecs.byName(s.codec()));
        }
        if (s.layout() != null) {
            b.layout(s.layout() == DirOptions.Layout.FLAT ? Layout.FLAT : Layout.NESTED);
        }
        return b.build();
    }
}
