package io.github.imapbackup.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One folder rename rule in imapsync's {@code --regextrans2} spelling, {@code s/REGEX/REPLACEMENT/FLAGS}:
 * any character after {@code s} delimits (a backslash escapes it), {@code $1} names a group, flags
 * {@code g} (every match) and {@code i} (ignore case). Java regular expressions.
 *
 * @param text the rule as the user wrote it, for messages
 * @param pattern the compiled expression
 * @param replacement the replacement, in {@link Matcher#replaceAll(String)}'s syntax
 * @param global whether every match is replaced, not only the first
 */
record RenameRule(String text, Pattern pattern, String replacement, boolean global) {

    RenameRule {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(replacement, "replacement");
    }

    /**
     * Parses a rule.
     *
     * @throws IllegalArgumentException naming the rule, when it is not of the form
     *     {@code s/REGEX/REPLACEMENT/FLAGS}, its expression does not compile, or a flag is unknown
     */
    static RenameRule parse(String rule) {
        Objects.requireNonNull(rule, "rule");
        if (rule.length() < 4 || rule.charAt(0) != 's' || Character.isLetterOrDigit(rule.charAt(1))
                || Character.isWhitespace(rule.charAt(1)) || rule.charAt(1) == '\\') {
            throw bad(rule, "it must be of the form s/REGEX/REPLACEMENT/FLAGS", null);
        }
        char d = rule.charAt(1);
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 2; i < rule.length(); i++) {
            char c = rule.charAt(i);
            if (c == '\\' && i + 1 < rule.length() && parts.size() < 2) {
                // kept escaped: a backslash before a character that is not a letter is literal in
                // Java's expressions and replacements alike, the delimiter included
                part.append(c).append(rule.charAt(i + 1));
                i++;
            } else if (c == d && parts.size() < 2) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        if (parts.size() != 2) {
            throw bad(rule, "it must be of the form s" + d + "REGEX" + d + "REPLACEMENT" + d + "FLAGS", null);
        }
        String flags = part.toString();
        int options = 0;
        boolean global = false;
        for (char f : flags.toCharArray()) {
            if (f == 'g') {
                global = true;
            } else if (f == 'i') {
                options |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
            } else {
                throw bad(rule, "the flag '" + f + "' is not supported (only g and i)", null);
            }
        }
        try {
            Pattern pattern = Pattern.compile(parts.get(0), options);
            String replacement = parts.get(1);
            checkReplacement(rule, replacement, pattern.matcher("").groupCount());
            return new RenameRule(rule, pattern, replacement, global);
        } catch (PatternSyntaxException e) {
            throw bad(rule, "the expression does not compile: " + e.getDescription(), e);
        }
    }

    /** Checks that each {@code $N} of the replacement names a group and no escape is left open. */
    private static void checkReplacement(String rule, String replacement, int groups) {
        for (int i = 0; i < replacement.length(); i++) {
            char c = replacement.charAt(i);
            if (c == '\\' && ++i >= replacement.length()) {
                throw bad(rule, "the replacement ends with a lone backslash", null);
            }
            if (c == '$') {
                char n = i + 1 < replacement.length() ? replacement.charAt(i + 1) : ' ';
                if (n < '0' || n > '9' || n - '0' > groups) {
                    throw bad(rule, "\"$\" must be followed by the number of a group of the expression"
                            + " (it has " + groups + "); write \\$ for a dollar sign", null);
                }
            }
        }
    }

    private static IllegalArgumentException bad(String rule, String why, Exception cause) {
        return new IllegalArgumentException("rename rule \"" + rule + "\": " + why, cause);
    }

    /** {@return the name with this rule applied; the name itself when the expression does not match} */
    String apply(String name) {
        Matcher m = pattern.matcher(name);
        if (!m.find()) {
            return name;
        }
        m.reset();
        return global ? m.replaceAll(replacement) : m.replaceFirst(replacement);
    }
}
