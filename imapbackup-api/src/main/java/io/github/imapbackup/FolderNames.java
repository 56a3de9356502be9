package io.github.imapbackup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How folder names given by a user are matched against the names a server or a backup directory
 * has. Names are case-sensitive, except INBOX: RFC 3501 §5.1 makes {@code INBOX} in any case the
 * same folder (only that name; {@code Inbox/Sub} and {@code INBOX/Sub} stay different).
 *
 * <pre>{@code
 * FolderNames.sameFolder("Inbox", "INBOX");                         // true
 * FolderNames.matches(Pattern.compile("inbox|Trash"), "INBOX");    // true
 * FolderNames.similar("Snet", List.of("INBOX", "Sent", "Trash"));  // [Sent]
 * }</pre>
 */
public final class FolderNames {

    /** The most names {@link #similar} returns. */
    private static final int MAX_SIMILAR = 5;

    private FolderNames() { }

    /**
     * Returns whether a name is INBOX, in any case.
     *
     * @param name a full folder name
     * @return whether it names the INBOX
     */
    public static boolean isInbox(String name) {
        return "INBOX".equalsIgnoreCase(name);
    }

    /**
     * Returns whether two full folder names name the same folder: equal, or both INBOX in any case.
     *
     * @param requested the name a user gave
     * @param actual a name the server or backup directory has
     * @return whether they are the same folder
     */
    public static boolean sameFolder(String requested, String actual) {
        return requested.equals(actual) || isInbox(requested) && isInbox(actual);
    }

    /**
     * Returns whether a regular expression matches a whole folder name; for INBOX it matches in any
     * case, so {@code --exclude Inbox} excludes the INBOX.
     *
     * @param pattern the expression
     * @param name the full folder name
     * @return whether it matches the whole name
     */
    public static boolean matches(Pattern pattern, String name) {
        if (pattern.matcher(name).matches()) {
            return true;
        }
        return isInbox(name) && Pattern.compile(pattern.pattern(),
                pattern.flags() | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(name).matches();
    }

    /**
     * Returns the names that look like a name that was not found, closest first, for messages
     * ("did you mean"): the same apart from case, one containing the other, or a few letters apart.
     *
     * @param wanted the name that was not found
     * @param names the names there are
     * @return at most five similar names
     */
    public static List<String> similar(String wanted, Collection<String> names) {
        Objects.requireNonNull(wanted, "wanted");
        String w = wanted.toLowerCase(Locale.ROOT);
        List<String> result = new ArrayList<>();
        for (String n : names) {
            String l = n.toLowerCase(Locale.ROOT);
            boolean close = l.equals(w) || !w.isEmpty() && (l.contains(w) || w.contains(l) && !l.isEmpty())
                    || distance(w, l) <= Math.max(2, w.length() / 4);
            if (close && !result.contains(n)) {
                result.add(n);
            }
        }
        result.sort(Comparator.comparingInt(n -> distance(w, n.toLowerCase(Locale.ROOT))));
        return List.copyOf(result.subList(0, Math.min(MAX_SIMILAR, result.size())));
    }

    /**
     * Returns the message for a requested folder that is not there: its name, the similar names
     * there are, and how to list them all.
     *
     * @param wanted the name that was not found
     * @param names the names there are
     * @param where where it was looked for, e.g. {@code "on the server"}
     * @return the message
     */
    public static String notFound(String wanted, Collection<String> names, String where) {
        List<String> similar = similar(wanted, names);
        StringBuilder sb = new StringBuilder("folder \"").append(wanted).append("\" not found ").append(where).append(" (");
        if (!similar.isEmpty()) {
            sb.append("similar: ");
            similar.forEach(n -> sb.append('"').append(n).append("\", "));
            sb.setLength(sb.length() - 2);
            sb.append("; ");
        }
        return sb.append("names are case-sensitive except INBOX; `imapbackup folders` lists a server's folders)")
                .toString();
    }

    /** The Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
