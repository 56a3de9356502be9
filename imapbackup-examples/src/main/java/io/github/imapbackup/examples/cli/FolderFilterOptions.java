package io.github.imapbackup.examples.cli;

import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.BackupArchive;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Option;

/**
 * Which folders a command works on: {@code --folder} (repeatable) and {@code --exclude} (repeatable),
 * mapped onto the library's {@link FolderFilter}.
 */
final class FolderFilterOptions {

    @Option(names = "--folder", paramLabel = "NAME",
            description = "Only this folder (exact name as `folders` prints it); repeatable.")
    List<String> folders = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "REGEX",
            description = "Skip folders whose full name matches REGEX (whole name); repeatable.")
    List<String> excludes = new ArrayList<>();

    /** A backup directory with at most this many folders has them all listed when a --folder is not there. */
    private static final int MAX_LISTED = 20;

    private FolderFilter filter;

    /**
     * Returns the options as a filter.
     *
     * @return the filter
     * @throws UsageException if an expression is invalid
     */
    FolderFilter filter() {
        if (filter == null) {
            FolderFilter f = FolderFilter.all().include(folders);
            for (Pattern p : compile(excludes)) {
                f = f.exclude(p);
            }
            filter = f;
        }
        return filter;
    }

    /**
     * Compiles regular expressions of folder names.
     *
     * @param excludes the expressions
     * @return the patterns
     * @throws UsageException if one is invalid
     */
    static List<Pattern> compile(List<String> excludes) {
        return compile(excludes, "--exclude");
    }

    /**
     * Compiles regular expressions of folder names given to an option.
     *
     * @param expressions the expressions
     * @param option the option, for messages
     * @return the patterns
     * @throws UsageException if one is invalid
     */
    static List<Pattern> compile(List<String> expressions, String option) {
        List<Pattern> result = new ArrayList<>();
        for (String regex : expressions) {
            try {
                result.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new UsageException(option + ": invalid regular expression \"" + regex + "\": "
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
        return filter().selects(name);
    }

    /**
     * Returns the messages for the {@code --folder} names that name none of the folders there are.
     *
     * @param names the folders there are
     * @param where where they are, e.g. {@code "on the server"}
     * @return each missing folder's name with its message
     */
    Map<String, String> missing(Collection<String> names, String where) {
        return filter().missing(names, where);
    }

    /**
     * Checks that every {@code --folder} names a folder of a backup directory.
     *
     * @param archive the backup directory
     * @return the filter
     * @throws UsageException naming the folders that are not there
     */
    FolderFilter requireIn(BackupArchive archive) {
        List<String> names = archive.folders().stream().map(FolderInfo::name).toList();
        Map<String, String> missing = filter().missing(names, "in the backup directory");
        if (!missing.isEmpty()) {
            throw new UsageException(String.join("; ", missing.values()) + (names.size() <= MAX_LISTED
                    ? "; it holds: " + String.join(", ", names) : ""));
        }
        return filter();
    }
}
