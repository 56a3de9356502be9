package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.accounts.AccountResult;
import io.github.imapbackup.accounts.AccountsListener;
import io.github.imapbackup.accounts.AccountsResult;
import io.github.imapbackup.accounts.AccountsRunner;
import io.github.imapbackup.accounts.BackupConfig;
import io.github.imapbackup.accounts.ConfigException;
import io.github.imapbackup.accounts.ConfigReader;
import io.github.imapbackup.accounts.Shard;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine.ParseResult;

/**
 * {@code backup --config FILE}: the accounts of a configuration file, through
 * {@link AccountsRunner}; maps the options onto it, prints one line per account and the totals, and
 * adds the accounts to the JSON report.
 */
final class ConfigBackup {

    /** The options that go with {@code --config}; every other one is for a single account. */
    private static final Set<String> WITH_CONFIG = Set.of("--config", "--account", "--shard", "--report",
            "--dry-run", "--quiet", "--verbose", "--debug", "--trace", "--nospinner", "--help", "--version");

    private final AccountsResult result;

    private ConfigBackup(AccountsResult result) {
        this.result = result;
    }

    /**
     * Checks that the command line has no single-account option beside {@code --config}, and no
     * {@code --account}/{@code --shard} without it.
     *
     * @param parsed the parsed command line
     * @param config whether {@code --config} was given
     * @throws UsageException naming the options that do not belong
     */
    static void checkOptions(ParseResult parsed, boolean config) {
        List<String> alone = new ArrayList<>();
        for (var o : parsed.matchedOptions()) {
            String name = o.longestName();
            if (config && !WITH_CONFIG.contains(name)) {
                alone.add(typed(o.names(), parsed.originalArgs()));
            } else if (!config && (name.equals("--account") || name.equals("--shard"))) {
                throw new UsageException(name + " chooses accounts of a configuration file: give --config FILE");
            }
        }
        if (!alone.isEmpty()) {
            throw new UsageException("--config runs the accounts of a configuration file, which says how to reach"
                    + " and store each one; " + String.join(", ", alone) + (alone.size() == 1 ? " is" : " are")
                    + " for a single account: leave " + (alone.size() == 1 ? "it" : "them")
                    + " out; the file says it for each account (docs/CONFIG.md)");
        }
    }

    /** Returns the option's name as the user typed it. */
    private static String typed(String[] names, List<String> args) {
        for (String a : args) {
            for (String n : names) {
                if (a.equals(n) || a.startsWith(n + "=")) {
                    return n;
                }
            }
        }
        return names[names.length - 1];
    }

