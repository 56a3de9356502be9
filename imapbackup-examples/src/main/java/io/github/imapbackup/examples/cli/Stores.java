package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.FolderPaths;
import io.github.imapbackup.mbox.Layout;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.MailboxStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the backup directory store from resolved settings. */
final class Stores {

    private static final Logger LOG = LoggerFactory.getLogger(Stores.class);

    private Stores() { }

    /**
     * Builds the store. Without an explicit layout, an existing backup directory's layout is
     * detected from where its index files are (nested when nothing tells).
     *
     * @param s the settings
     * @param dryRun whether nothing may be written (the directory need not exist)
     * @return the store
     * @throws UsageException if the directory is a file, or the codec is unknown
     */
    static MailboxStore mbox(BackupSettings.StoreSettings s, boolean dryRun) {
        if (Files.exists(s.dir()) && !Files.isDirectory(s.dir())) {
            throw new UsageException("--dir: " + s.dir() + " is not a directory (give the backup directory)");
        }
        if (!dryRun) {
            FileProblem.requireCreatable("--dir", s.dir());
        }
        MboxStore.Builder b = MboxStore.builder(s.dir());
        if (s.codec() != null) {
            b.codec(codec(s.codec()));
        }
        b.layout(s.layout() == DirOptions.Layout.FLAT ? Layout.FLAT
                : s.layout() == DirOptions.Layout.NESTED ? Layout.NESTED : detect(s.dir()));
        return b.build();
    }

    /**
     * Returns the codec of a name.
     *
     * @param name the name
     * @return the codec
     * @throws UsageException if no codec has that name
     */
    static CompressionCodec codec(String name) {
        try {
            return Codecs.byName(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Returns the layout the indexes of an existing backup directory use; nested when none tells. */
    static Layout detect(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Layout.NESTED;
        }
        try {
            for (FolderInfo f : MboxStore.builder(dir).build().folders()) {
                String nested = FolderPaths.indexName(f, Layout.NESTED);
                String flat = FolderPaths.indexName(f, Layout.FLAT);
                if (nested.equals(flat)) {
                    continue;
                }
                boolean n = Files.exists(FolderPaths.resolve(dir, nested));
                boolean fl = Files.exists(FolderPaths.resolve(dir, flat));
                if (fl && !n) {
                    LOG.info("{}: flat layout detected", dir);
                    return Layout.FLAT;
                }
                if (n) {
                    return Layout.NESTED;
                }
            }
        } catch (BackupException | RuntimeException e) {
            LOG.debug("cannot detect the layout of {}", dir, e);
        }
        return Layout.NESTED;
    }
}
