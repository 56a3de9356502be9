package io.github.imapbackup;

import java.util.Objects;
import java.util.Set;

/**
 * A folder as the server lists it.
 *
 * @param name the full folder name, decoded from modified UTF-7 (e.g. {@code Archive/2019/Q3})
 * @param delimiter the server's hierarchy delimiter for this folder, or the empty string when the
 *     server reports none (NIL)
 * @param attributes the LIST attributes, e.g. {@code \Noselect}, {@code \HasChildren}
 * @param subscribed whether the folder is subscribed (LSUB), when known
 */
public record FolderInfo(String name, String delimiter, Set<String> attributes, boolean subscribed) {

    /**
     * Validates and copies.
     *
     * @param name the full folder name, decoded from modified UTF-7 (e.g. {@code Archive/2019/Q3})
     * @param delimiter the server's hierarchy delimiter for this folder, or the empty string when
     *     the server reports none (NIL)
     * @param attributes the LIST attributes, e.g. {@code \Noselect}, {@code \HasChildren}
     * @param subscribed whether the folder is subscribed (LSUB), when known
     */
    public FolderInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(delimiter, "delimiter");
        if (delimiter.length() > 1) {
            throw new IllegalArgumentException("delimiter must be one character or empty: " + delimiter);
        }
        attributes = Set.copyOf(attributes);
    }

    /**
     * {@return whether the folder can be selected (it has no {@code \Noselect} or {@code
     * \NonExistent})}
     */
    public boolean selectable() {
        return attributes.stream().noneMatch(a -> a.equalsIgnoreCase("\\Noselect")
                || a.equalsIgnoreCase("\\NonExistent"));
    }
}
