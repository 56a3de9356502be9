package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.accounts.AccountResult;
import io.github.imapbackup.accounts.AccountsListener;
import io.github.imapbackup.imap.GmailLabels;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backup}: IMAP account to backup directory, incrementally. */
@Command(name = "backup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"IMAP account -> backup directory (incremental).", "",
            "Back up an IMAP account into a backup directory, one mbox file per folder, copying only what "
                + "is new. The server is never changed: folders are opened read-only.", ""},
        footer = {"", "Examples:",
            "  imapbackup backup --host imap.example.org --user alice \\",
            "      --password-env IMAP_PW --dir ~/mail -z --report run.json",
            "  imapbackup backup --host imap.example.org --user alice --folder INBOX",
            "  imapbackup backup -s imap.example.org:993 -e -u alice -p @pwfile -d ~/mail",
            "      (the original script's spellings)",
            "  imapbackup backup --config /etc/imapbackup.yaml --quiet --report run.json",
            "      (many accounts, each into its own directory; docs/CONFIG.md)"})
final class BackupCommand extends AbstractCommand {

    @Mixin
    ServerOptions server = new ServerOptions();

    @Mixin
    DirOptions dir = new DirOptions();

    @Mixin
    FolderFilterOptions filter = new FolderFilterOptions();

    @Option(names = "--subscribed-only", description = "Back up only subscribed folders.")
    boolean subscribedOnly;

    @Option(names = "--fail-fast", description = "Stop at the first failure.")
    boolean failFast;

    @Option(names = "--gmail-labels", paramLabel = "once|copies",
            description = {"Gmail: 'once' backs up All Mail, Spam and Trash only, each message once with its "
                + "labels recorded (restore --labels-as-folders puts it back into one folder per label); "
                + "'copies' (the default) backs up every label folder, a message once per label. A server "
                + "without Gmail's extensions gets a warning and the per-folder backup."})
    GmailMode gmailLabels;

    /** {@code --gmail-labels}. */
    enum GmailMode {
        /** {@link GmailLabels#STORE_ONCE}. */
        ONCE,
        /** {@link GmailLabels#PER_LABEL_COPIES}. */
        COPIES
    }

    @Mixin
    LegacyOptions legacy = new LegacyOptions();

    @Option(names = "--config", paramLabel = "FILE", order = 1,
            description = "Back up the accounts of a configuration file (YAML, JSON, or the original multi-account"
                    + " script's config.json), each into its own directory; see docs/CONFIG.md. Excludes the"
                    + " single-account options.")
    Path config;

    @Option(names = "--account", paramLabel = "NAME", order = 2,
            description = "With --config: back up only this account (repeatable; its name, else its e-mail address).")
    List<String> accounts = new ArrayList<>();

    @Option(names = "--shard", paramLabel = "K/N", order = 3,
            description = "With --config: back up only the accounts whose stable hash falls in shard K of N"
                    + " (0 <= K < N), to split a fleet between machines without coordination.")
    String shard;

    /** The run of {@code --config}, or null. */
    private ConfigBackup configRun;

    @Override
    boolean quiet() {
        return common.quiet || legacy.nospinner;
    }

    @Override
    String sourceLabel() {
        return "On server";
    }

    /** Returns the listener of a {@code --config} run: on a terminal, a line when an account starts and ends. */
    private AccountsListener accountsListener() {
        if (!showProgress()) {
            return AccountsListener.NONE;
        }
        return new AccountsListener() {
            @Override
            public void accountStarted(String name, Path directory) {
                ctx.err().println(name + ": started (into " + directory + ")");
            }

            @Override
            public void accountFinished(AccountResult result) {
                ctx.err().println(ConfigBackup.line(result));
            }
        };
    }

    @Override
    int exitStatus(BackupReport report) {
        return configRun != null ? configRun.exitStatus() : super.exitStatus(report);
    }

    @Override
    void printStatistics(BackupReport report) {
        if (configRun != null) {
            configRun.print(ctx.out(), false);
        } else {
            super.printStatistics(report);
        }
    }

    @Override
    void reportFields(BackupReport report, Json json) {
        if (configRun != null) {
            configRun.json(json);
        }
    }

    /** Resolves every option (reads the password). */
    BackupSettings settings() {
        ServerSettings s = ServerResolver.resolve(server, legacy, ctx.env(), ctx.err());
        ctx.secrets().learn(s.credential());
        List<String> folders = new ArrayList<>(filter.folders);
        folders.addAll(legacy.folders);
        List<String> excludes = new ArrayList<>(filter.excludes);
        for (String name : legacy.excludeFolders) {
            excludes.add(Pattern.quote(name));
        }
        FolderFilterOptions.compile(excludes); // validates
        return new BackupSettings(s, BackupSettings.StoreSettings.of(dir), folders, excludes,
                subscribedOnly, quiet(), gmailLabels == GmailMode.ONCE ? GmailLabels.STORE_ONCE : GmailLabels.PER_LABEL_COPIES);
    }

    @Override
    BackupReport execute(Instant started) throws BackupException, InterruptedException {
        ConfigBackup.checkOptions(spec.commandLine().getParseResult(), config != null);
        if (config != null) {
            configRun = ConfigBackup.run(config, accounts, shard, common.dryRun, accountsListener(),
                    this::onBackupInterrupt, ctx.err());
            if (quiet()) {
                configRun.print(ctx.out(), true);
            }
            return configRun.report(started);
        }
        BackupSettings settings = settings();
        if (showProgress()) {
            ctx.err().println((common.dryRun ? "Dry run (nothing is written): " : "Backing up ")
                    + settings.server().describe() + " into " + settings.store().dir().toAbsolutePath().normalize());
        }
        return BackupRunner.run(settings, common.dryRun, failFast, progressListener(), this::onBackupInterrupt);
    }
}
