package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds what {@code verify} must report about which file holds which folder: two files holding one
 * folder (the same name, or the same name segments under another delimiter or layout), an mbox
 * without index whose name is that of a folder another file holds, and files in the other layout.
 */
final class FolderOwnership {

    private final Path root;
    /** The name segments of the one folder to report on, or null for the whole directory. */
    private final List<String> only;
    private final List<VerifyReport.Problem> problems = new ArrayList<>();
    private final Map<List<String>, Path> bySegments = new HashMap<>();
    private final Map<List<String>, String> names = new HashMap<>();
    private final Map<String, Path> byName = new HashMap<>();

    private FolderOwnership(Path root, List<String> only) {
        this.root = root;
        this.only = only;
    }

    /** Returns the problems of a backup directory (empty when every folder has one file). */
    static List<VerifyReport.Problem> check(Path root) throws BackupException {
        return check(root, null);
    }

    /**
     * Returns the problems of one folder, or of the whole directory.
     *
     * @param only the folder's name segments, or null for the whole directory
     */
    static List<VerifyReport.Problem> check(Path root, List<String> only) throws BackupException {
        FolderOwnership o = new FolderOwnership(root, only);
        if (Files.isDirectory(root)) {
            o.indexes();
            o.layout();
        }
        return o.problems;
    }

    private void indexes() throws BackupException {
        for (Path index : ArchiveOpener.indexFiles(root)) {
            IndexRecord.Header h = ArchiveOpener.readHeader(index);
            if (h == null) {
                continue;
            }
            List<String> segments = FolderPaths.split(h.name(), h.delimiter());
            Path other = byName.getOrDefault(h.name(), bySegments.get(segments));
            if (other != null && (only == null || only.equals(segments))) {
                problems.add(new VerifyReport.Problem(index, h.name(), -1, -1, "holds the folder \""
                        + h.name() + "\", which " + rel(other) + " holds too: two files for one folder"
                        + " (from another layout or delimiter); keep one (move the other mbox and its"
                        + " index out of the backup directory), or the next backup uses only one of them"));
            } else if (other == null) {
                byName.put(h.name(), index);
                bySegments.put(segments, index);
                names.put(segments, h.name());
            }
        }
    }

    private void layout() throws BackupException {
        DirectoryLayout.Evidence e = DirectoryLayout.detect(root);
        Optional<Layout> recorded;
        try {
            recorded = DirectoryLayout.readRecord(root);
        } catch (BackupException x) {
            problems.add(new VerifyReport.Problem(root.resolve(DirectoryLayout.RECORD), null, -1, -1,
                    x.getMessage()));
            recorded = Optional.empty();
        }
        for (String file : e.dotted()) {
            unindexed(file);
        }
        for (String file : e.nested()) {
            if (!file.endsWith(FolderPaths.INDEX_SUFFIX)) {
                unindexed(file);
            }
        }
        if (only != null) {
            return;
        }
        if (recorded.isPresent()) {
            Layout l = recorded.get();
            for (String file : l == Layout.NESTED ? e.flat() : e.nested()) {
                problems.add(new VerifyReport.Problem(root.resolve(file), null, -1, -1, "is in the "
                        + DirectoryLayout.name(l == Layout.NESTED ? Layout.FLAT : Layout.NESTED)
                        + " layout, but the directory's layout is " + DirectoryLayout.name(l) + " (recorded in "
                        + DirectoryLayout.RECORD + "): the next backup does not use this file; move it out"));
            }
        } else if (e.mixed()) {
            problems.add(new VerifyReport.Problem(root, null, -1, -1, "holds folders in both layouts ("
                    + e.nested().get(0) + " is nested, " + e.flat().get(0) + " is flat); a backup directory"
                    + " has one layout: move the folders of one layout into another directory"));
        }
    }

    /** Reports an mbox without index whose name, in either layout, is that of a folder another file holds. */
    private void unindexed(String file) {
        for (Layout l : Layout.values()) {
            Optional<List<String>> segments = FolderPaths.segments(file, l);
            Path owner = segments.map(bySegments::get).orElse(null);
            if (owner != null) {
                if (only != null && !only.equals(segments.get())) {
                    return;
                }
                problems.add(new VerifyReport.Problem(root.resolve(file), names.get(segments.get()), -1, -1,
                        "has no index, and"
                        + " its name (in the " + DirectoryLayout.name(l) + " layout) is that of a folder "
                        + rel(owner) + " holds: two files for one folder; move this one out of the backup"
                        + " directory (or import it into that folder)"));
                return;
            }
        }
    }

    private String rel(Path p) {
        return DirectoryLayout.relative(root, p);
    }
}
