package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folders a backup directory's files hold, each with the place of its files: every index with a
 * valid header (the folder it names, wherever the file lies), and every mbox file without one (the
 * folder its name stands for in the directory's layout; the original script's files). One folder,
 * one entry: when two files hold one folder, the one at the layout's place is listed (verify reports
 * the other).
 */
final class Catalogue {

    private static final Logger LOG = LoggerFactory.getLogger(Catalogue.class);

    /**
     * One folder and where its files are.
     *
     * @param folder the folder (from its index header, or from its mbox file's name)
     * @param base the relative name of its uncompressed mbox ({@code Archive/2019.mbox}); the index
     *     is {@code base.index}, a compressed mbox {@code base} plus the codec's suffix
     * @param indexed whether the folder has an index with a valid header
     */
    record Entry(FolderInfo folder, String base, boolean indexed) { }

    private Catalogue() { }

    /**
     * Lists the folders of a backup directory, sorted by name.
     *
     * @param root the backup directory
     * @param layout its layout (for the names of mbox files without index)
     * @return the entries
     * @throws BackupException if the directory or an index cannot be read
     */
    static List<Entry> read(Path root, Layout layout) throws BackupException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        Map<String, Entry> byName = new LinkedHashMap<>();
        Set<List<String>> segments = new HashSet<>();
        Set<String> indexedBases = new HashSet<>();
        String indexSuffix = FolderPaths.INDEX_SUFFIX;
        for (Path index : ArchiveOpener.indexFiles(root)) {
            IndexRecord.Header h = ArchiveOpener.readHeader(index);
            if (h == null) {
                LOG.debug("{}: no valid header record; its mbox is read as one without index", index);
                continue;
            }
            String rel = DirectoryLayout.relative(root, index);
            String base = rel.substring(0, rel.length() - indexSuffix.length());
            FolderInfo folder = new FolderInfo(h.name(), h.delimiter(), h.specialUse(), false);
            indexedBases.add(base);
            segments.add(FolderPaths.split(h.name(), h.delimiter()));
            Entry e = new Entry(folder, base, true);
            Entry other = byName.putIfAbsent(h.name(), e);
            if (other != null && base.equals(FolderPaths.baseName(folder, layout))) {
                byName.put(h.name(), e); // two indexes for one folder: the one at the layout's place
            }
        }
        Map<String, Entry> unindexed = new LinkedHashMap<>();
        for (Path file : files(root)) {
            String rel = DirectoryLayout.relative(root, file);
            Optional<String> base = DirectoryLayout.mboxBase(rel);
            if (base.isEmpty() || indexedBases.contains(base.get()) || unindexed.containsKey(base.get())) {
                continue;
            }
            FolderInfo folder = folderOf(base.get(), layout);
            if (byName.containsKey(folder.name()) || segments.contains(FolderPaths.split(folder.name(),
                    folder.delimiter()))) {
                LOG.debug("{}: mbox without index for a folder another file holds; not listed", file);
                continue;
            }
            unindexed.put(base.get(), new Entry(folder, base.get(), false));
        }
        unindexed.values().forEach(e -> byName.putIfAbsent(e.folder().name(), e));
        List<Entry> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparing(e -> e.folder().name()));
        return List.copyOf(out);
    }

    /**
     * The folder an mbox file without index stands for: its name segments in the directory's
     * layout (else the other one), joined by {@code /} (by {@code .} when a segment holds a
     * {@code /}); a name neither layout writes (a shortened one) is taken as it is.
     */
    static FolderInfo folderOf(String base, Layout layout) {
        Optional<List<String>> segments = FolderPaths.segments(base, layout);
        if (segments.isEmpty()) {
            segments = FolderPaths.segments(base, layout == Layout.NESTED ? Layout.FLAT : Layout.NESTED);
        }
        if (segments.isEmpty()) {
            return new FolderInfo(base.substring(0, base.length() - FolderPaths.MBOX_SUFFIX.length()), "",
                    Set.of(), false);
        }
        List<String> s = segments.get();
        String delimiter = s.stream().noneMatch(p -> p.contains("/")) ? "/"
                : s.stream().noneMatch(p -> p.contains(".")) ? "." : "";
        return new FolderInfo(delimiter.isEmpty() ? String.join("", s) : String.join(delimiter, s), delimiter,
                Set.of(), false);
    }

    private static List<Path> files(Path root) throws BackupException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new BackupException("cannot list the backup directory " + root + ": " + e.getMessage(), e);
        }
    }
}
