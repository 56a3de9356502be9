package io.github.imapbackup.mbox;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.spi.FolderArchive;
import java.io.Closeable;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A read-only view of a backup directory: its folders, their messages and their exact bytes, and a
 * verification of every message against its index. Opening writes, locks and repairs nothing;
 * {@link #folders()} lists exactly the folders {@link #messages(FolderInfo)} can read, wherever
 * their files lie: a folder whose index is missing (its mbox is scanned, as the original script's
 * files are), a flat or a nested directory, a folder in the other layout than the recorded one.
 *
 * <pre>{@code
 * try (BackupArchive archive = MboxStore.builder(Path.of("backup")).build().read()) {
 *     long unread = archive.messages()
 *             .filter(m -> !m.message().flags().contains("\\Seen"))
 *             .count();
 *     for (StoredMessage m : archive.messages(archive.folders().get(0)).toList()) {
 *         try (InputStream in = archive.open(m)) {
 *             in.transferTo(OutputStream.nullOutputStream()); // the exact bytes the server sent
 *         }
 *     }
 *     VerifyReport verified = archive.verify();
 * }
 * }</pre>
 *
 * <p>Memory: the index of one folder at a time (the folder last listed or read); message bytes are
 * streamed. Not thread-safe; close the stream of one message before opening the next. {@link #close()}
 * is idempotent; afterwards every method but {@code close} throws {@link IllegalStateException}.
 */
public final class BackupArchive implements Closeable {

    private final MboxStore store;
    private final Map<String, Catalogue.Entry> entries = new LinkedHashMap<>();
    private final List<FolderInfo> folders;
    /** The folder whose index is loaded, and its archive (null for a folder without messages). */
    private Catalogue.Entry loaded;
    private FolderArchive archive;
    private boolean closed;

    private BackupArchive(MboxStore store, List<Catalogue.Entry> catalogue) {
        this.store = store;
        catalogue.forEach(e -> entries.put(e.folder().name(), e));
        this.folders = catalogue.stream().map(Catalogue.Entry::folder).toList();
    }

    /** Reads the folder list of a store's directory. */
    static BackupArchive open(MboxStore store) throws BackupException {
        return new BackupArchive(store, Catalogue.read(store.root(), store.layout()));
    }

    /** {@return the backup directory} */
    public Path root() {
        return store.root();
    }

    /** {@return every folder of the backup directory, sorted by name; each one can be read} */
    public List<FolderInfo> folders() {
        checkOpen();
        return folders;
    }

    /**
     * Chooses folders with a filter; a name the filter includes that the directory does not hold
     * is in {@link FolderFilter.Selection#missing()}, with a message naming similar folders.
     *
     * @param filter the filter
     * @return the selection
     */
    public FolderFilter.Selection select(FolderFilter filter) {
        checkOpen();
        return filter.select(folders, "in the backup directory");
    }

    /**
     * Returns the mbox file of a folder, relative to the backup directory ({@code Archive/2019.mbox.gz}).
     *
     * @param folder a folder of {@link #folders()}
     * @return the relative file name
     * @throws IllegalArgumentException if the directory holds no such folder
     */
    public String location(FolderInfo folder) {
        Catalogue.Entry e = entry(folder);
        for (CompressionCodec c : Codecs.all()) {
            if (Files.isRegularFile(FolderPaths.resolve(root(), e.base() + c.suffix()))) {
                return e.base() + c.suffix();
            }
        }
        return e.base();
    }

    /**
     * Lists the messages of a folder, in mbox order. Reads the folder's index now (scans its mbox
     * when it has none) and holds it until another folder is read; reads no message bytes.
     *
     * @param folder a folder of {@link #folders()}
     * @return the messages; the stream holds no file open
     * @throws BackupException if the folder's files cannot be read (named in the message)
     * @throws IllegalArgumentException if the directory holds no such folder
     */
    public Stream<StoredMessage> messages(FolderInfo folder) throws BackupException {
        Catalogue.Entry e = entry(folder);
        List<ArchivedMessage> list = load(e);
        List<IndexEntry> entries = archive == null ? List.of() : ((MboxFolderArchive) archive).index().entries();
        return IntStream.range(0, list.size()).mapToObj(i -> new StoredMessage(e.folder(), i + 1, list.get(i),
                Optional.ofNullable(entries.get(i).archivedAt), Optional.ofNullable(entries.get(i).expungedAt)));
    }

    /**
     * Lists the messages of every folder, folder by folder in name order; each folder is read when
     * the stream reaches it.
     *
     * @return the messages
     * @throws UncheckedIOException wrapping the {@link BackupException} of a folder that cannot be read
     */
    public Stream<StoredMessage> messages() {
        checkOpen();
        return folders.stream().flatMap(f -> {
            try {
                return messages(f);
            } catch (BackupException x) {
                throw new UncheckedIOException(x);
            }
        });
    }

    /**
     * Opens the exact bytes of a message (as the server sent them). At its end the stream checks
     * them against the length and SHA-256 the index records and throws an
     * {@link IntegrityException} naming the mbox file, byte offset and UID when they differ.
     *
     * @param message a message of {@link #messages(FolderInfo)}
     * @return the bytes; the caller closes the stream before opening the next one
     * @throws BackupException if the message cannot be read
     */
    public InputStream open(StoredMessage message) throws BackupException {
        Objects.requireNonNull(message, "message");
        ArchivedMessage m = message.message();
        Path file = root().resolve(location(message.folder()));
        return new CheckingInputStream(openExact(message), m.length(), m.sha256(),
                () -> new IntegrityException(file, m.offset(), m.uid(),
                        "the message's bytes do not match the length and SHA-256 in the index"));
    }

    /**
     * Opens the stored bytes of a message without checking them against the index, for callers
     * that compute the SHA-256 themselves (an export compares it as it writes); everyone else uses
     * {@link #open(StoredMessage)}.
     *
     * @param message a message of {@link #messages(FolderInfo)}
     * @return the exact bytes; the caller closes the stream
     * @throws BackupException if the folder cannot be read
     */
    public InputStream openExact(StoredMessage message) throws BackupException {
        Catalogue.Entry e = entry(message.folder());
        load(e);
        if (archive == null) {
            throw new IllegalArgumentException("not a message of folder \"" + e.folder().name() + "\"");
        }
        return archive.openMessage(message.message());
    }

    /**
     * Verifies every folder, and finds mbox files without index, files in the other layout and
     * folders held by two files (see {@code docs/CLI.md}, verify).
     *
     * @return the report
     * @throws BackupException if the directory cannot be listed
     */
    public VerifyReport verify() throws BackupException {
        return verify(FolderFilter.all());
    }

    /**
     * Verifies the folders a filter selects (all of them, with what {@link #verify()} finds
     * besides, when it selects all). A selected folder without index is reported as a problem.
     *
     * @param filter the folders to verify
     * @return the report
     * @throws BackupException if the directory cannot be listed
     */
    public VerifyReport verify(FolderFilter filter) throws BackupException {
        checkOpen();
        java.time.Instant started = java.time.Instant.now();
        BackupVerifier verifier = new BackupVerifier(store);
        List<Catalogue.Entry> selected = new ArrayList<>();
        for (FolderInfo f : filter.selectsAll() ? folders : select(filter).folders()) {
            selected.add(entries.get(f.name()));
        }
        List<VerifyReport.Problem> problems = new ArrayList<>();
        Map<String, BackupVerifier.Checked> checked = new LinkedHashMap<>();
        if (filter.selectsAll()) {
            BackupVerifier.Result r = verifier.verify();
            problems.addAll(r.problems());
            r.checked().forEach(c -> checked.putIfAbsent(c.folder(), c));
        } else {
            for (Catalogue.Entry e : selected) {
                if (e.indexed()) {
                    BackupVerifier.Result r = verifier.verify(e.folder().name());
                    problems.addAll(r.problems());
                    r.checked().forEach(c -> checked.putIfAbsent(c.folder(), c));
                } else {
                    problems.add(new VerifyReport.Problem(root().resolve(location(e.folder())), null, -1, -1,
                            "mbox file without an index (the next backup of its folder rebuilds the index)"));
                }
            }
        }
        List<VerifyReport.FolderResult> results = new ArrayList<>();
        List<VerifyReport.Problem> general = new ArrayList<>(problems);
        for (Catalogue.Entry e : selected) {
            if (!e.indexed()) {
                continue;
            }
            String name = e.folder().name();
            List<VerifyReport.Problem> own = problems.stream().filter(p -> name.equals(p.folder())).toList();
            general.removeAll(own);
            BackupVerifier.Checked c = checked.get(name);
            results.add(new VerifyReport.FolderResult(e.folder(), location(e.folder()), c == null ? 0 : c.messages(),
                    c == null ? 0 : c.bytes(), own));
        }
        return new VerifyReport(root(), started, java.time.Instant.now(), results, general);
    }

    /**
     * Returns when the folder's index started recording archived and expunged times (its header's
     * {@code since}); empty for an index of version 1 or a folder without index.
     */
    Optional<java.time.Instant> timesSince(FolderInfo folder) throws BackupException {
        load(entry(folder));
        return archive == null ? Optional.empty()
                : Optional.ofNullable(((MboxFolderArchive) archive).index().header.since());
    }

    /** Loads the index of a folder, unless it is the one loaded; returns its messages. */
    private List<ArchivedMessage> load(Catalogue.Entry e) throws BackupException {
        checkOpen();
        if (loaded != e) {
            release();
            Optional<FolderArchive> a = new ArchiveOpener(store, e.base(), e.folder(), MessageIdExtractor.standard()).openReadOnly();
            archive = a.orElse(null);
            loaded = e;
        }
        return archive == null ? List.of() : archive.messages();
    }

    private void release() throws BackupException {
        FolderArchive a = archive;
        archive = null;
        loaded = null;
        if (a != null) {
            a.close();
        }
    }

    private Catalogue.Entry entry(FolderInfo folder) {
        Objects.requireNonNull(folder, "folder");
        checkOpen();
        Catalogue.Entry e = entries.get(folder.name());
        if (e == null) {
            throw new IllegalArgumentException("folder \"" + folder.name() + "\" is not in the backup directory "
                    + root() + " (BackupArchive.folders() lists those it holds)");
        }
        return e;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the view of " + root() + " is closed");
        }
    }

    /** Releases the folder read last. */
    @Override
    public void close() throws BackupException {
        if (!closed) {
            closed = true;
            release();
        }
    }

    @Override
    public String toString() {
        return "BackupArchive[" + root() + ", " + folders.size() + " folders" + (closed ? ", closed" : "") + "]";
    }
}
