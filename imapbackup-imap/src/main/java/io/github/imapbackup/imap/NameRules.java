package io.github.imapbackup.imap;

import io.github.imapbackup.FolderException;
import java.util.List;
import java.util.Objects;

/**
 * What the user says about folder names in a migration (see docs/ARCHITECTURE.md, "The IMAP
 * target"): host1's personal prefix to strip and its delimiter when LIST is wrong, and the rename
 * rules applied, in order, to the name on the target.
 *
 * @param sourcePrefix stripped from the start of the source's names ({@code --prefix1}), or empty
 * @param sourceDelimiter the source's delimiter instead of what LIST says ({@code --sep1}), or
 *     null to believe LIST
 * @param rules the rename rules ({@code --regextrans2})
 */
record NameRules(String sourcePrefix, String sourceDelimiter, List<RenameRule> rules) {

    /** No prefix stripped, LIST believed, no rules: a restore's names. */
    static final NameRules NONE = new NameRules("", null, List.of());

    NameRules {
        Objects.requireNonNull(sourcePrefix, "sourcePrefix");
        rules = List.copyOf(rules);
    }

    /** {@return the source name without the source's personal prefix} */
    String strip(String name) {
        return !sourcePrefix.isEmpty() && name.length() > sourcePrefix.length()
                && name.regionMatches(true, 0, sourcePrefix, 0, sourcePrefix.length())
                ? name.substring(sourcePrefix.length()) : name;
    }

    /** {@return the source's delimiter: the user's, else what LIST said} */
    String delimiter(String listed) {
        return sourceDelimiter != null ? sourceDelimiter : listed;
    }

    /**
     * Applies the rename rules in order.
     *
     * @throws FolderException naming the folder and the rules, when they make an empty name or one
     *     that begins or ends with the target's delimiter
     */
    String rename(String source, String name, String delimiter) throws FolderException {
        String renamed = name;
        for (RenameRule rule : rules) {
            renamed = rule.apply(renamed);
        }
        if (renamed.equals(name)) {
            return name;
        }
        if (renamed.isBlank() || !delimiter.isEmpty()
                && (renamed.startsWith(delimiter) || renamed.endsWith(delimiter))) {
            throw new FolderException(source, "the rename rules turn \"" + name + "\" into \""
                    + renamed + "\", which cannot be a folder name (" + (renamed.isBlank() ? "empty"
                    : "it begins or ends with the target's delimiter \"" + delimiter + "\"")
                    + "); change the rules or exclude the folder", null);
        }
        return renamed;
    }

    /** {@return the delimiter, checked to be one character (or null)} */
    static String oneCharacter(String delimiter) {
        if (delimiter != null && delimiter.length() != 1) {
            throw new IllegalArgumentException("a delimiter is one character: \"" + delimiter + "\"");
        }
        return delimiter;
    }
}
