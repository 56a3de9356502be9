package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.transfer.MboxExporter;
import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code export}: backup directory to {@code .eml} files or to mbox files of a chosen dialect and codec. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Backup directory -> .eml files or mbox files of a chosen dialect.", "",
            "Export a backup directory: every message as an .eml file with its exact bytes "
                + "(OUT/<folder path>/000001-<uid>.eml), or every folder as an mbox file in a chosen dialect "
                + "and compression (OUT/<folder path>.mbox). Each message is checked against its SHA-256.", ""},
        footer = {"", "Examples:",
            "  imapbackup export --dir ~/mail --eml ~/mail-eml",
            "  imapbackup export --dir ~/mail --mbox ~/mail-mutt --dialect mboxo",
            "  imapbackup export --dir ~/mail --mbox ~/mail-xz --dialect mboxcl2 \\",
            "      --compress xz --folder INBOX"})
final class ExportCommand extends AbstractCommand {

    @Option(names = {"-d", "--dir", "--mbox-dir"}, paramLabel = "DIR",
            description = "The backup directory (default: the current directory).")
    Path dir;

    @Option(names = "--layout", paramLabel = "nested|flat",
            description = "The backup directory's layout (default: detected).")
    DirOptions.Layout layout;

    @Mixin
    ExpansionOption expansion = new ExpansionOption();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--dialect", paramLabel = "mboxrd|mboxo|mboxcl2", defaultValue = "mboxrd",
            description = "The mbox dialect written with --mbox (default: ${DEFAULT-VALUE}).")
    Dialect dialect = Dialect.MBOXRD;

    @Option(names = {"-z", "--compress"}, paramLabel = "none|gzip|bzip2|xz|zstd", arity = "0..1",
            fallbackValue = "gzip", parameterConsumer = DirOptions.CompressionConsumer.class,
            description = "Compression of the written mbox files; -z alone means gzip (default: none).")
    String compress;

    @Mixin
    FolderFilterOptions filter = new FolderFilterOptions();

    /** Where to: .eml files or mbox files. */
    static final class Target {
        @Option(names = "--eml", paramLabel = "OUT", required = true,
                description = "Write .eml files under OUT.")
        Path eml;

        @Option(names = "--mbox", paramLabel = "OUT", required = true,
                description = "Write mbox files under OUT.")
        Path mbox;
    }

    @Override
    String sourceLabel() {
        return "In backup";
    }

    @Override
    BackupReport execute(Instant started) throws BackupException {
        Path d = dir != null ? dir : Path.of(".");
        DirOptions.requireExisting(d);
        filter.filter();
        if (target.eml != null && (compress != null || dialect != Dialect.MBOXRD)) {
            throw new UsageException("--dialect and --compress go with --mbox, not --eml");
        }
        Path out = target.eml != null ? target.eml : target.mbox;
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException((target.eml != null ? "--eml: " : "--mbox: ") + out
                    + " is a file; give a directory to write into (it is created when missing)");
        }
        if (!common.dryRun) {
            FileProblem.requireCreatable(target.eml != null ? "--eml" : "--mbox", out);
        }
        if (dialect == Dialect.MBOXCL) {
            throw new UsageException("mboxcl cannot be written while streaming; choose mboxcl2, mboxo or mboxrd");
        }
        MboxStore store = expansion.apply(Stores.mbox(new BackupSettings.StoreSettings(d, null, layout), true));
        DirOptions.requireBackup(d, store);
        try (BackupArchive archive = store.read()) {
            filter.requireIn(archive);
        }
        MboxExporter exporter = MboxExporter.builder(store)
                .folders(filter.filter())
                .dryRun(common.dryRun)
                .listener(progressListener())
                .build();
        onInterrupt("imapbackup export: interrupted; stopping after the current message (files already"
                + " written stay, the one being written is removed)", exporter::cancel);
        return target.eml != null ? exporter.exportEml(target.eml)
                : exporter.exportMbox(target.mbox, dialect, Stores.codec(compress == null ? "none" : compress));
    }
}
