package io.github.imapbackup.imap;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderCollisionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MessageTarget;
import io.github.imapbackup.spi.TargetFolder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.angus.mail.imap.protocol.MailboxInfo;

/**
 * An IMAP account as a {@link MessageTarget}: where a restore (or a migration) writes. Immutable
 * and thread-safe, built without I/O from the account's connection settings; each
 * {@link #open} logs in on a connection of its own, so several folders can be written at once.
 *
 * <pre>{@code
 * ImapSource account = ImapSource.builder()
 *         .host("imap.example.org").user("alice").password(() -> secret.clone())
 *         .build();
 * MessageTarget target = ImapTarget.builder(account)
 *         .prefix("Restored")        // everything under one folder: Restored/INBOX, Restored/Archive, ...
 *         .build();                  // no I/O
 * }</pre>
 *
 * <p>Folders: an archive's folder name is split at its own delimiter and joined with the account's
 * (modified UTF-7 on the wire), under the prefix when set, and under the account's personal
 * namespace where it has one (Courier's {@code INBOX.}); INBOX stays INBOX. Without a prefix,
 * a folder marked {@code \Sent}, {@code \Drafts}, {@code \Trash}, {@code \Junk} or {@code \Archive}
 * (or, when the archive recorded no attributes, one with a well-known top-level name such as
 * {@code Sent Items}) goes to the account's folder of that special use, when it advertises
 * SPECIAL-USE. Missing folders are created and subscribed. A name part holding the account's
 * delimiter cannot be represented: that folder fails with a message naming it. A migration adds
 * the source's prefix (by default host1's personal namespace prefix, which the engine hands over in
 * {@link #prepare}) and delimiter, and rename rules ({@link Builder#rename}); two source folders
 * mapped to one name are refused before the run creates or copies anything
 * ({@link io.github.imapbackup.FolderCollisionException}), never merged.
 *
 * <p>Messages are appended with their exact bytes, INTERNALDATE and the flags the folder's
 * PERMANENTFLAGS accept (keywords only where {@code \*} is offered; never {@code \Recent}), with
 * non-synchronising literals where the server offers {@code LITERAL+} (or {@code LITERAL-}), and
 * pipelined once the engine listens for refusals ({@link TargetFolder#onRejected}). The target
 * writes nothing but CREATE, SUBSCRIBE, SELECT and APPEND, never CLOSE; only a migration asked to
 * delete makes it send {@code UID STORE +FLAGS.SILENT (\Deleted)} and {@code UID EXPUNGE} for
 * exactly the messages to delete ({@link TargetFolder#delete}; without UIDPLUS only the flag, never
 * a bare EXPUNGE), and DELETE for a folder ({@link #deleteFolder}).
 * Details: docs/ARCHITECTURE.md, "The IMAP target" and "Deletions".
 */
public final class ImapTarget implements MessageTarget {

    private final ImapSource account;
    private final String prefix;
    private final boolean specialUse;
    /** host1 of a migration, asked for its personal prefix when none was given; or null. */
    private final ImapSource sourceAccount;
    /** The rules; their source prefix learned from {@link #sourceAccount} at the first connection. */
    private volatile NameRules rules;
    private final boolean learnSourcePrefix;
    /** Whether the source's prefix is the one the engine tells ({@link #prepare}): none given, no host1. */
    private final boolean prefixFromRun;
    private final String delimiter;
    private final String namespacePrefix;
    /** What the account told about its folders, learned at the first open. */
    private volatile TargetNames names;
    /** Which source folder each folder of the account was opened for. */
    private final FolderClaims claims = new FolderClaims();
    /** The APPEND memory of folders closed, for the next folders (a restore goes through many). */
    private final Spool.Spare spare = new Spool.Spare();
    private final Object creating = new Object();

    private ImapTarget(Builder b) {
        this.account = b.account;
        this.prefix = b.prefix;
        this.specialUse = b.specialUse;
        this.sourceAccount = b.sourceAccount;
        this.learnSourcePrefix = b.sourcePrefix == null && b.sourceAccount != null;
        this.prefixFromRun = b.sourcePrefix == null && b.sourceAccount == null;
        this.rules = new NameRules(b.sourcePrefix == null ? "" : b.sourcePrefix, b.sourceDelimiter, b.rules);
        this.delimiter = b.delimiter;
        this.namespacePrefix = b.namespacePrefix;
    }

