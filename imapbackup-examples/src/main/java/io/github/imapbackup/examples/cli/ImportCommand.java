package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderNames;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.transfer.MboxImporter;
import io.github.imapbackup.mbox.BackupLock;
import io.github.imapbackup.mbox.MboxStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code import}: foreign mbox files into a backup directory, merged without duplicates. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Foreign mbox files -> backup directory (merged, no duplicates).", "",
            "Import mbox files (Thunderbird, Apple Mail .mbox bundles, mutt, Dovecot, Google "
                + "Takeout; mboxo, mboxrd, mboxcl, mboxcl2; compressed or not) into a backup directory. "
                + "Messages the folder already holds are skipped, so importing twice adds nothing; "
                + "distinct messages that share a Message-ID are both kept.", ""},
        footer = {"", "Examples:",
            "  imapbackup import --dir ~/mail ~/Takeout/Mail/All\\ mail.mbox",
            "  imapbackup import --dir ~/mail --folder Archive/Old old.mbox.gz sent.mbox"})
final class ImportCommand extends AbstractCommand {

    @Mixin
    DirOptions dir = new DirOptions();

    @Mixin
    ExpansionOption expansion = new ExpansionOption();

    @Option(names = "--folder", paramLabel = "NAME",
            description = "The folder to import into (default: each file's name without .mbox and "
                    + "compression suffix). '/' separates levels of new folders.")
    String folder;

    @Option(names = "--dialect", paramLabel = "mboxrd|mboxo|mboxcl|mboxcl2",
            description = "Read the files in this dialect (default: detected from each file; a file whose "
                    + "only quoted lines are '>From ' reads as mboxo).")
    Dialect dialect;

    @Parameters(paramLabel = "FILE", arity = "1..*",
            description = "mbox files, or Apple Mail .mbox directories.")
    List<Path> files = new ArrayList<>();

    @Override
    String sourceLabel() {
        return "In files";
    }

    @Override
    BackupReport execute(Instant started) throws BackupException {
        if (folder != null && folder.isBlank()) {
            throw new UsageException("--folder needs a name");
        }
        Map<Path, String> empty = ImportInputs.empty(files);
        if (empty.size() == files.size()) {
            throw new UsageException(String.join("; ", empty.values()));
        }
        List<Path> usable = files.stream().filter(f -> !empty.containsKey(f)).toList();
        MboxStore store = expansion.apply(Stores.mbox(BackupSettings.StoreSettings.of(dir), common.dryRun));
        String target = folder;
        if (target != null && FolderNames.isInbox(target)) {
            // INBOX in any case is the INBOX: the folder the backup has under that name, else INBOX
            target = store.folders().stream().map(FolderInfo::name).filter(FolderNames::isInbox).findFirst()
                    .orElse("INBOX");
        }
        MboxImporter importer = MboxImporter.builder(store)
                .dryRun(common.dryRun)
                .dialect(dialect)
                .maxExpansion(expansion.value())
                .listener(progressListener())
                .build();
        onInterrupt("imapbackup import: interrupted; saving what was imported so far", importer::cancel);
        if (common.dryRun) {
            return withRefused(importer.importFiles(usable, target), empty);
        }
        BackupLock lock = store.lock("import");
        try {
            return withRefused(importer.importFiles(usable, target), empty);
        } finally {
            lock.close();
        }
    }

    /** Adds a failed folder entry for each file that was refused, so that the run does not end with 0. */
    private BackupReport withRefused(BackupReport report, Map<Path, String> refused) {
        if (refused.isEmpty()) {
            return report;
        }
        List<FolderReport> folders = new ArrayList<>(report.folders());
        refused.forEach((file, why) -> {
            String name = folder != null ? folder : MboxImporter.folderName(file);
            folders.add(FolderReport.failure(name, why));
        });
        return new BackupReport(report.command(), report.startedAt(), report.finishedAt(), report.dryRun(),
                report.outcome(), folders,
                report.errors());
    }
}
