package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.mbox.Layout;
import io.github.imapbackup.mbox.LayoutConflictException;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import java.nio.file.Files;

/** Builds the backup directory store from resolved settings. */
final class Stores {

    private Stores() { }

    /**
     * Builds the store. The layout option only maps onto the store's: the library records a
     * directory's layout, detects it when unrecorded, and refuses a conflicting one, which this
     * method reports as bad usage before anything runs.
     *
     * @param s the settings
     * @param dryRun whether nothing may be written (the directory need not exist)
     * @return the store
     * @throws UsageException if the directory is a file, the codec is unknown, or the layout
     *     conflicts with the directory's
     */
    static MboxStore mbox(BackupSettings.StoreSettings s, boolean dryRun) {
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
        if (s.layout() != null) {
            b.layout(s.layout() == DirOptions.Layout.FLAT ? Layout.FLAT : Layout.NESTED);
        }
        MboxStore store;
        try {
            store = b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--compress: " + e.getMessage()); // e.g. zstd without its library
        }
        try {
            store.layout();
        } catch (LayoutConflictException e) {
            throw new UsageException(e.getMessage() + (e.requested().isPresent() && e.found().isPresent()
                    ? " (leave out --layout, or give another --dir)" : ""));
        } catch (BackupException e) {
            throw new UsageException(e.getMessage());
        }
        return store;
    }

    /**
     * Returns the codec of a name.
     *
     * @param name the name
     * @return the codec
     * @throws UsageException if no codec has that name, or its library is missing
     */
    static CompressionCodec codec(String name) {
        CompressionCodec codec;
        try {
            codec = Codecs.byName(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--compress: " + e.getMessage());
        }
        if (!codec.isAvailable()) {
            try {
                codec.requireAvailable();
            } catch (io.github.imapbackup.CodecUnavailableException e) {
                throw new UsageException("--compress: " + e.getMessage());
            }
        }
        return codec;
    }
}