    /**
     * Reads the configuration and runs its accounts.
     *
     * @param file the configuration file
     * @param accounts the {@code --account} names
     * @param shard the {@code --shard} value, or null
     * @param dryRun whether to write nothing
     * @param listener hears the accounts
     * @param onInterrupt takes the run's cancel action for Ctrl-C
     * @param err where the configuration's warnings go
     * @return the run
     * @throws UsageException for a configuration with mistakes, or options that do not fit it
     * @throws InterruptedException if interrupted while waiting
     */
    static ConfigBackup run(Path file, List<String> accounts, String shard, boolean dryRun, AccountsListener listener,
            Consumer<Runnable> onInterrupt, PrintStream err) throws InterruptedException {
        BackupConfig config;
        try {
            config = ConfigReader.read(file);
        } catch (ConfigException e) {
            throw new UsageException("--config: " + e.getMessage());
        }
        config.warnings().forEach(w -> err.println("imapbackup backup: warning: " + w));
        AccountsRunner runner;
        try {
            AccountsRunner.Builder b = AccountsRunner.builder().config(config).accounts(accounts).dryRun(dryRun)
                    .listener(listener);
            if (shard != null) {
                b.shard(Shard.parse(shard));
            }
            runner = b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        onInterrupt.accept(runner::cancel);
        return new ConfigBackup(runner.run());
    }

    /** {@return the run's exit status: the worst of its accounts'} */
    int exitStatus() {
        return result.exitStatus();
    }

    /**
     * Returns the whole run as one report: each account's folders named {@code account: folder}
     * (files relative to the destination), each account that failed as a whole as a failure.
     *
     * @param started when the command started
     * @return the report
     */
    BackupReport report(Instant started) {
        List<FolderReport> folders = new ArrayList<>();
        List<ReportError> errors = new ArrayList<>();
        boolean cancelled = false;
        for (AccountResult a : result.accounts()) {
            String prefix = a.name() + ": ";
            String dir = a.directory().getFileName().toString() + "/";
            for (FolderReport f : a.report().map(BackupReport::folders).orElse(List.of())) {
                folders.add(new FolderReport(prefix + f.name(), f.file() == null ? null : dir + f.file(), f.counters(),
                        f.errors().stream().map(e -> new ReportError(e.folder() == null ? null : prefix + e.folder(),
                                e.uid(), e.message())).toList()));
            }
            a.failure().ifPresent(f -> errors.add(new ReportError(null, -1, "account " + a.name() + ": " + f)));
            cancelled |= a.report().map(r -> r.outcome() == Outcome.CANCELLED).orElse(false);
        }
        return new BackupReport("backup", started, result.finishedAt(), result.dryRun(),
                cancelled ? Outcome.CANCELLED : Outcome.COMPLETED, folders, errors);
    }

    /**
     * Prints one line per account (only the failed ones when {@code failedOnly}), then the totals and
     * the notification unless {@code failedOnly}.
     *
     * @param out where the lines go
     * @param failedOnly whether to print the failed accounts only ({@code --quiet})
     */
    void print(PrintStream out, boolean failedOnly) {
        for (AccountResult a : result.accounts()) {
            if (!failedOnly || !a.succeeded()) {
                out.println(line(a));
            }
        }
        if (failedOnly) {
            return;
        }
        long ok = result.accounts().stream().filter(AccountResult::succeeded).count();
        Counters t = result.totals();
        out.println("Total: " + result.accounts().size() + (result.accounts().size() == 1 ? " account" : " accounts")
                + ", " + ok + " ok, " + (result.accounts().size() - ok) + " failed; " + messages(t, result.dryRun())
                + ", " + Format.bytes(t.bytesCopied()) + ", " + seconds(result.startedAt(), result.finishedAt()));
        result.notification().ifPresent(n -> out.println(n.describe()));
    }

    /**
     * Returns an account's summary line, for cron mail and monitoring.
     *
     * @param a the account
     * @return {@code alice@example.org: ok, 3 folders, 120 new messages, 4.2 MB, 12 s}, or
     *     {@code bob@example.org: FAILED (why)}
     */
    static String line(AccountResult a) {
        if (a.report().isEmpty()) {
            return a.name() + ": FAILED (" + a.failure().orElse("exit status " + a.exitStatus()) + ")";
        }
        BackupReport r = a.report().get();
        Counters t = r.totals();
        String head = a.succeeded() ? "ok" : "FAILED (" + a.failure().orElseGet(() -> failures(r)) + ")";
        return a.name() + ": " + head + ", " + r.folders().size() + (r.folders().size() == 1 ? " folder" : " folders")
                + ", " + messages(t, r.dryRun()) + ", " + Format.bytes(t.bytesCopied()) + ", "
                + seconds(r.startedAt(), r.finishedAt());
    }

    private static String failures(BackupReport r) {
        int n = r.allErrors().size();
        return n + (n == 1 ? " failure" : " failures") + (n > 0 ? ": " + Statistics.describe(r.allErrors().get(0))
                + (n > 1 ? "; the report lists the others" : "") : "");
    }

    private static String messages(Counters t, boolean dryRun) {
        return t.messagesCopied() + (dryRun ? " messages to copy" : t.messagesCopied() == 1 ? " new message"
                : " new messages");
    }

    private static String seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toSeconds()) + " s";
    }

    /**
     * Writes the accounts and the notification into the JSON report.
     *
     * @param j the report, inside its object
     */
    void json(Json j) {
        j.name("accounts").beginArray();
        for (AccountResult a : result.accounts()) {
            j.beginObject();
            j.name("name").value(a.name());
            j.name("directory").value(a.directory().toString());
            if (a.report().isPresent()) {
                ReportJson.fields(j, a.report().get(), a.exitStatus());
            } else {
                j.name("exitStatus").value(a.exitStatus());
            }
            a.failure().ifPresent(f -> j.name("failure").value(f));
            j.endObject();
        }
        j.endArray();
        result.notification().ifPresent(n -> {
            j.name("notification").beginObject();
            j.name("kind").value(n.kind());
            j.name("host").value(n.host());
            j.name("delivered").value(n.delivered());
            j.name("attempts").value(n.attempts());
            n.failure().ifPresent(f -> j.name("problem").value(f));
            j.endObject();
        });
    }
}
