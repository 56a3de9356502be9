package io.github.imapbackup.accounts;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What one account's backup gave, in an {@link AccountsResult}: its report when the backup ran,
 * why it failed as a whole when it did, and its exit status as the command line program's
 * (docs/CLI.md): {@code 0} everything done, {@code 1} finished but something failed (or cut short),
 * {@code 2} refused before it started (its directory is in use, its credential source failed), {@code 3}
 * cannot connect or authenticate. Built by the library only.
 */
public final class AccountResult {

    private final String name;
    private final Path directory;
    private final int exitStatus;
    private final BackupReport report;
    private final String failure;

    private AccountResult(String name, Path directory, int exitStatus, BackupReport report, String failure) {
        this.name = Objects.requireNonNull(name, "name");
        this.directory = Objects.requireNonNull(directory, "directory");
        if (exitStatus < 0 || exitStatus > 3) {
            throw new IllegalArgumentException("exit status " + exitStatus + ": 0 to 3");
        }
        this.exitStatus = exitStatus;
        this.report = report;
        this.failure = failure;
    }

    /**
     * The result of a backup that ran and returned a report.
     *
     * @param name the account's name
     * @param directory its backup directory
     * @param report its report
     * @param failure why the run stopped before its end, or null
     * @param exitStatus its exit status
     * @return the result
     */
    static AccountResult of(String name, Path directory, BackupReport report, String failure, int exitStatus) {
        return new AccountResult(name, directory, exitStatus, Objects.requireNonNull(report, "report"), failure);
    }

    /**
     * The result of an account whose backup failed as a whole (or never started).
     *
     * @param name the account's name
     * @param directory its backup directory
     * @param failure why
     * @param exitStatus its exit status, not 0
     * @return the result
     */
    static AccountResult failed(String name, Path directory, String failure, int exitStatus) {
        if (exitStatus == 0) {
            throw new IllegalArgumentException("a failed account has a status other than 0");
        }
        return new AccountResult(name, directory, exitStatus, null, Objects.requireNonNull(failure, "failure"));
    }

    /**
     * Returns the account's name in the configuration.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the account's backup directory: the destination and the account's directory name.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the account's exit status (see the class comment).
     *
     * @return 0, 1, 2 or 3
     */
    public int exitStatus() {
        return exitStatus;
    }

    /**
     * Returns the account's backup report, when its backup ran (also when it was cut short).
     *
     * @return the report, or empty when the account failed before its backup started
     */
    public Optional<BackupReport> report() {
        return Optional.ofNullable(report);
    }

    /**
     * Returns why the account failed as a whole (could not connect, authenticate, lock its
     * directory, ...), beyond the folder and message failures its report lists.
     *
     * @return the failure, or empty
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Returns the account's totals.
     *
     * @return its report's totals, or zero counters when it has no report
     */
    public Counters totals() {
        return report == null ? Counters.empty() : report.totals();
    }

    /**
     * Returns whether the account's backup did everything it had to.
     *
     * @return true when its exit status is 0
     */
    public boolean succeeded() {
        return exitStatus == 0;
    }

    @Override
    public String toString() {
        return "AccountResult[" + name + ", exit " + exitStatus + (failure != null ? ", " + failure : "") + "]";
    }
}
