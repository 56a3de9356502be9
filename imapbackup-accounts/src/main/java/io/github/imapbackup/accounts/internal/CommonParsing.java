package io.github.imapbackup.accounts.internal;

import io.github.imapbackup.accounts.AccountConfig;
import io.github.imapbackup.accounts.BackupConfig;
import io.github.imapbackup.accounts.FolderRule;
import io.github.imapbackup.accounts.RateLimit;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/** What both formats read alike: folder lists, rate caps, and the checks across accounts. */
public final class CommonParsing {

    private CommonParsing() { }

    /**
     * Reads a list of folders: names (each with its sub-folders) or {@code {regex: …}}.
     *
     * @param f the map holding the list
     * @param key the list's key
     * @param cx the file's context
     * @return the rules (the wrong ones reported and left out)
     */
    public static List<FolderRule> folders(Fields f, String key, Context cx) {
        List<FolderRule> rules = new ArrayList<>();
        List<Node> items = f.list(key);
        for (int i = 0; i < items.size(); i++) {
            Node n = items.get(i);
            String at = f.path(key) + "[" + i + "]";
            try {
                if (n instanceof Node.Scalar s && s.type() != Node.Type.NULL) {
                    rules.add(FolderRule.name(s.text()));
                } else if (n instanceof Node.MapNode m) {
                    Fields r = new Fields(m, at, cx.problems(), List.of("name", "regex"), "a folder");
                    if (r.has("name") == r.has("regex")) {
                        cx.problems().add(n, at, "give a folder's name or a regex, one of the two");
                    } else if (r.has("name")) {
                        r.text("name").map(FolderRule::name).ifPresent(rules::add);
                    } else {
                        r.text("regex").map(FolderRule::regex).ifPresent(rules::add);
                    }
                } else {
                    cx.problems().add(n, at, "expected a folder's name or {regex: …}, not " + n.kind());
                }
            } catch (IllegalArgumentException e) {
                cx.problems().add(n, at, e.getMessage());
            }
        }
        return rules;
    }

    /**
     * Reads a rate cap: {@code {bytesPerSecond: 5MB, messagesPerSecond: 10}}.
     *
     * @param node the value
     * @param key its path
     * @param cx the file's context
     * @return the cap, or empty when it is wrong (reported)
     */
    public static Optional<RateLimit> rateLimit(Node node, String key, Context cx) {
        Fields r = Fields.of(node, key, cx.problems(), List.of("bytesPerSecond", "messagesPerSecond"),
                "a rate cap");
        if (r == null) {
            return Optional.empty();
        }
        long bytes = r.bytes("bytesPerSecond", 0, Long.MAX_VALUE / 2).orElse(0L);
        double messages = r.decimal("messagesPerSecond", 0, 1e6).orElse(0.0);
        return Optional.of(new RateLimit(bytes, messages));
    }

    /**
     * Calls a setter, turning its refusal into a mistake at the key.
     *
     * @param f the map holding the key
     * @param key the key
     * @param setter the setter
     * @param value the value, or empty to do nothing
     * @param <T> the value's type
     */
    public static <T> void set(Fields f, String key, Consumer<T> setter, Optional<T> value) {
        value.ifPresent(v -> {
            try {
                setter.accept(v);
            } catch (IllegalArgumentException | IllegalStateException e) {
                f.problem(key, e.getMessage());
            }
        });
    }

    /**
     * Builds an account, turning a refusal into a mistake at the account.
     *
     * @param b the account's builder
     * @param node the account's value
     * @param path its path
     * @param cx the file's context
     * @return the account, or empty (reported)
     */
    public static Optional<AccountConfig> build(AccountConfig.Builder b, Node node, String path, Context cx) {
        try {
            return Optional.of(b.build());
        } catch (IllegalArgumentException | IllegalStateException e) {
            cx.problems().add(node, path, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Reads the list of accounts.
     *
     * @param f the top map
     * @param known the keys of an account
     * @param where what an account is, for messages
     * @param cx the file's context
     * @param reader reads one account's keys into a builder, or empty when they are wrong (reported)
     * @return the accounts that could be read, each with its value
     */
    public static List<Map.Entry<AccountConfig, Node>> accounts(Fields f, List<String> known, String where,
            Context cx, Function<Fields, Optional<AccountConfig.Builder>> reader) {
        List<Map.Entry<AccountConfig, Node>> accounts = new ArrayList<>();
        List<Node> items = f.list("accounts");
        if (items.isEmpty()) {
            f.missing("accounts", "the list of accounts to back up (accounts: [...])");
        }
        for (int i = 0; i < items.size(); i++) {
            Node n = items.get(i);
            String path = "accounts[" + i + "]";
            Fields a = Fields.of(n, path, cx.problems(), known, where);
            if (a != null) {
                reader.apply(a).flatMap(ab -> build(ab, n, path, cx))
                        .ifPresent(acc -> accounts.add(new AbstractMap.SimpleEntry<>(acc, n)));
            }
        }
        return accounts;
    }

    /**
     * Adds the accounts to the configuration, reporting two with the same name or directory.
     *
     * @param b the configuration's builder
     * @param accounts the accounts with their values, in the order of the file
     * @param nameKey the key that names an account in this format, for the message
     * @param cx the file's context
     */
    public static void addAccounts(BackupConfig.Builder b, List<Map.Entry<AccountConfig, Node>> accounts,
            String nameKey, Context cx) {
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> directories = new HashMap<>();
        for (int i = 0; i < accounts.size(); i++) {
            AccountConfig a = accounts.get(i).getKey();
            Node n = accounts.get(i).getValue();
            Integer first = names.putIfAbsent(a.name(), i);
            Integer firstDir = directories.putIfAbsent(a.directory().toLowerCase(Locale.ROOT), i);
            if (first != null) {
                cx.problems().add(n, "accounts[" + i + "]", "the account " + a.name() + " is also accounts[" + first
                        + "] (line " + accounts.get(first).getValue().line() + "): give each account a unique "
                        + nameKey);
            } else if (firstDir != null) {
                cx.problems().add(n, "accounts[" + i + "]", "the account " + a.name() + " would be backed up into "
                        + "the same directory as accounts[" + firstDir + "] (line "
                        + accounts.get(firstDir).getValue().line() + "; names differing only in case are one directory on some"
                        + " file systems): give one of them another directory");
            } else {
                b.account(a);
                if (!a.provider().rateLimit().isNone() && a.rateLimit().isEmpty()
                        && !(n instanceof Node.MapNode m && m.entries().containsKey("provider"))) {
                    cx.warn(n, "accounts[" + i + "]", "the " + a.provider().displayName() + " preset applies to "
                            + a.host() + ", with its cap of " + a.provider().rateLimit().bytesPerSecond()
                            + " bytes/s, below the provider's daily limit (docs/CONFIG.md, \"Provider presets\","
                            + " says how to change it)");
                }
            }
        }
    }
}
