package io.github.imapbackup.accounts;

import io.github.imapbackup.accounts.internal.Notifier;
import io.github.imapbackup.mbox.MboxStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backs up the accounts of a {@link BackupConfig}, in parallel within its connection limits, each
 * into its own directory under the destination; then sends the notification. See
 * {@code docs/CONFIG.md} ("Running many accounts").
 *
 * <pre>{@code
 * BackupConfig config = ConfigReader.read(Path.of("/etc/imapbackup.yaml"));
 * AccountsResult result = AccountsRunner.builder().config(config).build().run();
 * for (AccountResult a : result.accounts()) {
 *     log.info("{}: exit {}", a.name(), a.exitStatus());
 * }
 * }</pre>
 *
 * <ul>
 * <li><b>Parallel within limits.</b> An account that uses N connections
 *     ({@link BackupConfig#connectionsFor(AccountConfig)}) holds N of the total and N of its
 *     server's limit while it runs; the accounts start in the configuration's order as their
 *     connections come free.</li>
 * <li><b>One directory each.</b> {@code destination/<directory>}, the account's
 *     {@link AccountConfig#directory()} encoded as a file name ({@link MboxStore#fileName(String)}),
 *     locked while its backup runs ({@link io.github.imapbackup.mbox.BackupLock}).</li>
 * <li><b>Independent.</b> One account failing (its credentials, its server, its directory) never
 *     touches another; each has its own {@link AccountResult} and exit status.</li>
 * <li><b>Notification.</b> After a run that is not a dry run and was not cancelled: a GET of the
 *     success URL when every account succeeded, of the failure URL otherwise; its outcome is in the
 *     result and never changes the exit status.</li>
 * </ul>
 *
 * <p>Thread-safe; {@link #cancel()} may be called from any thread (a Ctrl-C handler).
 */
public final class AccountsRunner {

    private static final Logger LOG = LoggerFactory.getLogger(AccountsRunner.class);

    private final BackupConfig config;
    private final List<AccountConfig> selected;
    private final boolean dryRun;
    private final AccountsListener listener;
    private final String command;
    private final Notifier.Sleeper sleeper;
    private final Map<String, MboxStore> stores;
    private volatile FleetRun fleet;
    private volatile boolean cancelled;

    private AccountsRunner(Builder b, List<AccountConfig> selected, Map<String, MboxStore> stores) {
        this.config = b.config;
        this.selected = List.copyOf(selected);
        this.dryRun = b.dryRun;
        this.listener = b.listener;
        this.command = b.command != null ? b.command
                : "backup --config" + b.config.file().map(f -> " " + f).orElse("");
        this.sleeper = b.sleeper;
        this.stores = stores;
    }

    /**
     * Starts building a runner.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the accounts this runner backs up: the configuration's, after the selection by name
     * and the shard, in the configuration's order.
     *
     * @return the accounts
     */
    public List<AccountConfig> accounts() {
        return selected;
    }

    /**
     * Returns an account's backup directory.
     *
     * @param account one of {@link #accounts()}
     * @return {@code destination/<encoded directory name>}
     */
    public Path directory(AccountConfig account) {
        return stores.get(account.name()).root();
    }

    /**
     * Backs up the accounts (or, for a dry run, plans them: nothing is written anywhere and no lock
     * taken), then sends the notification.
     *
     * @return the result, one {@link AccountResult} per account
     * @throws InterruptedException if the calling thread is interrupted while it waits for the accounts
     */
    public AccountsResult run() throws InterruptedException {
        Instant started = Instant.now();
        Permits permits = new Permits(config.totalConnections(), config.connectionsPerHost());
        List<AccountJob> jobs = new ArrayList<>();
        for (AccountConfig a : selected) {
            int n = permits.cap(config.connectionsFor(a));
            jobs.add(new AccountJob(a.name(), a.host(), n, stores.get(a.name()), AccountSessions.factory(config, a, n)));
        }
        FleetRun run = new FleetRun(jobs, permits, dryRun, command, listener);
        fleet = run;
        if (cancelled) {
            run.cancel();
        }
        List<AccountResult> results = run.run();
        AccountsResult result = new AccountsResult(started, Instant.now(), dryRun, results, null);
        Optional<URI> url = result.succeeded() ? config.notifications().successUrl()
                : config.notifications().failureUrl();
        if (url.isPresent() && !dryRun && !cancelled) {
            Notifications n = config.notifications();
            result = result.withNotification(new Notifier(n.timeout(), 1 + n.retries(), Duration.ofSeconds(2), sleeper)
                    .send(result.succeeded() ? "success" : "failure", url.get()));
        } else if (url.isPresent()) {
            LOG.debug("no notification: {}", dryRun ? "a dry run" : "the run was cancelled");
        }
        try {
            listener.runFinished(result);
        } catch (RuntimeException e) {
            LOG.warn("An accounts listener failed: {}", e.toString());
        }
        return result;
    }

    /** Stops the accounts that run at their next boundary (what they copied is kept) and starts no other. */
    public void cancel() {
        cancelled = true;
        FleetRun f = fleet;
        if (f != null) {
            f.cancel();
        }
    }

    /** Builds an {@link AccountsRunner}; does no I/O. */
    public static final class Builder {

        private BackupConfig config;
        private final Set<String> names = new LinkedHashSet<>();
        private Shard shard = Shard.ALL;
        private boolean dryRun;
        private AccountsListener listener = AccountsListener.NONE;
        private String command;
        private Notifier.Sleeper sleeper = Notifier.Sleeper.SYSTEM;

        private Builder() { }

        /**
         * Sets the configuration (required).
         *
         * @param config the configuration
         * @return this builder
         */
        public Builder config(BackupConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Restricts the run to accounts of these names ({@code --account}); adds to earlier calls;
         * none means every account.
         *
         * @param accountNames the names, as {@link AccountConfig#name()}
         * @return this builder
         */
        public Builder accounts(Collection<String> accountNames) {
            accountNames.forEach(n -> names.add(Objects.requireNonNull(n, "account name")));
            return this;
        }

        /**
         * Restricts the run to the accounts of one shard ({@code --shard K/N}); default all.
         *
         * @param shard the shard
         * @return this builder
         */
        public Builder shard(Shard shard) {
            this.shard = Objects.requireNonNull(shard, "shard");
            return this;
        }

        /**
         * Makes the run a dry run: each account is planned (connects, lists, compares) and nothing is
         * written, locked or notified.
         *
         * @param dryRun whether to
         * @return this builder
         */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /**
         * Sets the listener (default none).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(AccountsListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets what a second run on an account's directory is told holds it (default
         * {@code backup --config FILE}); never a secret.
         *
         * @param command the description
         * @return this builder
         */
        public Builder command(String command) {
            this.command = Objects.requireNonNull(command, "command");
            return this;
        }

        /** Sets how the notifier waits between attempts (tests). */
        Builder sleeper(Notifier.Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Builds the runner: selects the accounts and checks that their directories differ.
         *
         * @return the runner
         * @throws IllegalStateException if no configuration was given
         * @throws IllegalArgumentException if a name given to {@link #accounts} is not in the
         *     configuration, two accounts would share a directory, or the configuration's codec
         *     cannot be used here; the message says which
         */
        public AccountsRunner build() {
            if (config == null) {
                throw new IllegalStateException("no configuration: call config(...)");
            }
            for (String n : names) {
                if (config.account(n).isEmpty()) {
                    throw new IllegalArgumentException("no account named \"" + n + "\" in the configuration; its accounts are "
                            + String.join(", ", config.accounts().stream().map(AccountConfig::name).toList()));
                }
            }
            List<AccountConfig> chosen = new ArrayList<>();
            Map<String, MboxStore> stores = new HashMap<>();
            Map<Path, String> byDirectory = new HashMap<>();
            for (AccountConfig a : config.accounts()) {
                Path dir = config.destination().resolve(MboxStore.fileName(a.directory()));
                String other = byDirectory.putIfAbsent(dir.normalize(), a.name());
                if (other != null) {
                    throw new IllegalArgumentException("the accounts \"" + other + "\" and \"" + a.name()
                            + "\" would share the directory " + dir + "; give one of them a directory of its own");
                }
                if ((names.isEmpty() || names.contains(a.name())) && shard.contains(a.name())) {
                    chosen.add(a);
                    MboxStore.Builder s = MboxStore.builder(dir).codec(config.compress());
                    config.layout().ifPresent(s::layout);
                    stores.put(a.name(), s.build());
                }
            }
            return new AccountsRunner(this, chosen, stores);
        }
    }
}
