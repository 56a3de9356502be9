package io.github.imapbackup.examples.cli;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.mbox.BackupVerifier;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MailboxStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Runs {@link BackupVerifier} and turns its result into a report, one entry per folder. */
final class Verification {

    private Verification() { }

    /**
     * Verifies a backup directory.
     *
     * @param dir the backup directory
     * @param store its store (for folder names, files and counts)
     * @param all whether every folder is checked (then mbox files without an index are found too)
     * @param folders which folders to check
     * @param started when the run started
     * @return the report: messagesOnSource = messages checked, errors = problems
     * @throws BackupException if the directory cannot be read
     */
    static BackupReport verify(Path dir, MailboxStore store, boolean all, Predicate<String> folders, Instant started)
            throws BackupException {
        BackupVerifier verifier = new BackupVerifier(dir);
        List<BackupVerifier.Problem> problems = new ArrayList<>();
        Map<String, Counters> counts = new LinkedHashMap<>();
        List<FolderInfo> selected = new ArrayList<>();
        for (FolderInfo f : store.folders()) {
            if (folders.test(f.name())) {
                selected.add(f);
            }
        }
        if (all) {
            BackupVerifier.Result r = verifier.verify();
            problems.addAll(r.problems());
            for (FolderInfo f : selected) {
                counts.put(f.name(), indexCounts(store, f));
            }
        } else {
            for (FolderInfo f : selected) {
                BackupVerifier.Result r = verifier.verify(f.name());
                problems.addAll(r.problems());
                counts.put(f.name(), Counters.builder().messagesOnSource(r.messages())
                        .bytesCopied(r.bytes()).build());
            }
        }
        Map<String, List<ReportError>> byFolder = new LinkedHashMap<>();
        List<ReportError> general = new ArrayList<>();
        for (BackupVerifier.Problem p : problems) {
            ReportError e = new ReportError(p.folder(), p.uid() > 0 ? p.uid() : -1, relative(dir, p));
            if (p.folder() != null && counts.containsKey(p.folder())) {
                byFolder.computeIfAbsent(p.folder(), k -> new ArrayList<>()).add(e);
            } else {
                general.add(e);
            }
        }
        List<FolderReport> reports = new ArrayList<>();
        for (FolderInfo f : selected) {
            List<ReportError> errors = byFolder.getOrDefault(f.name(), List.of());
            Counters c = counts.get(f.name());
            reports.add(new FolderReport(f.name(), store.location(f), c.toBuilder().errors(errors.size()).build(),
                    errors));
        }
        return new BackupReport("verify", started, Instant.now(), false, Outcome.COMPLETED, reports, general);
    }

    /** The message count and bytes the index records (what the verifier read). */
    private static Counters indexCounts(MailboxStore store, FolderInfo f) throws BackupException {
        Optional<FolderArchive> a = store.openReadOnly(f);
        if (a.isEmpty()) {
            return Counters.empty();
        }
        try (FolderArchive archive = a.get()) {
            List<ArchivedMessage> messages = archive.messages();
            return Counters.builder().messagesOnSource(messages.size())
                    .bytesCopied(messages.stream().mapToLong(ArchivedMessage::length).sum()).build();
        }
    }

    /** The problem with its file relative to the backup directory: {@code Inbox.mbox at byte 123 (UID 7): ...}. */
    private static String relative(Path dir, BackupVerifier.Problem p) {
        Path file = p.file();
        try {
            file = dir.toAbsolutePath().normalize().relativize(p.file().toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            // another root: keep the path as it is
        }
        return file + (p.offset() >= 0 ? " at byte " + p.offset() : "") + (p.uid() > 0 ? " (UID " + p.uid() + ")" : "")
                + ": " + p.message();
    }
}
