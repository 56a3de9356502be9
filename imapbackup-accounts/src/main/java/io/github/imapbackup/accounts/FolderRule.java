package io.github.imapbackup.accounts;

import io.github.imapbackup.FolderNames;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Selects folders by name, for the folders to ignore or to include: either a folder's exact
 * name, which also takes in every folder beneath it ({@code Calendar} matches {@code Calendar}
 * and {@code Calendar/Birthdays}, whatever the server's delimiter), or a regular expression
 * matched against the whole folder name, as {@code --exclude} does. {@code INBOX} matches in any
 * case, as IMAP wants.
 *
 * <pre>{@code
 * List<FolderRule> ignore = List.of(FolderRule.name("Calendar"), FolderRule.regex("(?i).*spam.*"));
 * boolean skip = ignore.stream().anyMatch(r -> r.matches("Calendar/Birthdays", "/"));
 * }</pre>
 *
 * @param text the folder name, or the regular expression
 * @param isRegex whether {@code text} is a regular expression
 */
public record FolderRule(String text, boolean isRegex) {

    /**
     * A rule.
     *
     * @param text the folder name, or the regular expression
     * @param isRegex whether {@code text} is a regular expression
     * @throws IllegalArgumentException if the text is empty, or not a valid regular expression
     */
    public FolderRule {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("a folder name or regular expression must not be empty");
        }
        if (isRegex) {
            try {
                Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription()
                        + " near index " + e.getIndex() + " of " + text, e);
            }
        }
    }

    /**
     * {@return a rule matching this folder and every folder beneath it}
     *
     * @param folder the exact folder name as the server lists it
     */
    public static FolderRule name(String folder) {
        return new FolderRule(folder, false);
    }

    /**
     * {@return a rule matching the folders whose whole name matches}
     *
     * @param regex a regular expression ({@link Pattern})
     */
    public static FolderRule regex(String regex) {
        return new FolderRule(regex, true);
    }

    /**
     * Whether a folder matches.
     *
     * @param folder the folder's full name as the server lists it
     * @param delimiter the server's hierarchy delimiter, or null when it has none
     * @return true when the folder is this one or beneath it, or its name matches the expression
     */
    public boolean matches(String folder, String delimiter) {
        if (isRegex) {
            return FolderNames.matches(Pattern.compile(text), folder);
        }
        return FolderNames.sameFolder(text, folder) || delimiter != null && !delimiter.isEmpty()
                && folder.length() > text.length() && folder.startsWith(delimiter, text.length())
                && FolderNames.sameFolder(text, folder.substring(0, text.length()));
    }

    /**
     * This rule as one regular expression over the full folder name, for filters that see names
     * before the server's delimiter is known: a regular expression as it is; a name, the folder and
     * the folders beneath it under {@code /} or {@code .} (the usual delimiters), INBOX in any case.
     *
     * @return the expression
     */
    public Pattern pattern() {
        if (isRegex) {
            return Pattern.compile(text);
        }
        String name = FolderNames.isInbox(text) ? "(?i:INBOX)" : Pattern.quote(text);
        return Pattern.compile(name + "(?:[/.].*)?", Pattern.DOTALL);
    }

    @Override
    public String toString() {
        return isRegex ? "regex " + text : text;
    }
}
