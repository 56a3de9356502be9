package io.github.imapbackup.mbox.format;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A place in an mbox file where {@link MboxReader} was unsure how to split it; it read on by its
 * rules and says so here instead of guessing silently.
 *
 * @param file the file
 * @param offset the byte offset of the line concerned (in the uncompressed stream)
 * @param message what the reader found and what it did
 */
public record MboxWarning(Path file, long offset, String message) {

    /**
     * Validates.
     *
     * @param file the file
     * @param offset the byte offset of the line concerned (in the uncompressed stream)
     * @param message what the reader found and what it did
     */
    public MboxWarning {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    /** {@return {@code <file> at byte <offset>: <message>}} */
    @Override
    public String toString() {
        return file + " at byte " + offset + ": " + message;
    }
}
