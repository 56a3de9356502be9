package io.github.imapbackup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two or more source folders would go into one folder of the target (a rename rule, a stripped
 * prefix, a translated delimiter or special-use mapping gives them the same name there), found
 * before the run copies or creates anything ({@link io.github.imapbackup.spi.MessageTarget#prepare}).
 * Folders are never merged: the run stops at once, and the user adds a rename rule or excludes
 * one of them. The command line program exits with status 2 (bad usage or configuration, see
 * docs/CLI.md).
 */
public class FolderCollisionException extends BackupException {

    private static final long serialVersionUID = 1L;

    /** The source folders by the target name they would share, in the run's order. */
    private final transient Map<String, List<String>> collisions;

    /**
     * Creates the failure.
     *
     * @param target what the target is, for the message ({@link io.github.imapbackup.spi.MessageTarget#describe()});
     *     never a secret
     * @param collisions the source folders (at least two each) by the name they would share on the
     *     target, in the run's order
     * @throws IllegalArgumentException if there is no collision
     */
    public FolderCollisionException(String target, Map<String, List<String>> collisions) {
        super(message(target, collisions), null);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        collisions.forEach((name, folders) -> copy.put(name, List.copyOf(folders)));
        this.collisions = Collections.unmodifiableMap(copy);
    }

    /**
     * {@return the source folders by the name they would share on the target, in the run's order}
     */
    public Map<String, List<String>> collisions() {
        return collisions;
    }

    /**
     * How many collisions the message names: a rule that maps a whole tree onto existing names
     * collides for every folder of it, and one line naming them all helps nobody;
     * {@link #collisions()} has them all.
     */
    static final int NAMED = 10;

    private static String message(String target, Map<String, List<String>> collisions) {
        if (collisions.isEmpty() || collisions.values().stream().anyMatch(f -> f.size() < 2)) {
            throw new IllegalArgumentException("no collision: " + collisions);
        }
        List<String> parts = new ArrayList<>();
        collisions.forEach((name, folders) -> {
            if (parts.size() < NAMED) {
                parts.add("the source folders " + quoted(folders)
                        + (folders.size() == 2 ? " would both go into \"" : " would all go into \"") + name + "\"");
            }
        });
        int more = collisions.size() - parts.size();
        return String.join("; ", parts) + (more == 0 ? "" : "; and " + more + " more target folder"
                + (more == 1 ? "" : "s") + " likewise") + " on " + target + "; nothing was copied nor created:"
                + " folders are never merged, so add a rename rule for one of them or exclude it";
    }

    private static String quoted(List<String> folders) {
        List<String> q = folders.stream().map(f -> "\"" + f + "\"").toList();
        return q.size() == 2 ? q.get(0) + " and " + q.get(1)
                : String.join(", ", q.subList(0, q.size() - 1)) + " and " + q.get(q.size() - 1);
    }
}
