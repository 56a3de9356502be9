package io.github.imapbackup.examples.cli;

import io.github.imapbackup.AccountSizes;
import io.github.imapbackup.AuthenticationException;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderCollisionException;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.imap.SearchRejectedException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code migrate}: IMAP account (host1) to IMAP account (host2), imapsync's job. */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = MigrateCommand.Hosts.class,
        description = {"IMAP account -> IMAP account (imapsync's job).", "",
            "Copy every selected folder and message of host1 into host2: exact bytes, original dates, the flags and "
                + "keywords host2 accepts, folders created with host2's own delimiter. host1 is only read. "
                + "What host2 already holds is matched by identity with copies counted, so a migration can be "
                + "repeated or resumed after an interruption and transfers only what is missing.", ""},
        footer = {"", "The server options are those of the other commands with 1 (host1, the source) or 2 (host2,",
            "the destination) appended; imapsync's --passfile1/2, --password1/2, --ssl1/2, --tls1/2 and --dry work too.",
            "", "host1's personal prefix (INBOX. on Courier, Cyrus) is stripped by default;",
            "--prefix1 '' keeps it.",
            "", "Deletions are opt-in, never in a dry run, never in a folder whose copy failed;",
            "messages are deleted by UID (UID EXPUNGE; without UIDPLUS only flagged).",
            "--delete2 with a filter (--search, --maxage, --minage, --maxsize, --minsize)",
            "is refused: it would delete on host2 every message the filter leaves out.",
            "", "Examples:",
            "  imapbackup migrate --host1 imap.a.example --user1 alice --password-file1 a.pw \\",
            "      --host2 imap.b.example --user2 alice --password-file2 b.pw",
            "  imapbackup migrate --host1 imap.a.example --user1 alice --passfile1 a.pw \\",
            "      --host2 imap.b.example --user2 alice --passfile2 b.pw --exclude 'Trash|Junk' --dry",
            "  imapbackup migrate --host1 imap.a.example --user1 alice --authuser1 admin --passfile1 admin.pw \\",
            "      --host2 imap.b.example --user2 alice --passfile2 b.pw --regextrans2 's/^Old$/Archive/' --delete2"})
final class MigrateCommand extends AbstractCommand {

    final HostOptions host1 = new HostOptions("1", "the source");
    final HostOptions host2 = new HostOptions("2", "the destination");

    @Option(names = "--connections", paramLabel = "N", order = 70,
            description = "Folders worked on in parallel, one connection to each host each (default: ${DEFAULT-VALUE}).")
    int connections = MigrateSession.DEFAULT_CONNECTIONS;

    @Mixin
    FolderFilterOptions filter = new FolderFilterOptions();

    @Option(names = "--include", paramLabel = "REGEX", order = 72,
            description = "Only folders whose full name (on host1) matches REGEX (whole name); repeatable.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--dry", order = 73, description = "imapsync's spelling of --dry-run.")
    boolean dry;

    @Option(names = "--justfoldersizes", order = 74,
            description = "Print the folders, messages and sizes of both hosts, and stop.")
    boolean justFolderSizes;

    @Option(names = "--nofoldersizes", order = 75,
            description = "Do not measure both hosts before the transfer (saves listing every folder twice).")
    boolean noFolderSizes;

    @Option(names = "--justconnect", order = 76,
            description = "Connect and log in to both hosts, print their greetings and capabilities, and stop.")
    boolean justConnect;

    @Option(names = "--justfolders", order = 76,
            description = "Create host2's folder tree only; transfer no message.")
    boolean justFolders;

    @Option(names = "--accounts", paramLabel = "FILE", order = 77,
            description = "Migrate each account of FILE, lines user1;password1;user2;password2 (# comments); "
                    + "the other options apply to all.")
    Path accounts;

    @Option(names = "--parallel", paramLabel = "N", order = 78,
            description = "With --accounts: accounts migrated at once (default: ${DEFAULT-VALUE}); each uses up to "
                    + "--connections connections to each host.")
    int parallel = 2;

    @Mixin
    SourceSelectionOptions selection = new SourceSelectionOptions();

    @Mixin
    FolderNameOptions names = new FolderNameOptions();

    @Mixin
    DeletionOptions deletions = new DeletionOptions();

    @Option(names = "--cache", paramLabel = "FILE", order = 79,
            description = "Keep a state cache in FILE: a rerun skips each folder unchanged on both hosts since a run "
                    + "that left nothing to copy, after one STATUS on each side; implies --nofoldersizes (the sizing "
                    + "lists every folder). Not used with deletions or --justfolders.")
    Path cache;

