package io.github.imapbackup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which folders a run works on: exact names to include (none means all), regular expressions to
 * exclude (matched against the whole name), and whether only subscribed folders count. INBOX is
 * INBOX in any case, in names and expressions alike (see {@link FolderNames}); every other name is
 * case-sensitive. The same filter serves a backup ({@link BackupSession.Builder#folderFilter}), an
 * export and a verification of a backup directory.
 *
 * <p>Immutable and thread-safe; each method that changes something returns a new filter.
 *
 * <pre>{@code
 * FolderFilter filter = FolderFilter.all().include("INBOX", "Archive/2019").exclude("Trash|Junk");
 * filter.selects("inbox");                      // true
 * FolderFilter.Selection s = filter.select(connection.folders(), "on the server");
 * s.folders();                                  // the folders to work on, in listing order
 * s.missing();                                  // "Archive/2019" -> folder "Archive/2019" not found on the server (...)
 * }</pre>
 */
public final class FolderFilter {

    private static final Logger LOG = LoggerFactory.getLogger(FolderFilter.class);
    private static final FolderFilter ALL = new FolderFilter(List.of(), List.of(), false);

    private final List<String> included;
    private final List<Pattern> excluded;
    private final boolean subscribedOnly;

    private FolderFilter(List<String> included, List<Pattern> excluded, boolean subscribedOnly) {
        this.included = List.copyOf(included);
        this.excluded = List.copyOf(excluded);
        this.subscribedOnly = subscribedOnly;
    }

    /** {@return the filter that selects every folder} */
    public static FolderFilter all() {
        return ALL;
    }

    /**
     * Returns this filter restricted to these folders as well (exact names, as the server or
     * backup directory lists them; INBOX in any case).
     *
     * @param names the folder names
     * @return the new filter
     */
    public FolderFilter include(Collection<String> names) {
        List<String> more = new ArrayList<>(included);
        names.forEach(n -> more.add(Objects.requireNonNull(n, "folder name")));
        return new FolderFilter(more, excluded, subscribedOnly);
    }

    /**
     * Returns this filter restricted to these folders as well.
     *
     * @param names the folder names
     * @return the new filter
     */
    public FolderFilter include(String... names) {
        return include(List.of(names));
    }

    /**
     * Returns this filter that also skips folders whose whole name matches a regular expression.
     *
     * @param regex the expression
     * @return the new filter
     * @throws java.util.regex.PatternSyntaxException if the expression is invalid
     */
    public FolderFilter exclude(String regex) {
        return exclude(Pattern.compile(regex));
    }

    /**
     * Returns this filter that also skips folders whose whole name matches a pattern.
     *
     * @param pattern the pattern
     * @return the new filter
     */
    public FolderFilter exclude(Pattern pattern) {
        List<Pattern> more = new ArrayList<>(excluded);
        more.add(Objects.requireNonNull(pattern, "pattern"));
        return new FolderFilter(included, more, subscribedOnly);
    }

    /**
     * Returns this filter that selects only subscribed folders, or not. A backup directory lists
     * no folder as subscribed, so such a filter selects none of its folders.
     *
     * @param subscribedOnly whether only subscribed folders count
     * @return the new filter
     */
    public FolderFilter subscribedOnly(boolean subscribedOnly) {
        return new FolderFilter(included, excluded, subscribedOnly);
    }

    /** {@return the included names; empty means all folders} */
    public List<String> included() {
        return included;
    }

    /** {@return the exclusion patterns} */
    public List<Pattern> excluded() {
        return excluded;
    }

    /** {@return whether only subscribed folders are selected} */
    public boolean subscribedOnly() {
        return subscribedOnly;
    }

    /** {@return whether this filter selects every folder (nothing included, excluded or required)} */
    public boolean selectsAll() {
        return included.isEmpty() && excluded.isEmpty() && !subscribedOnly;
    }

    /**
     * Returns whether a folder name is selected by the included names and the exclusions (not by
     * subscription, which a name does not tell).
     *
     * @param name the full folder name
     * @return whether it is selected
     */
    public boolean selects(String name) {
        Objects.requireNonNull(name, "name");
        if (!included.isEmpty() && included.stream().noneMatch(f -> FolderNames.sameFolder(f, name))) {
            return false;
        }
        return !excluded(name);
    }

    private boolean excluded(String name) {
        return excluded.stream().anyMatch(p -> FolderNames.matches(p, name));
    }

    /**
     * Returns the included names that name none of the folders there are (INBOX in any case finds
     * the INBOX), each with a message naming similar folders.
     *
     * @param names the names of the folders there are
     * @param where where they are, for messages, e.g. {@code "in the backup directory"}
     * @return each missing name with its message, in the order they were included
     */
    public Map<String, String> missing(Collection<String> names, String where) {
        Objects.requireNonNull(where, "where");
        Map<String, String> missing = new LinkedHashMap<>();
        included.stream().filter(f -> names.stream().noneMatch(n -> FolderNames.sameFolder(f, n)))
                .forEach(f -> missing.putIfAbsent(f, FolderNames.notFound(f, names, where)));
        return missing;
    }

    /**
     * The folders a filter selects from a listing, and the included names that cannot be worked on.
     *
     * @param folders the selected folders, in listing order
     * @param missing each included name that names no folder of the listing, or one that cannot be
     *     selected, with a message saying so (and naming similar folders)
     */
    public record Selection(List<FolderInfo> folders, Map<String, String> missing) {

        /**
         * Copies.
         *
         * @param folders the selected folders, in listing order
         * @param missing each included name that cannot be worked on, with a message
         */
        public Selection {
            folders = List.copyOf(folders);
            missing = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(missing));
        }
    }

    /**
     * Chooses folders from a listing: the included ones (INBOX in any case finds the listing's
     * INBOX), or all; then drops those that cannot be selected (IMAP {@code \Noselect}), are not
     * subscribed when only subscribed ones count, or are excluded.
     *
     * @param listed the folders there are, e.g. a server's LIST or a backup directory's folders
     * @param where where they are, for messages, e.g. {@code "on the server"}
     * @return the selection
     */
    public Selection select(List<FolderInfo> listed, String where) {
        Objects.requireNonNull(where, "where");
        Map<String, FolderInfo> byName = new LinkedHashMap<>();
        listed.forEach(f -> byName.putIfAbsent(f.name(), f));
        Map<String, String> missing = new LinkedHashMap<>();
        List<FolderInfo> candidates;
        if (included.isEmpty()) {
            candidates = new ArrayList<>(byName.values());
        } else {
            candidates = new ArrayList<>();
            for (String name : included) {
                FolderInfo f = lookup(byName, name);
                if (f == null) {
                    missing.put(name, FolderNames.notFound(name, byName.keySet(), where));
                } else if (!f.selectable()) {
                    missing.put(name, "folder \"" + name + "\" cannot be selected (it holds only other folders)");
                } else if (!candidates.contains(f)) {
                    candidates.add(f);
                }
            }
            candidates.sort((a, b) -> Integer.compare(listed.indexOf(a), listed.indexOf(b)));
        }
        List<FolderInfo> chosen = new ArrayList<>();
        for (FolderInfo f : candidates) {
            if (!f.selectable()) {
                LOG.debug("folder \"{}\" skipped: not selectable", f.name());
            } else if (subscribedOnly && !f.subscribed()) {
                LOG.debug("folder \"{}\" skipped: not subscribed", f.name());
            } else if (excluded(f.name())) {
                LOG.debug("folder \"{}\" skipped: excluded", f.name());
            } else {
                chosen.add(f);
            }
        }
        return new Selection(chosen, missing);
    }

    /** The folder of a requested name: the exact name, or the INBOX for INBOX in any case. */
    private static FolderInfo lookup(Map<String, FolderInfo> byName, String name) {
        FolderInfo f = byName.get(name);
        if (f == null && FolderNames.isInbox(name)) {
            f = byName.values().stream().filter(i -> FolderNames.isInbox(i.name())).findFirst().orElse(null);
        }
        return f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FolderFilter f && included.equals(f.included) && subscribedOnly == f.subscribedOnly
                && patterns(excluded).equals(patterns(f.excluded));
    }

    @Override
    public int hashCode() {
        return Objects.hash(included, patterns(excluded), subscribedOnly);
    }

    private static List<String> patterns(List<Pattern> patterns) {
        return patterns.stream().map(p -> p.flags() + "/" + p.pattern()).toList();
    }

    @Override
    public String toString() {
        return "FolderFilter[include " + (included.isEmpty() ? "all" : included) + ", exclude "
                + excluded.stream().map(Pattern::pattern).collect(Collectors.joining(", ", "[", "]"))
                + (subscribedOnly ? ", subscribed only" : "") + "]";
    }
}
