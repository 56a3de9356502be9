package io.github.imapbackup.examples.cli;

import io.github.imapbackup.imap.GmailLabels;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code backup} resolved from its options (both spellings lead here).
 *
 * @param server how to reach the account
 * @param store where and how to write
 * @param folders the folders to back up (exact names), empty for all
 * @param excludes regular expressions of folders to skip
 * @param subscribedOnly whether only subscribed folders are backed up
 * @param quiet whether progress and statistics are off
 * @param gmailLabels how Gmail's label folders are backed up ({@code --gmail-labels})
 */
record BackupSettings(ServerSettings server, BackupSettings.StoreSettings store, List<String> folders,
        List<String> excludes, boolean subscribedOnly, boolean quiet, GmailLabels gmailLabels) {

    /** Validates and copies. */
    BackupSettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(store, "store");
        folders = List.copyOf(folders);
        excludes = List.copyOf(excludes);
        Objects.requireNonNull(gmailLabels, "gmailLabels");
    }

    /** Settings with every folder a folder ({@link GmailLabels#PER_LABEL_COPIES}). */
    BackupSettings(ServerSettings server, StoreSettings store, List<String> folders, List<String> excludes,
            boolean subscribedOnly, boolean quiet) {
        this(server, store, folders, excludes, subscribedOnly, quiet, GmailLabels.PER_LABEL_COPIES);
    }

    /**
     * Where and how a backup directory is written.
     *
     * @param dir the directory
     * @param codec the codec name for new files, or null for the store's default
     * @param layout the layout of new folders, or null for the store's default
     */
    record StoreSettings(Path dir, String codec, DirOptions.Layout layout) {

        /** Validates. */
        StoreSettings {
            Objects.requireNonNull(dir, "dir");
        }

        /** Resolves the directory options. */
        static StoreSettings of(DirOptions o) {
            return new StoreSettings(o.dirOrDefault(), o.compress, o.layout);
        }
    }
}
