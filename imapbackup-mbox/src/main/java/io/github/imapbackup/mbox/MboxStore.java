package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A backup directory: one mbox file and one index per folder (see {@code docs/FORMAT-index.md}
 * and {@link FolderPaths} for the file names).
 *
 * <pre>{@code
 * MailboxStore store = MboxStore.builder(Path.of("backup")).codec("zstd").layout(Layout.NESTED).build();
 * FolderInfo inbox = new FolderInfo("INBOX", "/", Set.of(), true);
 * try (FolderArchive archive = store.open(inbox)) {
 *     archive.append(newMessage, content);
 *     archive.commit();
 * }
 * }</pre>
 *
 * <p><b>Opening</b> a folder for writing creates its directories and files (owner-only), takes an
 * exclusive lock on its index (a second writer, in this or another process, fails with a
 * {@link io.github.imapbackup.FolderException}) and repairs what a crash left: index records after
 * the last commit record are dropped, an mbox longer than that commit says is cut back to it (those
 * messages were never committed; the next run fetches them again). An mbox shorter than committed,
 * or missing, is an error ({@link io.github.imapbackup.MalformedMboxException}), never ignored. An
 * mbox without an index is scanned to rebuild the index (UID 0, identity from the message headers),
 * so the next backup matches its messages by identity and stores none twice.
 *
 * <p><b>Layout.</b> A backup directory has one layout (docs/FORMAT-index.md), recorded in a file
 * {@code .imapbackup} at its root when the first folder is opened for writing. Without a record
 * (a directory of an older version, or of the original script) the layout is detected from the
 * files, as {@code docs/FORMAT-index.md} describes; a directory that shows neither layout (empty, or
 * only single-segment folders, which are the same file in both) takes the builder's layout, else
 * nested. A builder layout that differs from the recorded or detected one is refused with a
 * {@link LayoutConflictException} (from {@link #layout()}, {@link #open(FolderInfo)} and
 * {@link #openReadOnly(FolderInfo)}), so the folders are never stored a second time in other files.
 *
 * <p><b>Codec.</b> The codec applies to new files. A folder whose mbox already exists keeps the
 * codec of that file (its index records it), so a folder never has two mbox files.
 *
 * <p>Thread-safe: different folders may be opened from different threads.
 */
public final class MboxStore implements MailboxStore {

    private final Path root;
    private final CompressionCodec codec;
    /** The layout asked for, or null for the directory's. */
    private final Layout requested;
    private final MessageIdExtractor extractor;
    /** The layout in effect, once resolved. */
    private volatile Layout resolved;
    /** Whether the layout is recorded in the directory. */
    private volatile boolean recorded;

    private MboxStore(Builder b) {
        this.root = b.root;
        this.codec = b.codec;
        this.requested = b.layout;
        this.extractor = b.extractor;
    }

    /**
     * Starts building a store.
     *
     * @param root the backup directory (created on the first {@link #open(FolderInfo)} if absent)
     * @return the builder
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /**
     * Returns a builder with this store's settings, for a variation.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder(root).codec(codec).extractor(extractor);
        return requested == null ? b : b.layout(requested);
    }

    /**
     * Returns the backup directory.
     *
     * @return the backup directory
     */
    public Path root() {
        return root;
    }

    /**
     * Returns the codec of new mbox files.
     *
     * @return the codec
     */
    public CompressionCodec codec() {
        return codec;
    }

    /**
     * Returns the layout in effect: the one recorded in the backup directory, else the one its
     * files show, else the builder's, else {@link Layout#NESTED}. Reads the directory on the first
     * call (and writes nothing).
     *
     * @return the layout
     * @throws LayoutConflictException if the builder's layout differs from the directory's, or the
     *     directory holds folders in both layouts
     * @throws BackupException if the directory or its layout record cannot be read
     */
    public Layout layout() throws BackupException {
        Layout l = resolved;
        if (l == null) {
            synchronized (this) {
                if (resolved == null) {
                    resolved = DirectoryLayout.resolve(root, requested);
                }
                l = resolved;
            }
        }
        return l;
    }

    /** Returns the layout, recorded in the directory (before anything is written there). */
    private Layout layoutForWriting() throws BackupException {
        Layout l = layout();
        if (!recorded) {
            synchronized (this) {
                if (!recorded) {
                    DirectoryLayout.record(root, l);
                    recorded = true;
                }
            }
        }
        return l;
    }

    /**
     * {@inheritDoc}
     *
     * @throws io.github.imapbackup.FolderException if the folder is open elsewhere or its file name
     *     is taken by another folder
     * @throws io.github.imapbackup.MalformedMboxException if the mbox is shorter than its index
     *     records or the index is damaged before its last commit
     */
    @Override
    public FolderArchive open(FolderInfo folder) throws BackupException {
        return new ArchiveOpener(this, layoutForWriting(), folder).open();
    }

    @Override
    public Optional<FolderArchive> openReadOnly(FolderInfo folder) throws BackupException {
        return new ArchiveOpener(this, layout(), folder).openReadOnly();
    }

    @Override
    public List<FolderInfo> folders() throws BackupException {
        return ArchiveOpener.folders(root);
    }

    @Override
    public String location(FolderInfo folder) {
        Layout layout;
        try {
            layout = layout();
        } catch (BackupException e) {
            layout = requested != null ? requested : Layout.NESTED;
        }
        String base = FolderPaths.baseName(folder, layout);
        for (CompressionCodec c : Codecs.all()) {
            if (Files.isRegularFile(FolderPaths.resolve(root, base + c.suffix()))) {
                return base + c.suffix();
            }
        }
        return base + codec.suffix();
    }

    MessageIdExtractor extractor() {
        return extractor;
    }

    @Override
    public String toString() {
        Layout l = resolved != null ? resolved : requested;
        return "MboxStore[" + root + ", " + codec.name() + ", " + (l == null ? "layout not yet read" : l) + "]";
    }

    /** Builds a {@link MboxStore}; does no I/O. */
    public static final class Builder {

        private final Path root;
        private CompressionCodec codec = Codecs.NONE;
        private Layout layout;
        private MessageIdExtractor extractor = MessageIdExtractor.standard();

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /**
         * Sets the codec of new mbox files (default none).
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder codec(CompressionCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            return this;
        }

        /**
         * Sets the codec of new mbox files by name ({@code none}, {@code gzip}, {@code bzip2},
         * {@code xz}, {@code zstd}).
         *
         * @param name the codec name
         * @return this builder
         * @throws IllegalArgumentException if no codec has that name
         */
        public Builder codec(String name) {
            return codec(Codecs.byName(Objects.requireNonNull(name, "name")));
        }

        /**
         * Sets the layout of a new backup directory (default: the directory's own, nested for a new
         * one). An existing directory keeps its layout; asking for the other one makes
         * {@link MboxStore#open(FolderInfo)} fail with a {@link LayoutConflictException}.
         *
         * @param layout the layout
         * @return this builder
         */
        public Builder layout(Layout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /**
         * Sets the extractor that gives messages their identity when a lost index is rebuilt from
         * the mbox (default {@link MessageIdExtractor#standard()}).
         *
         * @param extractor the extractor
         * @return this builder
         */
        public Builder extractor(MessageIdExtractor extractor) {
            this.extractor = Objects.requireNonNull(extractor, "extractor");
            return this;
        }

        /**
         * Builds the store.
         *
         * @return the store
         */
        public MboxStore build() {
            return new MboxStore(this);
        }
    }
}
