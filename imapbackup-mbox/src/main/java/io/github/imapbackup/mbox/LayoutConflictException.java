package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A backup directory cannot be used with the layout asked for: it has another layout (recorded in
 * it, or detected from its files), or it holds folders in both layouts. A backup directory has one
 * layout (docs/FORMAT-index.md); nothing was written.
 *
 * <pre>{@code
 * try {
 *     Layout layout = MboxStore.builder(dir).layout(Layout.FLAT).build().layout();
 * } catch (LayoutConflictException e) {
 *     log.error(e.getMessage()); // names the directory, its layout and what to do
 * }
 * }</pre>
 */
public final class LayoutConflictException extends BackupException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    /** The layout the directory has, or null when it holds both. */
    private final Layout found;
    /** The layout asked for, or null. */
    private final Layout requested;

    /**
     * Creates the exception.
     *
     * @param directory the backup directory
     * @param found the directory's layout, or null when it holds both
     * @param requested the layout asked for, or null when none was
     * @param message what is wrong and what to do
     */
    public LayoutConflictException(Path directory, Layout found, Layout requested, String message) {
        super(message, null);
        this.directory = Objects.requireNonNull(directory, "directory");
        this.found = found;
        this.requested = requested;
    }

    /**
     * Returns the backup directory.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the layout the directory has, when it has one.
     *
     * @return the layout; empty when the directory holds folders in both layouts
     */
    public Optional<Layout> found() {
        return Optional.ofNullable(found);
    }

    /**
     * Returns the layout that was asked for.
     *
     * @return the layout; empty when none was
     */
    public Optional<Layout> requested() {
        return Optional.ofNullable(requested);
    }
}
