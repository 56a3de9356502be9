package io.github.imapbackup.examples.cli;

import io.github.imapbackup.FolderNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Option;

/** Which folders a command works on: {@code --folder} (repeatable) and {@code --exclude} (repeatable). */
final class FolderFilterOptions {

    @Option(names = "--folder", paramLabel = "NAME",
            description = "Only this folder (exact name as `folders` prints it); repeatable.")
    List<String> folders = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "REGEX",
            description = "Skip folders whose full name matches REGEX (whole name); repeatable.")
    List<String> excludes = new ArrayList<>();

    /** A backup directory with at most this many folders has them all listed when a --folder is not there. */
    private static final int MAX_LISTED = 20;

    private List<Pattern> compiled;

    /** Returns the exclusion patterns, compiled; a bad expression is a usage error. */
    List<Pattern> excludePatterns() {
        if (compiled == null) {
            compiled = compile(excludes);
        }
        return compiled;
    }

    /**
     * Compiles regular expressions of folder names.
     *
     * @param excludes the expressions
     * @return the patterns
     * @throws UsageException if one is invalid
     */
    static List<Pattern> compile(List<String> excludes) {
        List<Pattern> result = new ArrayList<>();
        for (String regex : excludes) {
            try {
                result.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new UsageException("--exclude: invalid regular expression \"" + regex + "\": "
                        + e.getDescription());
            }
        }
        return result;
    }

    /**
     * Returns whether a folder name is selected.
     *
     * @param name the full folder name
     * @return whether it is to be worked on
     */
    boolean selects(String name) {
        if (!folders.isEmpty() && folders.stream().noneMatch(f -> FolderNames.sameFolder(f, name))) {
            return false;
        }
        return excludePatterns().stream().noneMatch(p -> FolderNames.matches(p, name));
    }

    /**
     * Returns the messages for the {@code --folder} names that name none of the folders there are.
     *
     * @param names the folders there are
     * @param where where they are, e.g. {@code "on the server"}
     * @return each missing folder's name with its message
     */
    Map<String, String> missing(Collection<String> names, String where) {
        Map<String, String> missing = new LinkedHashMap<>();
        folders.stream().filter(f -> names.stream().noneMatch(n -> FolderNames.sameFolder(f, n)))
                .forEach(f -> missing.put(f, FolderNames.notFound(f, names, where)));
        return missing;
    }

    /**
     * Checks that every {@code --folder} names a folder of a backup directory.
     *
     * @param store the backup directory's store
     * @throws UsageException naming the folders that are not there
     * @throws io.github.imapbackup.BackupException if the store cannot list its folders
     */
    void requireIn(io.github.imapbackup.spi.MailboxStore store) throws io.github.imapbackup.BackupException {
        if (folders.isEmpty()) {
            return;
        }
        List<String> names = store.folders().stream().map(io.github.imapbackup.FolderInfo::name).toList();
        Map<String, String> missing = missing(names, "in the backup directory");
        if (!missing.isEmpty()) {
            throw new UsageException(String.join("; ", missing.values()) + (names.size() <= MAX_LISTED
                    ? "; it holds: " + String.join(", ", names) : ""));
        }
    }
}