    /**
     * Returns a builder for a target on this account.
     *
     * @param account the account's connection settings (host, port, security, user, secret, trust,
     *     timeout)
     * @return a builder with the defaults: no prefix, special-use mapping on
     */
    public static Builder builder(ImapSource account) {
        return new Builder(Objects.requireNonNull(account, "account"));
    }

    /**
     * {@inheritDoc} The account's connections open now are closed and its backoffs end (see
     * {@link ImapSource#cancelWaits()}).
     */
    @Override
    public void cancelWaits() {
        account.cancelWaits();
    }

    @Override
    public TargetFolder open(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        return open(folder, extractor, false);
    }

    @Override
    public TargetFolder inspect(FolderInfo folder, MessageIdExtractor extractor) throws BackupException {
        return open(folder, extractor, true);
    }

    private TargetFolder open(FolderInfo folder, MessageIdExtractor extractor, boolean readOnly)
            throws BackupException {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(extractor, "extractor");
        TargetConnection c = TargetConnection.open(account);
        try {
            String name = claims.claim(claims.name(names(c), folder), folder);
            boolean exists = c.exists(name);
            if (!exists && readOnly) {
                c.close();
                return new ImapTargetFolder(c, name, false, 0, new TargetFlags(null), List.of(), null, 0, spare);
            }
            if (!exists) {
                // one folder created at a time: folders share parents, and a server may drop the
                // connection whose CREATE races another's (GreenMail does) instead of answering NO
                synchronized (creating) {
                    c.create(name, names.delimiter());
                }
            }
            MailboxInfo mi = c.select(name, readOnly);
            FolderQueries queries = new FolderQueries(c::exec, extractor, c.where(), name);
            List<MessageInfo> held = mi.total > 0
                    ? queries.messages(1, account.metadataBatch(), false) : List.of();
            return new ImapTargetFolder(c, name, !readOnly, Math.max(0, mi.uidvalidity),
                    new TargetFlags(mi.permanentFlags), held, queries, account.fetchSize(), spare);
        } catch (BackupException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Logs in once and learns the account's delimiter and special-use folders, so that a wrong
     * password or an unreachable server fails the run before any folder.
     */
    @Override
    public void checkAccess() throws BackupException {
        try (TargetConnection c = TargetConnection.open(account)) {
            names(c);
        }
    }

    /**
     * Takes the source's personal prefix, unless one was given ({@link Builder#sourcePrefix}) or
     * host1 is asked itself ({@link Builder#source}), and maps every folder of the run: two source
     * folders that would go into one folder of the account fail the run, before anything is
     * created or copied. Logs in once when no folder was opened yet; writes nothing.
     *
     * @throws FolderCollisionException naming the folders and the name they would share
     */
    @Override
    public void prepare(List<FolderInfo> folders, String sourcePrefix) throws BackupException {
        Objects.requireNonNull(folders, "folders");
        Objects.requireNonNull(sourcePrefix, "sourcePrefix");
        if (prefixFromRun && !rules.sourcePrefix().equals(sourcePrefix)) {
            NameRules r = rules;
            rules = new NameRules(sourcePrefix, r.sourceDelimiter(), r.rules());
            TargetNames n = names;
            if (n != null) {
                names = n.with(rules);
            }
        }
        TargetNames n = names;
        if (n == null) {
            try (TargetConnection c = TargetConnection.open(account)) {
                n = names(c);
            }
        }
        claims.check(n, folders, account.describe());
    }

    /** Learns the account's delimiter and special-use folders once, on the first connection. */
    private TargetNames names(TargetConnection c) throws BackupException {
        TargetNames n = names;
        if (n == null) {
            if (learnSourcePrefix) {
                try (TargetConnection host1 = TargetConnection.open(sourceAccount)) {
                    NameRules r = rules;
                    rules = new NameRules(host1.personalNamespace(), r.sourceDelimiter(), r.rules());
                }
            }
            String d = delimiter != null ? delimiter : c.delimiter();
            Map<String, String> special = specialUse && prefix.isEmpty() ? c.specialUse() : Map.of();
            n = new TargetNames(d, prefix, special,
                    namespacePrefix != null ? namespacePrefix : c.personalNamespace(), rules);
            names = n;
        }
        return n;
    }

    /**
     * Lists the account's personal folders (LIST, LSUB), names decoded as {@link #location} gives
     * them; folders of other users' and shared namespaces are left out.
     */
    @Override
    public List<FolderInfo> folders() throws BackupException {
        try (TargetConnection c = TargetConnection.open(account)) {
            names(c);
            return c.personalFolders();
        }
    }

    /**
     * {@inheritDoc} The account as {@link ImapSource#describe()} gives it, with every name
     * setting (prefix, special-use mapping, the source's prefix and delimiter, the delimiter,
     * the namespace prefix, the rename rules).
     */
    @Override
    public Optional<String> stateKey() {
        return Optional.of(account.describe() + " names: prefix \"" + prefix + "\" special-use " + specialUse
                + " prefix1 \"" + rules.sourcePrefix() + "\" sep1 " + rules.sourceDelimiter() + " sep2 " + delimiter
                + " prefix2 " + (namespacePrefix == null ? null : "\"" + namespacePrefix + "\"") + " rules "
                + rules.rules().stream().map(RenameRule::text).toList());
    }

    /**
     * {@inheritDoc} On one connection: {@code STATUS} of each folder's name on the account, as
     * {@link #location} gives it; a folder the account refuses STATUS for (it does not exist) is
     * left out.
     */
    @Override
    public Map<String, FolderStatus> status(List<FolderInfo> folders) throws BackupException {
        Map<String, FolderStatus> out = new HashMap<>();
        try (TargetConnection c = TargetConnection.open(account)) {
            TargetNames n = names(c);
            boolean condstore = c.has("CONDSTORE");
            for (FolderInfo f : folders) {
                String name;
                try {
                    name = claims.name(n, f);
                } catch (FolderException e) {
                    continue; // its pass fails with this message
                }
                c.status(name, condstore).ifPresent(s -> out.put(f.name(), s));
            }
        }
        return out;
    }

    /** Deletes the folder (DELETE) and unsubscribes it; never INBOX. */
    @Override
    public void deleteFolder(FolderInfo folder) throws BackupException {
        Objects.requireNonNull(folder, "folder");
        if (folder.name().equalsIgnoreCase("INBOX")) {
            throw new IllegalArgumentException("INBOX is never deleted");
        }
        try (TargetConnection c = TargetConnection.open(account)) {
            c.delete(folder.name());
        }
    }

    /**
     * Returns the folder's name on the account (decoded). Before the first {@link #open} the
     * account's delimiter is not known yet: the archive's delimiter is assumed.
     */
    @Override
    public String location(FolderInfo folder) {
        TargetNames n = names;
        if (n == null) {
            n = new TargetNames(delimiter != null ? delimiter : rules.delimiter(folder.delimiter()), prefix,
                    Map.of(), namespacePrefix != null ? namespacePrefix : "", rules);
        }
        try {
            return claims.name(n, folder);
        } catch (FolderException e) {
            return folder.name();
        }
    }

    /** Returns the account as {@link ImapSource#describe()} does; never a secret. */
    @Override
    public String describe() {
        return account.describe();
    }

    @Override
    public String toString() {
        return "ImapTarget[" + account.describe() + (prefix.isEmpty() ? "" : ", prefix " + prefix)
                + (specialUse ? "" : ", no special-use mapping")
                + (rules.rules().isEmpty() ? "" : ", " + rules.rules().size() + " rename rules") + "]";
    }

    /** Builds an {@link ImapTarget}. Not thread-safe; {@link #build()} does no I/O. */
    public static final class Builder {

        private ImapSource account;
        private String prefix = "";
        private boolean specialUse = true;
        private String sourcePrefix;
        private ImapSource sourceAccount;
        private String sourceDelimiter;
        private String delimiter;
        private String namespacePrefix;
        private final List<RenameRule> rules = new ArrayList<>();

        private Builder(ImapSource account) {
            this.account = account;
        }

        /**
         * Logs in to the account with SASL XOAUTH2 and access tokens from {@code tokens} instead
         * of the account's own credentials, refreshing a refused token once as
         * {@link ImapSource.Builder#oauth2(OAuth2Tokens)} does.
         *
         * @param tokens the access tokens
         * @return this builder
         * @throws IllegalStateException if the account acts as another user
         *     ({@link ImapSource.Builder#authorizationId}), which needs a password
         */
        public Builder oauth2(OAuth2Tokens tokens) {
            this.account = account.withOAuth2(tokens);
            return this;
        }

        /**
         * Strips this prefix from the start of the source's folder names ({@code --prefix1}), e.g.
         * {@code INBOX.} when the source is Courier: {@code INBOX.Sent} becomes {@code Sent}.
         * INBOX itself stays INBOX.
         *
         * @param prefix the source's personal namespace prefix, or empty to strip nothing; the
         *     default is the prefix host1's NAMESPACE reports: the engine hands it over before
         *     the first folder ({@link ImapTarget#prepare}), or host1 is asked when given with
         *     {@link #source(ImapSource)}
         * @return this builder
         */
        public Builder sourcePrefix(String prefix) {
            this.sourcePrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Names the account a migration copies from (host1), so that the target asks host1 for its
         * personal namespace prefix itself. Not needed in a {@link io.github.imapbackup.MigrateSession}:
         * its engine hands the target host1's prefix before the first folder
         * ({@link ImapTarget#prepare}), so that on a Courier or Cyrus host1 {@code INBOX.Sent}
         * arrives as {@code Sent} on a host2 without prefix (and as {@code INBOX.Sent} again on a
         * host2 with one) without this call. It serves a target used outside a session: host1 is
         * asked once, with {@code NAMESPACE} on a connection of its own, when the target first
         * connects; nothing is written there. {@link #sourcePrefix(String)} overrides what it reports.
         *
         * <pre>{@code
         * MigrateSession.builder().source(host1)
         *         .target(ImapTarget.builder(host2).build())   // host1's INBOX. stripped all the same
         *         .build();
         * }</pre>
         *
         * @param host1 the source account's connection settings
         * @return this builder
         */
        public Builder source(ImapSource host1) {
            this.sourceAccount = Objects.requireNonNull(host1, "host1");
            return this;
        }

        /**
         * Splits the source's names at this delimiter instead of the one LIST reports ({@code --sep1}).
         *
         * @param delimiter one character, or null to believe LIST (the default)
         * @return this builder
         */
        public Builder sourceDelimiter(String delimiter) {
            this.sourceDelimiter = NameRules.oneCharacter(delimiter);
            return this;
        }

        /**
         * Joins levels with this delimiter instead of the one the account's LIST reports ({@code --sep2}).
         *
         * @param delimiter one character, or null to believe LIST (the default)
         * @return this builder
         */
        public Builder delimiter(String delimiter) {
            this.delimiter = NameRules.oneCharacter(delimiter);
            return this;
        }

        /**
         * Puts every folder but INBOX under this personal namespace prefix ({@code --prefix2}, e.g.
         * {@code INBOX.}) instead of the one the account's NAMESPACE reports.
         *
         * @param prefix the prefix, empty for none, or null to believe NAMESPACE (the default)
         * @return this builder
         */
        public Builder namespacePrefix(String prefix) {
            this.namespacePrefix = prefix;
            return this;
        }

        /**
         * Adds a rename rule ({@code --regextrans2}), applied in the order added to the target
         * name after prefixes and delimiters, special-use folders included: {@code s/REGEX/REPLACEMENT/FLAGS},
         * any delimiter after {@code s}, {@code $1} for a group, flags {@code g} and {@code i}.
         * A rule that makes an empty name, or one beginning or ending with the delimiter, fails
         * that folder.
         *
         * @param sedExpression the rule, e.g. {@code s/^INBOX\.Old\./Archive./}
         * @return this builder
         * @throws IllegalArgumentException naming the rule, when it is malformed
         */
        public Builder rename(String sedExpression) {
            rules.add(RenameRule.parse(sedExpression));
            return this;
        }

        /**
         * Puts every folder under this one (e.g. {@code Restored}: {@code Restored/INBOX}); levels
         * of the prefix itself are written with the account's delimiter. Special-use mapping does
         * not apply under a prefix.
         *
         * @param prefix the folder name, or the empty string for none (the default)
         * @return this builder
         */
        public Builder prefix(String prefix) {
            Objects.requireNonNull(prefix, "prefix");
            if (prefix.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw new IllegalArgumentException("prefix holds a control character");
            }
            this.prefix = prefix.strip();
            return this;
        }

        /**
         * Presents this TLS client certificate to the account's server, as
         * {@link ImapSource.Builder#clientCertificate} does (it replaces the account's own).
         *
         * @param certificate the certificate and key, or null for none
         * @return this builder
         * @throws IllegalStateException if the account uses no TLS
         */
        public Builder clientCertificate(ClientCertificate certificate) {
            this.account = account.toBuilder().clientCertificate(certificate).build();
            return this;
        }

        /**
         * Maps special-use folders to the account's own (default true).
         *
         * @param on whether to map them
         * @return this builder
         */
        public Builder specialUse(boolean on) {
            this.specialUse = on;
            return this;
        }

        /**
         * Builds the target; no I/O.
         *
         * @return the target
         */
        public ImapTarget build() {
            return new ImapTarget(this);
        }
    }
}
