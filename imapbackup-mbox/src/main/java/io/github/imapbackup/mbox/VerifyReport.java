package io.github.imapbackup.mbox;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link BackupArchive#verify()} found: per checked folder the messages and bytes read and
 * what does not match, and the problems of no checked folder (an mbox without index, a file in the
 * other layout, a folder a running backup is writing). Each problem names its file, folder, UID
 * and byte offset where known.
 *
 * <pre>{@code
 * try (BackupArchive archive = MboxStore.builder(Path.of("backup")).build().read()) {
 *     VerifyReport verified = archive.verify();
 *     verified.problems().forEach(p -> log.warn("{}", verified.describe(p)));
 *     BackupReport report = verified.toReport(); // command "verify": source = messages checked
 * }
 * }</pre>
 */
public final class VerifyReport {

    /**
     * One thing that does not match.
     *
     * @param file the file concerned (an mbox or an index)
     * @param folder the folder name, or null when unknown
     * @param uid the message's UID, or -1 when unknown or not about one message
     * @param offset the byte offset (in the uncompressed mbox for mbox files), or -1
     * @param message what is wrong
     */
    public record Problem(Path file, String folder, long uid, long offset, String message) {

        /**
         * Validates.
         *
         * @param file the file concerned
         * @param folder the folder name, or null
         * @param uid the UID, or -1
         * @param offset the byte offset, or -1
         * @param message what is wrong
         */
        public Problem {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return describe(file.toString());
        }

        private String describe(String name) {
            return name + (offset >= 0 ? " at byte " + offset : "") + (uid > 0 ? " (UID " + uid + ")" : "")
                    + ": " + message;
        }
    }

    /**
     * What was checked of one folder.
     *
     * @param folder the folder
     * @param file its mbox file relative to the backup directory
     * @param messages how many of its messages were checked
     * @param bytes how many message bytes were read
     * @param problems what does not match, in file order
     */
    public record FolderResult(FolderInfo folder, String file, long messages, long bytes, List<Problem> problems) {

        /**
         * Validates and copies.
         *
         * @param folder the folder
         * @param file its mbox file relative to the backup directory
         * @param messages how many of its messages were checked
         * @param bytes how many message bytes were read
         * @param problems what does not match
         */
        public FolderResult {
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(file, "file");
            problems = List.copyOf(problems);
        }
    }

    private final Path root;
    private final Instant startedAt;
    private final Instant finishedAt;
    private final List<FolderResult> folders;
    private final List<Problem> general;

    VerifyReport(Path root, Instant startedAt, Instant finishedAt, List<FolderResult> folders, List<Problem> general) {
        this.root = root;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.folders = List.copyOf(folders);
        this.general = List.copyOf(general);
    }

    /** {@return the backup directory} */
    public Path root() {
        return root;
    }

    /** {@return each checked folder, in name order} */
    public List<FolderResult> folders() {
        return folders;
    }

    /** {@return the problems of no checked folder} */
    public List<Problem> general() {
        return general;
    }

    /** {@return every problem: those of no checked folder first, then each folder's} */
    public List<Problem> problems() {
        List<Problem> all = new ArrayList<>(general);
        folders.forEach(f -> all.addAll(f.problems()));
        return List.copyOf(all);
    }

    /** {@return whether nothing was found wrong} */
    public boolean ok() {
        return general.isEmpty() && folders.stream().allMatch(f -> f.problems().isEmpty());
    }

    /** {@return how many messages were checked} */
    public long messages() {
        return folders.stream().mapToLong(FolderResult::messages).sum();
    }

    /** {@return how many message bytes were read} */
    public long bytes() {
        return folders.stream().mapToLong(FolderResult::bytes).sum();
    }

    /**
     * Describes a problem with its file relative to the backup directory, e.g.
     * {@code INBOX.mbox at byte 151999 (UID 120): SHA-256 … differs from the index (…)}.
     *
     * @param p the problem
     * @return the description
     */
    public String describe(Problem p) {
        String file;
        try {
            file = DirectoryLayout.relative(root.toAbsolutePath().normalize(), p.file().toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            file = p.file().toString(); // another root: the path as it is
        }
        return p.describe(file);
    }

    /**
     * Returns the verification as a run report (command {@code verify}, see {@code docs/CLI.md}):
     * per folder, <i>source</i> counts the messages checked, <i>bytes</i> the bytes read and
     * <i>errors</i> the problems; the problems of no checked folder are the run's own failures.
     *
     * @return the report
     */
    public BackupReport toReport() {
        List<FolderReport> reports = new ArrayList<>();
        for (FolderResult f : folders) {
            List<ReportError> errors = f.problems().stream().map(this::error).toList();
            reports.add(new FolderReport(f.folder().name(), f.file(), Counters.builder()
                    .messagesOnSource(f.messages()).bytesCopied(f.bytes()).errors(errors.size()).build(), errors));
        }
        return new BackupReport("verify", startedAt, finishedAt, false, Outcome.COMPLETED, reports,
                general.stream().map(this::error).toList());
    }

    private ReportError error(Problem p) {
        return new ReportError(p.folder(), p.uid() > 0 ? p.uid() : -1, describe(p));
    }

    @Override
    public String toString() {
        return "VerifyReport[" + root + ", " + folders.size() + " folders, " + messages() + " messages, "
                + problems().size() + " problems]";
    }
}
