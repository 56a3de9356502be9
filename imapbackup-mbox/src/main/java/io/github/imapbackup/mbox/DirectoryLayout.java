package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.DiskErrors;
import io.github.imapbackup.mbox.internal.FileSupport;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of a backup directory (docs/FORMAT-index.md): recorded in {@value #RECORD} at its root, detected
 * from its files when that record is absent (directories of an older version, or of the original
 * script), and a requested layout that conflicts with it refused. The rules are in
 * {@code docs/FORMAT-index.md}.
 */
final class DirectoryLayout {

    /** The record's file name at the root of the backup directory (a leading dot: no folder file can have it). */
    static final String RECORD = ".imapbackup";
    /** The version of the record this program writes and reads. */
    static final int VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryLayout.class);

    private DirectoryLayout() { }

    /**
     * What a directory's files say about its layout, as relative file names.
     *
     * @param nested files only the nested layout writes: an index whose folder has several name
     *     segments at its nested place, an mbox without index in a subdirectory
     * @param flat indexes whose folder has several name segments at their flat place
     * @param dotted mbox files without index at the top level whose name has a {@code .} before
     *     {@code .mbox} (the original script's {@code INBOX.Sent.mbox}); weaker than the others
     */
    record Evidence(List<String> nested, List<String> flat, List<String> dotted) {

        boolean mixed() {
            return !nested.isEmpty() && !flat.isEmpty();
        }

        /** The layout the files show, when they show one and only one. */
        Optional<Layout> layout() {
            if (mixed()) {
                return Optional.empty();
            }
            if (!nested.isEmpty()) {
                return Optional.of(Layout.NESTED);
            }
            return flat.isEmpty() && dotted.isEmpty() ? Optional.empty() : Optional.of(Layout.FLAT);
        }

        /** A file that shows the layout, for messages. */
        String example() {
            return !nested.isEmpty() ? nested.get(0) : !flat.isEmpty() ? flat.get(0) : dotted.get(0);
        }
    }

    /**
     * Returns the layout to use: the recorded one, else the detected one, else {@code requested},
     * else nested.
     *
     * @param requested the layout asked for, or null
     * @throws LayoutConflictException if {@code requested} differs from the recorded or detected
     *     layout, or the directory holds folders in both layouts
     * @throws BackupException if the record or the directory cannot be read
     */
    static Layout resolve(Path root, Layout requested) throws BackupException {
        Optional<Layout> recorded = readRecord(root);
        if (recorded.isPresent()) {
            if (requested != null && requested != recorded.get()) {
                throw conflict(root, recorded.get(), requested, "recorded in " + root.resolve(RECORD));
            }
            return recorded.get();
        }
        Evidence e = detect(root);
        if (e.mixed()) {
            throw new LayoutConflictException(root, null, requested, "the backup directory " + root
                    + " holds folders in both layouts (" + e.nested().get(0) + " is nested, "
                    + e.flat().get(0) + " is flat), and a backup directory has one layout: move the"
                    + " folders of one layout (their .mbox and .mbox.index files) into another directory");
        }
        Optional<Layout> detected = e.layout();
        if (detected.isPresent()) {
            if (requested != null && requested != detected.get()) {
                throw conflict(root, detected.get(), requested, "detected from " + e.example());
            }
            LOG.debug("{}: {} layout detected from {}", root, name(detected.get()), e.example());
            return detected.get();
        }
        return requested != null ? requested : Layout.NESTED;
    }

    private static LayoutConflictException conflict(Path root, Layout found, Layout requested, String how) {
        return new LayoutConflictException(root, found, requested, "the backup directory " + root
                + " has the " + name(found) + " layout (" + how + "); writing it in the " + name(requested)
                + " layout would store its folders a second time: use the " + name(found)
                + " layout, or another directory for the " + name(requested) + " layout");
    }

    static String name(Layout layout) {
        return layout.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the record.
     *
     * @return the recorded layout; empty when there is no record
     * @throws BackupException if the record cannot be read, is of another version or names no layout
     */
    static Optional<Layout> readRecord(Path root) throws BackupException {
        Path file = root.resolve(RECORD);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new BackupException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String version = p.getProperty("version", "").trim();
        if (!version.equals(String.valueOf(VERSION))) {
            throw new BackupException(file + ": " + (version.isEmpty() ? "no version"
                    : "version " + version + " is not supported") + " (this program reads version " + VERSION
                    + " of this file); use the imapbackup that wrote it, or a newer one", null);
        }
        String layout = p.getProperty("layout", "").trim();
        for (Layout l : Layout.values()) {
            if (name(l).equals(layout)) {
                return Optional.of(l);
            }
        }
        throw new BackupException(file + ": no valid layout (\"" + layout + "\"; nested or flat);"
                + " delete the file to detect the layout again from the backup directory", null);
    }

    /**
     * Records the layout, crash-safely (a temporary file, made durable, then linked to its name),
     * owner-only; keeps a record another process wrote first when it names the same layout.
     *
     * @throws LayoutConflictException if another process recorded another layout meanwhile
     */
    static void record(Path root, Layout layout) throws BackupException {
        Path file = root.resolve(RECORD);
        try {
            FileSupport.createDirectories(root);
            Path tmp = Files.createTempFile(root, RECORD + "-", ".tmp", FileSupport.fileAttributes(root));
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ByteBuffer bb = ByteBuffer.wrap(("# imapbackup backup directory (docs/FORMAT-index.md);"
                            + " do not edit\nversion=" + VERSION + "\nlayout=" + name(layout) + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                    ch.force(true);
                }
                try {
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException e) {
                    Layout other = readRecord(root).orElse(layout);
                    if (other != layout) {
                        throw conflict(root, other, layout, "recorded in " + file + " meanwhile");
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // no hard links here: an atomic rename (which would replace a concurrent record)
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            FileSupport.syncDirectory(root);
        } catch (BackupException e) {
            throw e;
        } catch (IOException e) {
            throw new BackupException("cannot record the layout of the backup directory in " + file + ": "
                    + DiskErrors.why(e), e);
        }
    }

    /** Reads what the files of a directory say about its layout (see {@link Evidence}). */
    static Evidence detect(Path root) throws BackupException {
        List<String> nested = new ArrayList<>();
        List<String> flat = new ArrayList<>();
        List<String> dotted = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return new Evidence(nested, flat, dotted);
        }
        String indexSuffix = FolderPaths.MBOX_SUFFIX + FolderPaths.INDEX_SUFFIX;
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new BackupException("cannot list the backup directory " + root + ": " + e.getMessage(), e);
        }
        for (Path p : files) {
            String rel = relative(root, p);
            if (rel.endsWith(indexSuffix)) {
                IndexRecord.Header h = ArchiveOpener.readHeader(p);
                if (h == null) {
                    continue;
                }
                FolderInfo f = new FolderInfo(h.name(), h.delimiter(), Set.of(), false);
                String n = FolderPaths.indexName(f, Layout.NESTED);
                String fl = FolderPaths.indexName(f, Layout.FLAT);
                if (!n.equals(fl)) {
                    if (rel.equals(n)) {
                        nested.add(rel);
                    } else if (rel.equals(fl)) {
                        flat.add(rel);
                    }
                }
            } else {
                Optional<String> base = mboxBase(rel);
                if (base.isEmpty() || Files.exists(root.resolve(base.get() + FolderPaths.INDEX_SUFFIX))) {
                    continue;
                }
                if (rel.indexOf('/') >= 0) {
                    nested.add(rel);
                } else if (base.get().substring(0, base.get().length() - FolderPaths.MBOX_SUFFIX.length())
                        .indexOf('.') >= 0) {
                    dotted.add(rel);
                }
            }
        }
        return new Evidence(nested, flat, dotted);
    }

    /** Returns a file's name relative to the root, components separated by {@code /}. */
    static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    /** Returns the name of an mbox file without its codec suffix ({@code A/B.mbox}), or empty when it is none. */
    static Optional<String> mboxBase(String rel) {
        for (CompressionCodec c : Codecs.all()) {
            String suffix = FolderPaths.MBOX_SUFFIX + c.suffix();
            if (rel.endsWith(suffix) && rel.length() > suffix.length()) {
                return Optional.of(rel.substring(0, rel.length() - c.suffix().length()));
            }
        }
        return Optional.empty();
    }
}
