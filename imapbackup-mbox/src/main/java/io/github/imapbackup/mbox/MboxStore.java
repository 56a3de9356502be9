package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.CodecUnavailableException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.codec.CodecRegistry;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.TargetFolder;
import io.github.imapbackup.spi.MessageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A backup directory: one mbox file and one index per folder (see {@code docs/FORMAT-index.md}
 * for the files and their names).
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
 * codec of that file (its index records it), so a folder never has two mbox files. The store knows
 * the installed codecs ({@link CodecRegistry#installed()}: built in, or found as services, such as
 * {@code xz} and {@code zstd} from their own artifacts) and any given to its builder
 * ({@link Builder#codec(CompressionCodec)}, {@link Builder#registerCodec(CompressionCodec)}); a
 * folder whose codec it does not know, or whose library is missing, fails to open with a
 * {@link CodecUnavailableException} that names the file and what to add (see {@code docs/CODECS.md}).
 *
 * <p>Thread-safe: different folders may be opened from different threads.
 */
public final class MboxStore implements MailboxStore {

    private final Path root;
    private final CompressionCodec codec;
    /** The codecs this store reads: the installed ones and those given to the builder. */
    private final CodecRegistry codecs;
    /** The codecs given to the builder, for {@link #toBuilder()}. */
    private final List<CompressionCodec> registered;
    /** The layout asked for, or null for the directory's. */
    private final Layout requested;
    /** The layout in effect, once resolved. */
    private volatile Layout resolved;
    /** Whether the layout is recorded in the directory. */
    private volatile boolean recorded;
    /** The time recorded as a message's archived and expunged time, and in commit records. */
    private final Clock clock;
    /** The most a compressed file may expand when read; 0 for no limit. */
    private final int maxExpansion;

    private MboxStore(Builder b, CompressionCodec codec, CodecRegistry codecs) {
        this.root = b.root;
        this.codec = codec;
        this.codecs = codecs;
        this.registered = List.copyOf(b.registered);
        this.requested = b.layout;
        this.clock = b.clock;
        this.maxExpansion = b.maxExpansion;
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
        Builder b = new Builder(root).codec(codec).clock(clock).maxExpansion(maxExpansion);
        registered.forEach(b::registerCodec);
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
     * Returns how many times a compressed mbox file may expand when it is read.
     *
     * @return uncompressed bytes per compressed byte; 0 for no limit
     */
    public int maxExpansion() {
        return maxExpansion;
    }

    /** Returns the clock that gives the times the folder indexes record. */
    Clock clock() {
        return clock;
    }

    /**
     * Returns the codecs this store reads and writes: the installed ones, and those given to its
     * builder.
     *
     * @return the codecs
     */
    public CodecRegistry codecs() {
        return codecs;
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
    public FolderArchive open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        Objects.requireNonNull(extractor, "extractor");
        return new ArchiveOpener(this, layoutForWriting(), folder, extractor).open();
    }

    /**
     * {@inheritDoc} An archive whose index is missing is read with an index rebuilt in memory by
     * the standard extractor.
     */
    @Override
    public Optional<FolderArchive> openReadOnly(FolderInfo folder) throws BackupException {
        return new ArchiveOpener(this, layout(), folder, MessageIdExtractor.standard()).openReadOnly();
    }

    /**
     * {@inheritDoc} Two folders whose files differ only in case ({@code Case}, {@code CASE}) are
     * refused where the directory's file system does not tell case apart (FAT, exFAT, NTFS, macOS),
     * since they would share one file.
     */
    @Override
    public void prepare(List<FolderInfo> folders, String sourcePrefix) throws BackupException {
        Layout l;
        try {
            l = layout();
        } catch (BackupException e) {
            return; // a layout conflict: each folder fails with it when it is opened
        }
        CaseCollisions.check(root, l, folders, describe());
    }

    @Override
    public TargetFolder inspect(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        Optional<FolderArchive> archive = new ArchiveOpener(this, layout(), folder,
                Objects.requireNonNull(extractor, "extractor")).openReadOnly();
        return archive.isPresent() ? archive.get() : MailboxStore.super.inspect(folder, extractor);
    }

    /**
     * Locks the backup directory for one run (creating it when absent): a second run on the same
     * directory, in this or another process, is refused until this one closes the lock; a lock left
     * by a run that was killed is taken over with a warning. See {@link BackupLock}.
     *
     * <pre>{@code
     * try (BackupLock lock = store.lock("backup")) {
     *     session.run();
     * }
     * }</pre>
     *
     * @param command what runs, recorded for a second run's message (never a secret)
     * @return the lock; the caller closes it
     * @throws DirectoryLockedException if another run holds the directory
     * @throws BackupException if the directory or its lock file cannot be created
     */
    public BackupLock lock(String command) throws BackupException {
        return BackupLock.acquire(root, command);
    }

    /**
     * Encodes a name as one file or directory name with the rules of a folder name's segment
     * (docs/FORMAT-index.md): percent-encoding of control characters, path separators and the
     * characters Windows refuses, of a leading dot and of a trailing dot or space, and a hash when
     * it is too long; every other character stays. For directories of one's own beside or above
     * backup directories, such as one per account.
     *
     * @param name the name, such as an e-mail address
     * @return the encoded name, never empty, never {@code .} or {@code ..}
     */
    public static String fileName(String name) {
        return FolderPaths.shorten(FolderPaths.encodeSegment(Objects.requireNonNull(name, "name"), Layout.NESTED));
    }

    @Override
    public String describe() {
        return root.toString();
    }

    /**
     * Opens a read-only view of the backup directory: its folders (each one readable, wherever
     * its files lie, with or without index), their messages as streams, their exact bytes, and a
     * verification. Writes, locks and repairs nothing.
     *
     * <pre>{@code
     * try (BackupArchive archive = MboxStore.builder(Path.of("backup")).build().read()) {
     *     archive.folders().forEach(f -> log.info("{}", f.name()));
     * }
     * }</pre>
     *
     * @return the view; the caller closes it
     * @throws LayoutConflictException if the builder's layout differs from the directory's
     * @throws BackupException if the directory cannot be listed
     */
    public BackupArchive read() throws BackupException {
        return BackupArchive.open(this);
    }

    /**
     * Returns the backup directory as a source of messages, read-only (for restore, or a backup of
     * a backup): each connection is a {@link #read()} view; a folder's messages have their position
     * in the mbox as UID (it never changes: an mbox is only appended to), a UIDVALIDITY taken from
     * the folder's first message, no CONDSTORE, and identity, RFC822.SIZE, INTERNALDATE and flags
     * from the index (expunged messages too). A message whose bytes no longer match its index fails
     * with an {@link io.github.imapbackup.IntegrityException} instead of being copied.
     *
     * <pre>{@code
     * MboxStore backup = MboxStore.builder(Path.of("backup")).build();
     * BackupReport copied = BackupSession.builder()
     *         .source(backup.asSource())
     *         .target(MboxStore.builder(Path.of("copy")).build())
     *         .build()
     *         .run();
     * }</pre>
     *
     * @return the source of every message; connecting does no I/O beyond listing the directory
     */
    public MessageSource asSource() {
        return asSource(ArchiveSelection.all());
    }

    /**
     * Returns the backup directory as a source of the messages a selection chooses, read-only, as
     * {@link #asSource()}: for a restore of a date range, single messages, what the server has since
     * expunged, each folder as it was at a point in time, or a Google Takeout import into the folders
     * its labels name (see {@link ArchiveSelection}). Each message keeps its exact bytes, the
     * INTERNALDATE and flags the index records, and its SHA-256 is known
     * ({@link io.github.imapbackup.spi.SourceFolder#sha256(long)}); a folder's special-use attribute
     * ({@code \Sent}, ...) is in its {@link FolderInfo#attributes()} when the backup recorded it. With
     * a selection of messages only the folders that hold a selected message are listed.
     *
     * <pre>{@code
     * MessageSource undelete = MboxStore.builder(Path.of("backup")).build()
     *         .asSource(ArchiveSelection.builder().expungedOnly(true).build());
     * }</pre>
     *
     * @param selection the messages and folders to offer
     * @return the source; connecting lists the directory (and with labels reads every selected
     *     message's header once)
     */
    public MessageSource asSource(ArchiveSelection selection) {
        return new ArchiveSource(this, selection);
    }

    /**
     * {@inheritDoc} Only folders with an index are listed; {@link #read()} lists every folder,
     * mbox files without index too.
     */
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
        for (CompressionCodec c : codecs.all()) {
            if (Files.isRegularFile(FolderPaths.resolve(root, base + c.suffix()))) {
                return base + c.suffix();
            }
        }
        return base + codec.suffix();
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
        /** A codec name that is resolved by {@link #build()}, or null. */
        private String codecName;
        private final List<CompressionCodec> registered = new ArrayList<>();
        private Layout layout;
        private Clock clock = Clock.systemUTC();
        private int maxExpansion = Codecs.DEFAULT_MAX_EXPANSION;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        /**
         * Sets the codec of new mbox files (default none). The store also reads folders written
         * with it, as with {@link #registerCodec(CompressionCodec)}.
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder codec(CompressionCodec codec) {
            this.codec = Objects.requireNonNull(codec, "codec");
            this.codecName = null;
            return this;
        }

        /**
         * Sets the codec of new mbox files by name ({@code none}, {@code gzip}, {@code bzip2},
         * {@code xz}, {@code zstd}, or the name of an installed or registered codec; also the
         * suffix without its dot, as {@code gz}). {@link #build()} fails when no codec has the name
         * ({@code xz} and {@code zstd} need their artifacts, see {@code docs/CODECS.md}).
         *
         * @param name the codec name
         * @return this builder
         */
        public Builder codec(String name) {
            this.codecName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Makes a codec known to the store, so that folders written with it open, append and verify
         * (found by the codec name their index records, by file suffix or by signature), without
         * making it the codec of new files. Codecs installed as services need not be registered.
         *
         * @param codec the codec
         * @return this builder
         */
        public Builder registerCodec(CompressionCodec codec) {
            registered.add(Objects.requireNonNull(codec, "codec"));
            return this;
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
         * Sets the clock that gives the times the folder indexes record (default: system UTC): when
         * each message was archived and when it was marked expunged (what
         * {@link StoredMessage#archivedAt()}, {@link StoredMessage#expungedAt()} and
         * {@link ArchiveSelection.Builder#asOf(java.time.Instant)} go by), and the commit times.
         * Times are recorded in whole seconds.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how many times a compressed mbox file may expand when the store reads it (verify,
         * restore, export, repair after a crash): a file that expands more, counted once more than
         * {@link Codecs#EXPANSION_GRACE} uncompressed bytes were read, stops with a
         * {@link io.github.imapbackup.mbox.codec.DecompressionBombException} naming it. Default
         * {@link Codecs#DEFAULT_MAX_EXPANSION}.
         *
         * @param maxExpansion uncompressed bytes per compressed byte; 0 for no limit
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxExpansion(int maxExpansion) {
            if (maxExpansion < 0) {
                throw new IllegalArgumentException("maxExpansion must be 0 (no limit) or positive, not " + maxExpansion);
            }
            this.maxExpansion = maxExpansion;
            return this;
        }

        /**
         * Builds the store; checks that its codec can be used here, and reads no file.
         *
         * @return the store
         * @throws IllegalArgumentException if no codec has the name given to {@link #codec(String)},
         *     if the codec's library is missing (the message names its Maven artifact and Java
         *     module), or if two codecs share a name or suffix; the cause, if any, is a
         *     {@link CodecUnavailableException}
         */
        public MboxStore build() {
            CodecRegistry known = CodecRegistry.installed();
            for (CompressionCodec c : registered) {
                known = known.plus(c);
            }
            CompressionCodec c = codecName == null ? codec : known.byName(codecName);
            known = known.plus(c);
            try {
                c.requireAvailable();
            } catch (CodecUnavailableException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return new MboxStore(this, c, known);
        }
    }
}
