package io.github.imapbackup.accounts;

import io.github.imapbackup.Counters;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run of many accounts gave ({@link AccountsRunner#run()}): one {@link AccountResult} per
 * account in the configuration's order, the totals over all, the notification sent at the end, and
 * the run's exit status. Built by the library only.
 */
public final class AccountsResult {

    private final Instant startedAt;
    private final Instant finishedAt;
    private final boolean dryRun;
    private final List<AccountResult> accounts;
    private final Notification notification;

    AccountsResult(Instant startedAt, Instant finishedAt, boolean dryRun, List<AccountResult> accounts,
            Notification notification) {
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.finishedAt = Objects.requireNonNull(finishedAt, "finishedAt");
        this.dryRun = dryRun;
        this.accounts = List.copyOf(accounts);
        this.notification = notification;
    }

    /**
     * Returns a copy with the notification's outcome.
     *
     * @param sent the notification
     * @return the copy
     */
    AccountsResult withNotification(Notification sent) {
        return new AccountsResult(startedAt, finishedAt, dryRun, accounts, sent);
    }

    /**
     * Returns when the run started.
     *
     * @return the time
     */
    public Instant startedAt() {
        return startedAt;
    }

    /**
     * Returns when the last account finished.
     *
     * @return the time
     */
    public Instant finishedAt() {
        return finishedAt;
    }

    /**
     * Returns whether this was a dry run (nothing written anywhere).
     *
     * @return true for a dry run
     */
    public boolean dryRun() {
        return dryRun;
    }

    /**
     * Returns the accounts' results, in the configuration's order.
     *
     * @return the results, one per account that was selected
     */
    public List<AccountResult> accounts() {
        return accounts;
    }

    /**
     * Returns the totals over all accounts.
     *
     * @return the sum of the accounts' counters
     */
    public Counters totals() {
        Counters sum = Counters.empty();
        for (AccountResult a : accounts) {
            sum = sum.plus(a.totals());
        }
        return sum;
    }

    /**
     * Returns the run's exit status: the worst of the accounts' ({@code 3} when any account could
     * not connect or authenticate, else {@code 2} when any was refused before it started, else
     * {@code 1} when any failed in part, else {@code 0}). A notification that was not delivered
     * does not change it.
     *
     * @return 0, 1, 2 or 3
     */
    public int exitStatus() {
        return accounts.stream().mapToInt(AccountResult::exitStatus).max().orElse(0);
    }

    /**
     * Returns whether every account did everything it had to.
     *
     * @return true when the exit status is 0
     */
    public boolean succeeded() {
        return exitStatus() == 0;
    }

    /**
     * Returns the notification sent at the end of the run.
     *
     * @return the notification, or empty when no URL was configured for the outcome (or it was a
     *     dry run)
     */
    public Optional<Notification> notification() {
        return Optional.ofNullable(notification);
    }

    @Override
    public String toString() {
        return "AccountsResult[" + accounts.size() + " accounts, exit " + exitStatus() + "]";
    }
}
