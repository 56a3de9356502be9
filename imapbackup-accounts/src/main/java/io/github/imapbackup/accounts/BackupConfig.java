package io.github.imapbackup.accounts;

import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.mbox.Layout;
import io.github.imapbackup.mbox.codec.Codecs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A whole configuration: where the backups go and how, the limits, the notifications, and the
 * accounts. Immutable and thread-safe; read from a file by {@link ConfigReader#read(Path)} or built
 * in code with {@link #builder()} (which validates and does no I/O). See {@code docs/CONFIG.md}.
 *
 * <pre>{@code
 * BackupConfig config = BackupConfig.builder()
 *         .destination(Path.of("/srv/mail-backup"))
 *         .compress("zstd")
 *         .account(AccountConfig.builder()
 *                 .email("alice@example.org")
 *                 .host("imap.example.org")
 *                 .credentials(Credentials.environment("ALICE_PASSWORD"))
 *                 .build())
 *         .build();
 * for (AccountConfig account : config.accounts()) {
 *     int connections = config.connectionsFor(account);   // the account's, within the limits
 * }
 * }</pre>
 */
public final class BackupConfig {

    /** Connections of all accounts together when not given: 4, as the original script. */
    public static final int DEFAULT_TOTAL_CONNECTIONS = 4;
    /** Connections per account when not given: 2, as the original script. */
    public static final int DEFAULT_CONNECTIONS_PER_ACCOUNT = 2;
    /** The socket timeout when not given: 120 s, as the original script. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    /** The most connections of any limit. */
    public static final int MAX_CONNECTIONS = 1000;

    private final Path destination;
    private final String compress;
    private final Layout layout;
    private final int totalConnections;
    private final int connectionsPerAccount;
    private final int connectionsPerHost;
    private final List<FolderRule> ignoreFolders;
    private final Duration timeout;
    private final int metadataBatch;
    private final int fetchSize;
    private final RateLimit rateLimit;
    private final Notifications notifications;
    private final List<AccountConfig> accounts;
    private final List<String> warnings;
    private final Path file;

    private BackupConfig(Builder b) {
        this.destination = b.destination;
        this.compress = b.compress;
        this.layout = b.layout;
        this.totalConnections = b.totalConnections;
        this.connectionsPerAccount = b.connectionsPerAccount;
        this.connectionsPerHost = b.connectionsPerHost;
        this.ignoreFolders = List.copyOf(b.ignoreFolders);
        this.timeout = b.timeout;
        this.metadataBatch = b.metadataBatch;
        this.fetchSize = b.fetchSize;
        this.rateLimit = b.rateLimit;
        this.notifications = b.notifications;
        this.accounts = List.copyOf(b.accounts);
        this.warnings = List.copyOf(b.warnings);
        this.file = b.file;
    }

    /** {@return a new builder with the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding this configuration, for a variation} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.destination = destination;
        b.compress = compress;
        b.layout = layout;
        b.totalConnections = totalConnections;
        b.connectionsPerAccount = connectionsPerAccount;
        b.connectionsPerHost = connectionsPerHost;
        b.ignoreFolders = ignoreFolders;
        b.timeout = timeout;
        b.metadataBatch = metadataBatch;
        b.fetchSize = fetchSize;
        b.rateLimit = rateLimit;
        b.notifications = notifications;
        b.accounts = new ArrayList<>(accounts);
        b.warnings = new ArrayList<>(warnings);
        b.file = file;
        return b;
    }

    /** {@return the directory that holds one directory per account} */
    public Path destination() {
        return destination;
    }

    /** {@return the codec's name, as {@code --compress} takes it: none, gzip, bzip2, xz, zstd} */
    public String compress() {
        return compress;
    }

    /** {@return the layout of new backup directories; empty for each directory's own, else nested} */
    public Optional<Layout> layout() {
        return Optional.ofNullable(layout);
    }

    /** {@return the most connections of all accounts together} */
    public int totalConnections() {
        return totalConnections;
    }

    /** {@return the most connections of one account, unless the account says otherwise} */
    public int connectionsPerAccount() {
        return connectionsPerAccount;
    }

    /** {@return the most connections to one server (all its accounts together), 0 for no limit but the total} */
    public int connectionsPerHost() {
        return connectionsPerHost;
    }

    /** {@return the folders to ignore in every account} */
    public List<FolderRule> ignoreFolders() {
        return ignoreFolders;
    }

    /** {@return the connect, read and write timeout of the IMAP connections} */
    public Duration timeout() {
        return timeout;
    }

    /** {@return how many messages one metadata {@code UID FETCH} asks for (the original's {@code header_batch_size})} */
    public int metadataBatch() {
        return metadataBatch;
    }

    /** {@return the size in bytes of one body chunk ({@code ImapSource.Builder.fetchSize})} */
    public int fetchSize() {
        return fetchSize;
    }

    /** {@return the rate cap of every account} */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    /** {@return where to report the outcome of a run} */
    public Notifications notifications() {
        return notifications;
    }

    /** {@return the accounts, in the order given} */
    public List<AccountConfig> accounts() {
        return accounts;
    }

    /** {@return what the reader noticed and the user should mend (passwords in the file, plain IMAP, …)} */
    public List<String> warnings() {
        return warnings;
    }

    /** {@return the file this configuration was read from} */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * {@return the account of a name}
     *
     * @param name the account's name
     */
    public Optional<AccountConfig> account(String name) {
        return accounts.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /**
     * The connections an account may use: its own number, else the default per account; never
     * more than the limit per host nor the total.
     *
     * @param account an account
     * @return from 1 to {@link #totalConnections()}
     */
    public int connectionsFor(AccountConfig account) {
        int n = account.connections() > 0 ? account.connections() : connectionsPerAccount;
        if (connectionsPerHost > 0) {
            n = Math.min(n, connectionsPerHost);
        }
        return Math.min(n, totalConnections);
    }

    /**
     * The folders to ignore in an account: the configuration's, the provider's and the account's.
     *
     * @param account an account
     * @return the rules, any of which ignores a folder
     */
    public List<FolderRule> ignoreFoldersFor(AccountConfig account) {
        return Stream.of(ignoreFolders, account.provider().ignoreFolders(), account.ignoreFolders())
                .flatMap(List::stream).distinct().toList();
    }

    /**
     * The rate cap of an account: its own, else the stricter of the configuration's and the provider's.
     *
     * @param account an account
     * @return the cap
     */
    public RateLimit rateLimitFor(AccountConfig account) {
        return account.rateLimit().orElseGet(() -> rateLimit.stricter(account.provider().rateLimit()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupConfig c && destination.equals(c.destination) && compress.equals(c.compress)
                && Objects.equals(layout, c.layout) && totalConnections == c.totalConnections
                && connectionsPerAccount == c.connectionsPerAccount && connectionsPerHost == c.connectionsPerHost
                && ignoreFolders.equals(c.ignoreFolders) && timeout.equals(c.timeout)
                && metadataBatch == c.metadataBatch && fetchSize == c.fetchSize && rateLimit.equals(c.rateLimit)
                && notifications.equals(c.notifications) && accounts.equals(c.accounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(destination, accounts);
    }

    @Override
    public String toString() {
        return "configuration of " + accounts.size() + " account(s) into " + destination;
    }

    /** Builds a {@link BackupConfig}. Not thread-safe; {@link #build()} validates and copies. */
    public static final class Builder {

        private Path destination;
        private String compress = "none";
        private Layout layout;
        private int totalConnections = DEFAULT_TOTAL_CONNECTIONS;
        private int connectionsPerAccount = DEFAULT_CONNECTIONS_PER_ACCOUNT;
        private int connectionsPerHost;
        private List<FolderRule> ignoreFolders = List.of();
        private Duration timeout = DEFAULT_TIMEOUT;
        private int metadataBatch = ImapSource.DEFAULT_METADATA_BATCH;
        private int fetchSize = ImapSource.DEFAULT_FETCH_SIZE;
        private RateLimit rateLimit = RateLimit.NONE;
        private Notifications notifications = Notifications.NONE;
        private List<AccountConfig> accounts = new ArrayList<>();
        private List<String> warnings = new ArrayList<>();
        private Path file;

        private Builder() { }

        /**
         * Sets the directory that holds one directory per account (required).
         *
         * @param destination the directory
         * @return this builder
         */
        public Builder destination(Path destination) {
            this.destination = Objects.requireNonNull(destination, "destination");
            return this;
        }

        /**
         * Sets the codec of new mbox files (default none).
         *
         * @param codec an installed codec's name: none, gzip, bzip2, xz, zstd (also gz, bz2, zst)
         * @return this builder
         * @throws IllegalArgumentException if no installed codec has that name; the message says what to add
         */
        public Builder compress(String codec) {
            this.compress = Codecs.byName(codec).name();
            return this;
        }

        /**
         * Sets the layout of new backup directories (default: each directory's own, else nested).
         *
         * @param layout the layout, or null for the default
         * @return this builder
         */
        public Builder layout(Layout layout) {
            this.layout = layout;
            return this;
        }

        /**
         * Sets the most connections of all accounts together (default {@value #DEFAULT_TOTAL_CONNECTIONS}).
         *
         * @param connections 1 to {@value #MAX_CONNECTIONS}
         * @return this builder
         */
        public Builder totalConnections(int connections) {
            this.totalConnections = range(connections, 1, "total connections");
            return this;
        }

        /**
         * Sets the most connections of one account (default {@value #DEFAULT_CONNECTIONS_PER_ACCOUNT}).
         *
         * @param connections 1 to {@value AccountConfig#MAX_CONNECTIONS}
         * @return this builder
         */
        public Builder connectionsPerAccount(int connections) {
            if (connections > AccountConfig.MAX_CONNECTIONS) {
                throw new IllegalArgumentException("connections per account must be from 1 to "
                        + AccountConfig.MAX_CONNECTIONS + ": " + connections);
            }
            this.connectionsPerAccount = range(connections, 1, "connections per account");
            return this;
        }

        /**
         * Sets the most connections to one server, all its accounts together (default 0: no limit but the total).
         *
         * @param connections 0 to {@value #MAX_CONNECTIONS}
         * @return this builder
         */
        public Builder connectionsPerHost(int connections) {
            this.connectionsPerHost = range(connections, 0, "connections per host");
            return this;
        }

        private static int range(int value, int min, String what) {
            if (value < min || value > MAX_CONNECTIONS) {
                throw new IllegalArgumentException(what + " must be from " + min + " to " + MAX_CONNECTIONS + ": "
                        + value);
            }
            return value;
        }

        /**
         * Sets the folders to ignore in every account.
         *
         * @param rules the folders
         * @return this builder
         */
        public Builder ignoreFolders(List<FolderRule> rules) {
            this.ignoreFolders = List.copyOf(rules);
            return this;
        }

        /**
         * Sets the connect, read and write timeout (default 120 s).
         *
         * @param timeout from 1 s to 1 day
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("the timeout must be from 1 second to 1 day: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Sets how many messages one metadata {@code UID FETCH} asks for (default 500).
         *
         * @param messages from 1 to 10000
         * @return this builder
         */
        public Builder metadataBatch(int messages) {
            if (messages < 1 || messages > 10_000) {
                throw new IllegalArgumentException("the metadata batch must be from 1 to 10000 messages: " + messages);
            }
            this.metadataBatch = messages;
            return this;
        }

        /**
         * Sets the size of one body chunk (default 1 MiB); memory per message is about this size.
         *
         * @param bytes from 4 KiB to 64 MiB
         * @return this builder
         */
        public Builder fetchSize(int bytes) {
            if (bytes < 4096 || bytes > (64 << 20)) {
                throw new IllegalArgumentException("the fetch size must be from 4 KiB to 64 MiB: " + bytes);
            }
            this.fetchSize = bytes;
            return this;
        }

        /**
         * Sets the rate cap of every account (default none).
         *
         * @param limit the cap
         * @return this builder
         */
        public Builder rateLimit(RateLimit limit) {
            this.rateLimit = Objects.requireNonNull(limit, "limit");
            return this;
        }

        /**
         * Sets where to report the outcome of a run (default nowhere).
         *
         * @param notifications the URLs, timeout and retries
         * @return this builder
         */
        public Builder notifications(Notifications notifications) {
            this.notifications = Objects.requireNonNull(notifications, "notifications");
            return this;
        }

        /**
         * Adds an account.
         *
         * @param account the account
         * @return this builder
         */
        public Builder account(AccountConfig account) {
            accounts.add(Objects.requireNonNull(account, "account"));
            return this;
        }

        /**
         * Replaces the accounts.
         *
         * @param list the accounts
         * @return this builder
         */
        public Builder accounts(List<AccountConfig> list) {
            this.accounts = new ArrayList<>(list);
            return this;
        }

        /**
         * Adds a warning for the user.
         *
         * @param warning what to mend
         * @return this builder
         */
        public Builder warning(String warning) {
            warnings.add(Objects.requireNonNull(warning, "warning"));
            return this;
        }

        /**
         * Records the file the configuration was read from.
         *
         * @param file the file, or null
         * @return this builder
         */
        public Builder file(Path file) {
            this.file = file;
            return this;
        }

        /**
         * Validates and builds the configuration. Does no I/O.
         *
         * @return the configuration
         * @throws IllegalStateException if the destination is missing, or two accounts have the same name or
         *     directory
         */
        public BackupConfig build() {
            if (destination == null) {
                throw new IllegalStateException("a destination directory is required");
            }
            Set<String> names = new HashSet<>();
            Set<String> directories = new HashSet<>();
            for (AccountConfig a : accounts) {
                if (!names.add(a.name())) {
                    throw new IllegalStateException("two accounts are named " + a.name() + ": give each a unique name");
                }
                if (!directories.add(a.directory().toLowerCase(Locale.ROOT))) {
                    throw new IllegalStateException("two accounts would be backed up into the same directory "
                            + a.directory() + " (names differing only in case are one directory on some file systems):"
                            + " give one of them another directory");
                }
            }
            return new BackupConfig(this);
        }
    }
}
