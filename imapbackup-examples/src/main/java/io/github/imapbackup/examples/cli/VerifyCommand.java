package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verify}: re-reads a backup directory and checks every message against its index. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check every message of a backup directory against its index.", "",
            "Re-read every mbox file of a backup directory and check each message against the "
                + "SHA-256 its index records. Exit status 0 only when every message matches; otherwise "
                + "each mismatch is listed with its file, UID and byte offset, and the status is 1.", ""},
        footer = {"", "Example:", "  imapbackup verify --dir ~/mail --report verify.json"})
final class VerifyCommand extends AbstractCommand {

    @Option(names = {"-d", "--dir", "--mbox-dir"}, paramLabel = "DIR",
            description = "The backup directory (default: the current directory).")
    Path dir;

    @Option(names = "--layout", paramLabel = "nested|flat",
            description = "The backup directory's layout (default: detected).")
    DirOptions.Layout layout;

    @Mixin
    ExpansionOption expansion = new ExpansionOption();

    @Mixin
    FolderFilterOptions filter = new FolderFilterOptions();

    @Override
    String sourceLabel() {
        return null;
    }

    @Override
    boolean failuresOnStdout() {
        return !quiet();
    }

    @Override
    BackupReport execute(Instant started) throws Exception {
        Path d = dir != null ? dir : Path.of(".");
        DirOptions.requireExisting(d);
        filter.filter();
        MboxStore store = expansion.apply(Stores.mbox(new BackupSettings.StoreSettings(d, null, layout), true));
        DirOptions.requireBackup(d, store);
        BackupReport report;
        try (BackupArchive archive = store.read()) {
            report = archive.verify(filter.requireIn(archive)).toReport();
        }
        if (!quiet()) {
            long checked = report.totals().messagesOnSource();
            ctx.out().println(ExitStatus.of(report) == ExitStatus.OK
                    ? "OK: all " + checked + " messages match their SHA-256."
                    : "FAILED: " + report.totals().errors() + " problem(s) in " + checked + " messages:");
            report.allErrors().forEach(e -> ctx.out().println("  " + e.message()));
        }
        return report;
    }
}
