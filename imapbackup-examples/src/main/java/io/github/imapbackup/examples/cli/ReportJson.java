package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.ReportError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;

/** The JSON report of {@code --report} (its keys are documented in {@code docs/FORMAT.md}). */
final class ReportJson {

    private ReportJson() { }

    /**
     * Returns the report as one JSON object (ends without newline).
     *
     * @param report the report
     * @param exitStatus the exit status to record (the program may know a worse one than the
     *     report's, e.g. 3 when the connection failed)
     * @return the JSON text
     */
    static String toJson(BackupReport report, int exitStatus) {
        return toJson(report, exitStatus, j -> { });
    }

    /**
     * Returns the report as one JSON object with a command's own fields after the common ones.
     *
     * @param report the report
     * @param exitStatus the exit status to record
     * @param more adds the command's fields (e.g. {@code migrate}'s sizes and statistics)
     * @return the JSON text
     */
    static String toJson(BackupReport report, int exitStatus, Consumer<Json> more) {
        Json j = new Json();
        j.beginObject();
        fields(j, report, exitStatus);
        more.accept(j);
        j.endObject();
        return j.toString();
    }

    /**
     * Writes the report's fields into an object that is open (the whole report's, or one
     * account's in {@code backup --config}).
     *
     * @param j the JSON, inside an object
     * @param report the report
     * @param exitStatus the exit status to record
     */
    static void fields(Json j, BackupReport report, int exitStatus) {
        j.name("command").value(report.command());
        j.name("startedAt").value(report.startedAt().toString());
        j.name("finishedAt").value(report.finishedAt().toString());
        j.name("exitStatus").value(exitStatus);
        j.name("dryRun").value(report.dryRun());
        Counters t = report.totals();
        counters(j, t, true);
        j.name("totals").beginObject();
        counters(j, t, true);
        j.endObject();
        j.name("folders").beginArray();
        for (FolderReport f : report.folders()) {
            j.beginObject();
            j.name("name").value(f.name());
            if (f.file() != null) {
                j.name("file").value(f.file());
            }
            counters(j, f.counters(), false);
            j.name("errors").beginArray();
            f.errors().forEach(e -> error(j, e));
            j.endArray();
            j.endObject();
        }
        j.endArray();
        j.name("failures").beginArray();
        report.allErrors().forEach(e -> error(j, e));
        j.endArray();
    }

    /**
     * Writes {@link #toJson} to a file (UTF-8, with a final newline).
     *
     * @param report the report
     * @param exitStatus the exit status to record
     * @param file the file
     * @throws IOException if the file cannot be written
     */
    static void write(BackupReport report, int exitStatus, Path file) throws IOException {
        write(report, exitStatus, file, j -> { });
    }

    /**
     * Writes {@link #toJson(BackupReport, int, Consumer)} to a file (UTF-8, with a final newline). A
     * new file is created readable by the owner only (it names folders and messages), whatever the
     * umask; an existing file keeps the permissions its owner gave it.
     *
     * @param report the report
     * @param exitStatus the exit status to record
     * @param file the file
     * @param more adds the command's own fields
     * @throws IOException if the file cannot be written
     */
    static void write(BackupReport report, int exitStatus, Path file, Consumer<Json> more) throws IOException {
        String json = toJson(report, exitStatus, more) + "\n";
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")
                && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException e) {
                // made meanwhile: its permissions stay
            }
        }
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    private static void counters(Json j, Counters c, boolean errorCount) {
        j.name("messagesOnSource").value(c.messagesOnSource());
        j.name("messagesCopied").value(c.messagesCopied());
        j.name("messagesSkipped").value(c.messagesSkipped());
        j.name("duplicatesOnSource").value(c.duplicatesOnSource());
        j.name("bytesCopied").value(c.bytesCopied());
        if (errorCount) {
            j.name("errors").value(c.errors());
        }
        j.name("flagsUpdated").value(c.flagsUpdated());
        j.name("messagesExpunged").value(c.messagesExpunged());
        // listed, then expunged by another client before the copy: only when nonzero, like those below
        nonzero(j, "expungedBeforeCopy", c.expungedBeforeCopy());
        // only where a target dropped flags (restore): the other commands' reports stay as they were
        if (c.flagsDropped() > 0) {
            j.name("flagsDropped").value(c.flagsDropped());
        }
        // what the target holds and the source not, and a migration's deletions: only when nonzero, likewise
        nonzero(j, "onlyOnTarget", c.onlyOnTarget());
        nonzero(j, "duplicatesOnTarget", c.duplicatesOnTarget());
        nonzero(j, "deletedFromTarget", c.deletedFromTarget());
        nonzero(j, "deletedFromSource", c.deletedFromSource());
        nonzero(j, "foldersDeletedFromTarget", c.foldersDeletedFromTarget());
        nonzero(j, "foldersFromCache", c.foldersFromCache());
        nonzero(j, "reconnectsToSource", c.reconnectsToSource());
        nonzero(j, "reconnectsToTarget", c.reconnectsToTarget());
        // waits for a throttling server and for the rate caps: only when there were some, likewise
        nonzero(j, "throttleWaits", c.throttleWaits());
        nonzero(j, "throttledSeconds", seconds(c.throttled()));
        nonzero(j, "pacedSeconds", seconds(c.paced()));
    }

    /** {@return whole seconds, rounded up: a wait of a moment shows as 1, not as none} */
    private static long seconds(java.time.Duration d) {
        return d.isZero() ? 0 : (d.toMillis() + 999) / 1000;
    }

    private static void nonzero(Json j, String name, long value) {
        if (value > 0) {
            j.name(name).value(value);
        }
    }

    private static void error(Json j, ReportError e) {
        j.beginObject();
        if (e.folder() != null) {
            j.name("folder").value(e.folder());
        }
        if (e.uid() > 0) {
            j.name("uid").value(e.uid());
        }
        j.name("message").value(e.message());
        j.endObject();
    }
}
