package io.github.imapbackup.accounts.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What reading one configuration file shares: the file, its directory (relative paths resolve
 * against it), the mistakes, and the warnings.
 *
 * @param file the configuration file
 * @param base the directory relative paths resolve against
 * @param problems the mistakes
 * @param warnings the warnings, each beginning with {@code file:line: key:}
 */
public record Context(Path file, Path base, Problems problems, List<String> warnings) {

    /**
     * The context of a file.
     *
     * @param file the configuration file
     * @return its context
     */
    public static Context of(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path dir = absolute.getParent() != null ? absolute.getParent() : absolute;
        return new Context(file, dir, new Problems(file), new ArrayList<>());
    }

    /**
     * Records a warning at a value.
     *
     * @param at the value, or null
     * @param key the key's path
     * @param message what to mend
     */
    public void warn(Node at, String key, String message) {
        warnings.add(file + (at != null && at.line() > 0 ? ":" + at.line() : "") + ": "
                + (key.isEmpty() ? "" : key + ": ") + message);
    }
}
