package io.github.imapbackup.mbox;

import io.github.imapbackup.FolderCollisionException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.internal.FileSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two folders whose files differ only in case ({@code Case} and {@code CASE}) share one file on a
 * case-insensitive file system (FAT, exFAT, NTFS, macOS by default): found before the run, and
 * refused naming them, instead of writing both into one file (docs/FORMAT-index.md, "Collisions").
 */
final class CaseCollisions {

    private static final Logger LOG = LoggerFactory.getLogger(CaseCollisions.class);

    private CaseCollisions() { }

    /**
     * Refuses folders whose files would be one file in the backup directory.
     *
     * @param root the backup directory
     * @param layout its layout
     * @param folders the run's folders
     * @param target what the store is, for the message
     * @throws FolderCollisionException if two folders' file names differ only in case and the
     *     directory's file system does not tell case apart
     */
    static void check(Path root, Layout layout, List<FolderInfo> folders, String target)
            throws FolderCollisionException {
        Map<String, List<String>> names = new LinkedHashMap<>();
        Map<String, List<String>> bases = new LinkedHashMap<>();
        for (FolderInfo f : folders) {
            String base = FolderPaths.baseName(f, layout);
            String key = base.toLowerCase(Locale.ROOT);
            List<String> seen = bases.computeIfAbsent(key, k -> new ArrayList<>());
            if (!seen.contains(base)) {
                seen.add(base);
                names.computeIfAbsent(key, k -> new ArrayList<>()).add(f.name());
            }
        }
        Map<String, List<String>> collisions = new LinkedHashMap<>();
        names.forEach((key, list) -> {
            if (list.size() > 1) {
                collisions.put(bases.get(key).get(0), list);
            }
        });
        if (!collisions.isEmpty() && caseInsensitive(root)) {
            throw new FolderCollisionException(target + " (its file system does not tell upper from lower case)",
                    collisions);
        }
    }

    /**
     * Whether the directory's file system (or, before it exists, its nearest existing parent's)
     * finds a file under its name in other case: a probe file, created and removed.
     */
    static boolean caseInsensitive(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        while (root != null && !Files.isDirectory(root)) {
            root = root.getParent();
        }
        if (root == null) {
            return false;
        }
        Path probe = null;
        try {
            probe = Files.createTempFile(root, "imapbackup-case-probe-", ".tmp", FileSupport.fileAttributes(root));
            String name = probe.getFileName().toString();
            return Files.exists(root.resolve(name.toUpperCase(Locale.ROOT)), LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("{}: cannot tell whether its file system is case-insensitive ({})", directory, e.toString());
            return false;
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException e) {
                    LOG.debug("{}: cannot remove the probe file {}", root, probe, e);
                }
            }
        }
    }
}
