package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderCollisionException;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.imap.SearchRejectedException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code migrate --accounts FILE}: one migration per account, {@code --parallel} of them at once
 * (each with up to {@code --connections} connections to each host); an account that fails never
 * stops the others, and the exit status is the worst of them.
 */
final class AccountsRun {

    /**
     * What one account's migration gave.
     *
     * @param account the account
     * @param report its report, or null when it did not start
     * @param status its exit status
     * @param failure why it failed as a whole, or null
     */
    record Result(AccountsFile.Account account, BackupReport report, int status, String failure) {

        /** {@return the line that sums the account up} */
        String line() {
            String who = account.describe() + ": ";
            if (report == null) {
                return who + failure + " (exit status " + status + ")";
            }
            Counters t = report.totals();
            return who + t.messagesCopied() + (report.dryRun() ? " to transfer, " : " transferred, ")
                    + t.messagesSkipped() + " already on host2, " + report.allErrors().size() + " failed"
                    + (failure != null ? "; " + failure : "") + " (exit status " + status + ")";
        }
    }

    /** Runs one account's migration with the hosts resolved for it. */
    interface Migration {
        /**
         * Runs.
         *
         * @param s1 host1 with the account's user
         * @param s2 host2 with the account's user
         * @return the report
         * @throws BackupException on failure
         */
        BackupReport run(ServerSettings s1, ServerSettings s2) throws BackupException;
    }

    /** An account with its resolved hosts. */
    record Planned(AccountsFile.Account account, ServerSettings s1, ServerSettings s2) { }

    private AccountsRun() { }

    /**
     * Migrates the accounts, {@code parallel} at once.
     *
     * @param accounts the accounts with their hosts
     * @param parallel how many at once
     * @param migration runs one
     * @return the results, in file order
     * @throws InterruptedException if interrupted while waiting
     */
    static List<Result> run(List<Planned> accounts, int parallel, Migration migration) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, accounts.size())));
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (Planned p : accounts) {
                futures.add(pool.submit(() -> one(p, migration)));
            }
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    results.add(new Result(accounts.get(i).account(), null, ExitStatus.PARTIAL,
                            "internal error: " + e.getCause()));
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Result one(Planned p, Migration migration) {
        try {
            BackupReport r = migration.run(p.s1(), p.s2());
            return new Result(p.account(), r, ExitStatus.of(r), null);
        } catch (SearchRejectedException e) {
            return new Result(p.account(), null, ExitStatus.USAGE, HostCheck.refused(e).getMessage());
        } catch (FolderCollisionException e) {
            return new Result(p.account(), null, ExitStatus.USAGE, MigrateCommand.collision(e).getMessage());
        } catch (ConnectionException e) {
            return new Result(p.account(), null, ExitStatus.CONNECT,
                    MigrateCommand.named(e, p.s1(), p.s2()).getMessage());
        } catch (BackupException e) {
            return new Result(p.account(), e.report().orElse(null), ExitStatus.PARTIAL, e.getMessage());
        } catch (RuntimeException e) {
            return new Result(p.account(), null, ExitStatus.PARTIAL, "internal error: " + e);
        }
    }

    /** {@return the worst exit status of the accounts} */
    static int worst(List<Result> results) {
        return results.stream().mapToInt(Result::status).max().orElse(ExitStatus.OK);
    }

    /**
     * Joins the accounts' reports into one: each folder named {@code user1: folder}, each account
     * that failed as a whole as a failure of the run.
     *
     * @param command the command
     * @param started when the run started
     * @param dryRun whether it was a dry run
     * @param results the results
     * @return the report
     */
    static BackupReport combined(String command, Instant started, boolean dryRun, List<Result> results) {
        List<FolderReport> folders = new ArrayList<>();
        List<ReportError> errors = new ArrayList<>();
        for (Result r : results) {
            String user = r.account().user1() + ": ";
            if (r.report() != null) {
                for (FolderReport f : r.report().folders()) {
                    List<ReportError> fe = f.errors().stream()
                            .map(e -> new ReportError(e.folder() == null ? null : user + e.folder(), e.uid(),
                                    e.message())).toList();
                    folders.add(new FolderReport(user + f.name(), f.file(), f.counters(), fe));
                }
            }
            if (r.failure() != null) {
                errors.add(new ReportError(null, -1, "account " + r.account().describe() + ": " + r.failure()));
            }
        }
        return new BackupReport(command, started, Instant.now(), dryRun, Outcome.COMPLETED, folders, errors);
    }

    /**
     * Prints one line per account.
     *
     * @param results the results
     * @param out where they go
     */
    static void print(List<Result> results, PrintStream out) {
        out.println("++++ Accounts");
        results.forEach(r -> out.println(r.line()));
    }

    /**
     * Writes the accounts as the {@code accounts} field of the JSON report.
     *
     * @param results the results
     * @param j the report, inside its object
     */
    static void json(List<Result> results, Json j) {
        j.name("accounts").beginArray();
        for (Result r : results) {
            j.beginObject();
            j.name("line").value(r.account().line());
            j.name("user1").value(r.account().user1());
            j.name("user2").value(r.account().user2());
            j.name("exitStatus").value(r.status());
            Counters t = r.report() != null ? r.report().totals() : Counters.empty();
            j.name("messagesOnSource").value(t.messagesOnSource());
            j.name("messagesCopied").value(t.messagesCopied());
            j.name("messagesSkipped").value(t.messagesSkipped());
            j.name("bytesCopied").value(t.bytesCopied());
            j.name("errors").value(r.report() != null ? r.report().allErrors().size() : 1);
            if (r.failure() != null) {
                j.name("failure").value(r.failure());
            }
            j.endObject();
        }
        j.endArray();
    }
}
