package io.github.imapbackup.imap;

import io.github.imapbackup.FolderCollisionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/** Which source folder each folder of the target account takes in, so that two are never merged. */
final class FolderClaims {

    /** Which archive folder each special-use folder of the account takes in (the first one mapped there). */
    private final ConcurrentMap<String, String> specialClaims = new ConcurrentHashMap<>();
    /** Which source folder each target folder was opened for. */
    private final ConcurrentMap<String, FolderInfo> claims = new ConcurrentHashMap<>();

    /**
     * Maps a folder; a special-use folder of the account takes in one archive folder only (say
     * {@code Sent} and {@code Sent Items} of an archive without attributes): a second one keeps
     * its own name, so that the two are not merged into one folder.
     */
    String name(TargetNames n, FolderInfo folder) throws FolderException {
        String mapped = n.map(folder);
        String plain = n.plain(folder);
        if (mapped.equals(plain)) {
            return mapped;
        }
        String owner = specialClaims.putIfAbsent(mapped, folder.name());
        return owner == null || owner.equals(folder.name()) ? mapped : plain;
    }

    /**
     * Maps every folder of a run and refuses the run when two map to one name (INBOX in any case
     * is one name), naming them all; a folder whose name cannot be mapped is left to fail alone
     * when it is opened.
     *
     * @param target the target, for the message
     * @throws FolderCollisionException if two folders would go into one
     */
    void check(TargetNames n, List<FolderInfo> folders, String target) throws FolderCollisionException {
        Map<String, List<FolderInfo>> byName = new LinkedHashMap<>();
        for (FolderInfo folder : folders) {
            String name;
            try {
                name = name(n, folder);
            } catch (FolderException e) {
                continue; // its pass fails with this message
            }
            List<FolderInfo> owners = byName.computeIfAbsent(key(name), k -> new ArrayList<>());
            if (owners.stream().noneMatch(o -> segments(o).equals(segments(folder)))) {
                owners.add(folder);
            }
        }
        Map<String, List<String>> collisions = new LinkedHashMap<>();
        byName.forEach((name, owners) -> {
            if (owners.size() > 1) {
                collisions.put(name, owners.stream().map(FolderInfo::name).toList());
            }
        });
        if (!collisions.isEmpty()) {
            throw new FolderCollisionException(target, collisions);
        }
    }

    /**
     * Claims a target folder for one source folder: a second source folder mapped to the same
     * name (by the rename rules, a stripped prefix, INBOX in another case) fails, naming both,
     * before anything is written to it, so that two folders are never merged into one.
     */
    String claim(String name, FolderInfo folder) throws FolderException {
        FolderInfo owner = claims.putIfAbsent(key(name), folder);
        if (owner != null && !segments(owner).equals(segments(folder))) {
            throw new FolderException(folder.name(), "the source folders \"" + owner.name() + "\" and \""
                    + folder.name() + "\" both map to \"" + name + "\" on the target; only the first"
                    + " is copied there: add a rename rule or exclude one of them", null);
        }
        return name;
    }

    private static String key(String name) {
        return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
    }

    /** A folder is the same folder when its name's levels are equal, whatever its delimiter. */
    private static List<String> segments(FolderInfo folder) {
        return folder.delimiter().isEmpty() ? List.of(folder.name())
                : List.of(folder.name().split(Pattern.quote(folder.delimiter()), -1));
    }
}
