package io.github.imapbackup.examples.cli;

import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.imap.ImapTarget;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How {@code migrate} names host1's folders on host2 (imapsync's {@code --prefix1},
 * {@code --prefix2}, {@code --sep1}, {@code --sep2}, {@code --regextrans2}, {@code --noautomap}),
 * mapped onto {@link ImapTarget.Builder}; by default host1's and host2's own prefixes and
 * delimiters (NAMESPACE, LIST) and special-use folders mapped.
 */
final class FolderNameOptions {

    @Option(names = "--prefix1", paramLabel = "PREFIX", order = 85,
            description = "host1's personal prefix, stripped from its folder names (default: what host1's NAMESPACE"
                    + " says, e.g. INBOX.; '' strips nothing).")
    String prefix1;

    @Option(names = "--prefix2", paramLabel = "PREFIX", order = 86,
            description = "host2's personal prefix, put before every folder but INBOX (default: what host2's NAMESPACE"
                    + " says; '' for none).")
    String prefix2;

    @Option(names = "--sep1", paramLabel = "CHAR", order = 87,
            description = "host1's hierarchy delimiter, when its LIST is wrong.")
    String sep1;

    @Option(names = "--sep2", paramLabel = "CHAR", order = 88,
            description = "host2's hierarchy delimiter, when its LIST is wrong.")
    String sep2;

    @Option(names = "--regextrans2", paramLabel = "'s/REGEX/REPLACEMENT/'", order = 89,
            description = "Rename rule applied to host2's folder names, in the order given (flags g, i; $1 for a"
                    + " group); repeatable.")
    List<String> renames = new ArrayList<>();

    @Option(names = "--noautomap", order = 90,
            description = "Do not map host1's special-use folders (\\Sent, \\Drafts, \\Trash, \\Junk, \\Archive) to"
                    + " host2's own; keep their names.")
    boolean noAutomap;

    /**
     * Returns host2 as a migration target with these names.
     *
     * <p>host1's personal prefix is stripped unless {@code --prefix1} gives another: the engine
     * hands it to the target from the run's first host1 connection, with no login of its own.
     *
     * @param host2 host2's account
     * @return the target
     * @throws UsageException naming the option or rule that is malformed
     */
    ImapTarget target(ImapSource host2) {
        ImapTarget.Builder b = ImapTarget.builder(host2).specialUse(!noAutomap);
        if (prefix1 != null) {
            b.sourcePrefix(prefix1);
        }
        if (prefix2 != null) {
            b.namespacePrefix(prefix2);
        }
        try {
            b.sourceDelimiter(sep1);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sep1: " + e.getMessage(), e);
        }
        try {
            b.delimiter(sep2);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--sep2: " + e.getMessage(), e);
        }
        for (String rule : renames) {
            try {
                b.rename(rule);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--regextrans2: " + e.getMessage(), e);
            }
        }
        return b.build();
    }
}
