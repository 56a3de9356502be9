package io.github.imapbackup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The checked base of every run-time failure of imapbackup. Subclasses carry the context that
 * names the thing that failed: folder, message UID, file, byte offset.
 *
 * <p>An exception that stopped a whole run carries its report: {@link #report()}.
 *
 * <p>Messages never contain credentials.
 */
public class BackupException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The folder concerned, or null. */
    private final String folder;
    /** The UID concerned, or -1. */
    private final long uid;
    private final transient Path file;
    /** The byte offset in the file, or -1. */
    private final long offset;
    /** The report of the run this failure stopped, or null. */
    private transient volatile BackupReport report;

    /**
     * Creates an exception without context.
     *
     * @param message what went wrong
     * @param cause the cause, or null
     */
    public BackupException(String message, Throwable cause) {
        this(message, cause, null, -1, null, -1);
    }

    /**
     * Creates an exception with context; each part may be absent (null or -1).
     *
     * @param message what went wrong
     * @param cause the cause, or null
     * @param folder the folder concerned, or null
     * @param uid the message UID concerned, or -1
     * @param file the file concerned, or null
     * @param offset the byte offset in {@code file}, or -1
     */
    protected BackupException(String message, Throwable cause, String folder, long uid, Path file,
            long offset) {
        super(message, cause);
        this.folder = folder;
        this.uid = uid;
        this.file = file;
        this.offset = offset;
    }

    /** {@return the folder concerned, if known} */
    public Optional<String> folder() {
        return Optional.ofNullable(folder);
    }

    /** {@return the UID of the message concerned, if known} */
    public OptionalLong uid() {
        return uid < 0 ? OptionalLong.empty() : OptionalLong.of(uid);
    }

    /** {@return the file concerned, if known} */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** {@return the byte offset in {@link #file()} where the problem was found, if known} */
    public OptionalLong offset() {
        return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /**
     * {@return the report of the run this failure stopped (outcome {@link Outcome#FAILED} or
     * {@link Outcome#CANCELLED}), if the run got as far as making one} Failures of single folders
     * and messages that did not stop the run are not thrown: they are in the returned report.
     */
    public Optional<BackupReport> report() {
        return Optional.ofNullable(report);
    }

    /**
     * Records the report of the run this failure stopped, unless one is recorded already; for the
     * code that runs the work (the library, sources and targets), as {@link #initCause} is for
     * causes.
     *
     * @param report the report
     * @return this exception
     */
    public BackupException initReport(BackupReport report) {
        Objects.requireNonNull(report, "report");
        synchronized (this) {
            if (this.report == null) {
                this.report = report;
            }
        }
        return this;
    }
}