    /** The sessions running, for Ctrl-C. */
    private final List<MigrateSession> running = new CopyOnWriteArrayList<>();
    /** The sizing before the sessions run, for Ctrl-C. */
    private final SizingCancel sizing = new SizingCancel();
    /** The accounts' results with --accounts, or null. */
    private List<AccountsRun.Result> results;

    /** The sizes measured before the transfer, or null. */
    private AccountSizes sizes1;
    private AccountSizes sizes2;

    /** Adds the options of host1 and host2, made from the server options' declarations. */
    static final class Hosts implements IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            MigrateCommand c = (MigrateCommand) spec.userObject();
            c.host1.addTo(spec, 1);
            c.host2.addTo(spec, 30);
            return spec;
        }
    }

    @Override
    String sourceLabel() {
        return "On host1";
    }

    /** {@return the folders to migrate: --folder, --exclude and --include, as one filter} */
    FolderFilter folderFilter() {
        FolderFilter f = filter.filter();
        if (!includes.isEmpty()) {
            // a folder is left out when its whole name matches none of the --include expressions
            List<String> alternatives = new ArrayList<>();
            FolderFilterOptions.compile(includes, "--include").forEach(p -> alternatives.add("(?:" + p.pattern() + ")"));
            f = f.exclude(Pattern.compile("(?!(?:" + String.join("|", alternatives) + ")$).*", Pattern.DOTALL));
        }
        return f;
    }

    @Override
    BackupReport execute(Instant started) throws BackupException, InterruptedException {
        common.dryRun |= dry;
        ServerResolver.requireRange("--connections", connections, 1, ServerResolver.MAX_CONNECTIONS, "");
        FolderFilter folders = folderFilter();
        onInterrupt("imapbackup migrate: interrupted; stopping after the current message (run the same command"
                + " again: it transfers only what is missing)", () -> {
                    sizing.cancel();
                    running.forEach(MigrateSession::cancel);
                });
        if (accounts != null) {
            if (justConnect) {
                throw new UsageException("--justconnect checks the hosts of --host1/--user1 and --host2/--user2, not"
                        + " --accounts: run it for one account");
            }
            return accounts(started, folders);
        }
        ServerSettings s1 = resolve(host1, null);
        ServerSettings s2 = resolve(host2, null);
        MigrateSession session = session(s1, s2, folders, progressListener()); // refuses bad combinations before any I/O
        if (justConnect) {
            HostCheck.probe("host1", host1.source(s1), s1, ctx.out());
            HostCheck.probe("host2", host2.source(s2), s2, ctx.out());
            return new BackupReport(name(), started, Instant.now(), common.dryRun, Outcome.COMPLETED, List.of(), List.of());
        }
        if (!noFolderSizes && cache == null || justFolderSizes) { // sizing lists every folder: not with a cache
            sizes1 = sizing.measure("host1", selection.apply(host1.source(s1)), folders, s1);
            sizes2 = sizing.measure("host2", host2.source(s2), FolderFilter.all(), s2);
            if (!quiet()) {
                MigrateStatistics.print("Sizes of host1 (selected folders)", MigrateStatistics.sizing("Host1", sizes1), ctx.out());
                MigrateStatistics.print("Sizes of host2", MigrateStatistics.sizing("Host2", sizes2), ctx.out());
            }
        }
        if (justFolderSizes) {
            return new BackupReport(name(), started, Instant.now(), common.dryRun, Outcome.COMPLETED, List.of(), List.of());
        }
        if (showProgress()) {
            ctx.err().println((common.dryRun ? "Dry run (nothing is written): migrating " : "Migrating ")
                    + s1.describe() + " to " + s2.describe());
        }
        try {
            return migrate(session);
        } catch (SearchRejectedException e) {
            throw HostCheck.refused(e);
        } catch (FolderCollisionException e) {
            throw collision(e);
        } catch (ConnectionException e) {
            throw named(e, s1, s2);
        }
    }

    /**
     * Builds one migration between resolved hosts (no I/O).
     *
     * @throws UsageException if the library refuses the combination of options
     */
    private MigrateSession session(ServerSettings s1, ServerSettings s2, FolderFilter folders, BackupListener listener) {
        ImapSource source = selection.apply(host1.source(s1));
        MigrateSession.Builder b = MigrateSession.builder()
                .source(source)
                .target(names.target(host2.source(s2)))
                .folderFilter(folders)
                .justFolders(justFolders)
                .stateCache(cache)
                .connections(connections)
                .listener(listener);
        try {
            return deletions.apply(b).build();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** Runs one migration (or its dry run), cancellable by Ctrl-C. */
    private BackupReport migrate(MigrateSession session) throws BackupException {
        running.add(session);
        try {
            sizing.check(); // Ctrl-C came before the session ran
            return common.dryRun ? session.plan() : session.run();
        } finally {
            running.remove(session);
        }
    }

    /** {@code --accounts}: every account of the file, {@code --parallel} at once. */
    private BackupReport accounts(Instant started, FolderFilter folders) throws InterruptedException {
        for (HostOptions h : List.of(host1, host2)) {
            if (h.user() != null || h.hasSecret()) {
                throw new UsageException("--accounts gives the users and passwords: drop --user" + h.name().substring(4)
                        + " and the password options of " + h.name());
            }
        }
        ServerResolver.requireRange("--parallel", parallel, 1, ServerResolver.MAX_CONNECTIONS, "");
        List<AccountsRun.Planned> planned = new ArrayList<>();
        for (AccountsFile.Account a : AccountsFile.read(accounts, ctx.err())) {
            planned.add(new AccountsRun.Planned(a, resolve(host1, new HostOptions.Login(a.user1(), a.password1())),
                    resolve(host2, new HostOptions.Login(a.user2(), a.password2()))));
        }
        if (!planned.isEmpty()) {
            session(planned.get(0).s1(), planned.get(0).s2(), folders, BackupListener.NONE); // usage errors at once
        }
        results = AccountsRun.run(planned, parallel,
                (s1, s2) -> migrate(session(s1, s2, folders, BackupListener.NONE)));
        results.stream().filter(r -> r.status() != ExitStatus.OK)
                .forEach(r -> ctx.err().println("imapbackup migrate: account " + ctx.secrets().redact(r.line())));
        return AccountsRun.combined(name(), started, common.dryRun, results);
    }

    @Override
    int exitStatus(BackupReport report) {
        return results == null ? super.exitStatus(report) : Math.max(super.exitStatus(report), AccountsRun.worst(results));
    }

    @Override
    void printStatistics(BackupReport report) {
        if (justFolderSizes || justConnect) {
            return; // the sizes, or the hosts' greetings, are all there is
        }
        super.printStatistics(report);
        if (results != null) {
            AccountsRun.print(results, ctx.out());
            return;
        }
        MigrateStatistics stats = statistics(report);
        MigrateStatistics.print("Statistics", stats.lines(), ctx.out());
        ctx.out().println(stats.verdict(common.report));
    }

    @Override
    void reportFields(BackupReport report, Json json) {
        if (results != null) {
            AccountsRun.json(results, json);
        } else if (sizes1 != null || report.command().equals(name()) && !report.folders().isEmpty()) {
            statistics(report).json(json);
        }
    }

    private MigrateStatistics statistics(BackupReport report) {
        return new MigrateStatistics(report, sizes1, sizes2, MigrateStatistics.peakMemory());
    }

    private ServerSettings resolve(HostOptions host, HostOptions.Login login) {
        boolean securityGiven = spec.commandLine().getParseResult().hasMatchedOption("--security" + host.name().substring(4));
        ServerSettings s = host.resolve(connections, securityGiven, ctx.env(), ctx.err(), login);
        ctx.secrets().learn(s.credential());
        return s;
    }

    /** {@return the usage error for host1 folders that would go into one host2 folder, with the options that help} */
    static UsageException collision(FolderCollisionException e) {
        return new UsageException(e.getMessage() + " (--regextrans2 's/^OLD$/NEW/' renames one on host2,"
                + " --exclude REGEX leaves one out)", e);
    }

    /**
     * Names the host that could not be reached or refused the login: {@code host1 (imap.a.example): ...}.
     * The library's message starts with {@code host:port}; when both hosts are the same server, the
     * user named in the message tells them apart, if it does.
     */
    static ConnectionException named(ConnectionException e, ServerSettings s1, ServerSettings s2) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        boolean one = m.startsWith(s1.host() + ":" + s1.port());
        boolean two = m.startsWith(s2.host() + ":" + s2.port());
        if (one && two && !s1.user().equals(s2.user())) {
            one = m.contains("user " + s1.user());
            two = m.contains("user " + s2.user());
        }
        String side = one == two ? "host1 (" + s1.host() + ") or host2 (" + s2.host() + ")"
                : one ? "host1 (" + s1.host() + ")" : "host2 (" + s2.host() + ")";
        return e instanceof AuthenticationException ? new AuthenticationException(side + ": " + m, e)
                : new ConnectionException(side + ": " + m, e);
    }
}
