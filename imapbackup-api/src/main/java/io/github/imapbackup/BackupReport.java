package io.github.imapbackup;

import io.github.imapbackup.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The report of one run: what was found, copied, skipped and what failed. {@link #toJson()} gives
 * the JSON form that users' scripts read (see {@code docs/FORMAT.md}).
 *
 * @param command the command or operation, e.g. {@code backup}
 * @param startedAt when the run started
 * @param finishedAt when it finished
 * @param dryRun whether nothing was written (the counters say what would have been done)
 * @param folders one entry per folder, in processing order
 * @param errors failures that concern no single folder (e.g. a connection failure)
 */
public record BackupReport(String command, Instant startedAt, Instant finishedAt, boolean dryRun,
        List<FolderReport> folders, List<ReportError> errors) {

    /** Exit status: everything done. */
    public static final int EXIT_OK = 0;
    /** Exit status: finished, but some folders or messages failed. */
    public static final int EXIT_PARTIAL = 1;
    /** Exit status: bad usage or configuration. */
    public static final int EXIT_USAGE = 2;
    /** Exit status: cannot connect or authenticate. */
    public static final int EXIT_CONNECT = 3;

    /**
     * Validates and copies.
     *
     * @param command the command or operation, e.g. {@code backup}
     * @param startedAt when the run started
     * @param finishedAt when it finished
     * @param dryRun whether nothing was written (the counters say what would have been done)
     * @param folders one entry per folder, in processing order
     * @param errors failures that concern no single folder (e.g. a connection failure)
     */
    public BackupReport {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        folders = List.copyOf(folders);
        errors = List.copyOf(errors);
    }

    /** {@return the sum of the folder counters, plus the errors that concern no single folder} */
    public Counters totals() {
        Counters sum = Counters.empty();
        for (FolderReport f : folders) {
            sum = sum.plus(f.counters());
        }
        return sum.plus(Counters.builder().errors(errors.size()).build());
    }

    /** {@return every failure: those of no single folder first, then each folder's} */
    public List<ReportError> allErrors() {
        List<ReportError> all = new ArrayList<>(errors);
        folders.forEach(f -> all.addAll(f.errors()));
        return List.copyOf(all);
    }

    /**
     * Returns the exit status of DESIGN §2: 0 when nothing failed, 1 otherwise. Connection and usage
     * failures (3 and 2) are decided by the caller, which knows the exception.
     *
     * @return {@link #EXIT_OK} or {@link #EXIT_PARTIAL}
     */
    public int exitStatus() {
        return totals().errors() == 0 && allErrors().isEmpty() ? EXIT_OK : EXIT_PARTIAL;
    }

    /** {@return the report as one JSON object (UTF-8 text, ends without newline)} */
    public String toJson() {
        return toJson(exitStatus());
    }

    /**
     * Returns the report as JSON with the given exit status (the caller may know a worse status
     * than {@link #exitStatus()}, e.g. 3 when the connection failed).
     *
     * @param exitStatus the exit status to record
     * @return the JSON text
     */
    public String toJson(int exitStatus) {
        Json j = new Json();
        j.beginObject();
        j.name("command").value(command);
        j.name("startedAt").value(startedAt.toString());
        j.name("finishedAt").value(finishedAt.toString());
        j.name("exitStatus").value(exitStatus);
        j.name("dryRun").value(dryRun);
        Counters t = totals();
        counters(j, t, true);
        j.name("totals").beginObject();
        counters(j, t, true);
        j.endObject();
        j.name("folders").beginArray();
        for (FolderReport f : folders) {
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
        allErrors().forEach(e -> error(j, e));
        j.endArray();
        j.endObject();
        return j.toString();
    }

    /**
     * Writes {@link #toJson(int)} to a file (UTF-8, with a final newline).
     *
     * @param file the file
     * @param exitStatus the exit status to record
     * @throws IOException if the file cannot be written
     */
    public void writeJson(Path file, int exitStatus) throws IOException {
        Files.writeString(file, toJson(exitStatus) + "\n", StandardCharsets.UTF_8);
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
