package io.github.imapbackup.examples.cli;

import java.util.ArrayList;
import java.util.List;
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
        if (!folders.isEmpty() && !folders.contains(name)) {
            return false;
        }
        return excludePatterns().stream().noneMatch(p -> p.matcher(name).matches());
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
        List<String> missing = folders.stream().filter(f -> !names.contains(f)).toList();
        if (!missing.isEmpty()) {
            throw new UsageException("no folder " + String.join(", ", missing.stream().map(m -> "\"" + m + "\"").toList())
                    + " in the backup directory; it holds: " + String.join(", ", names));
        }
    }
}
