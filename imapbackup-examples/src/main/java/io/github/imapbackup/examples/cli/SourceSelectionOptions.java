package io.github.imapbackup.examples.cli;

import io.github.imapbackup.imap.ImapSource;
import picocli.CommandLine.Option;

/**
 * {@code migrate}'s message filters on host1 (imapsync's {@code --maxage}, {@code --minage},
 * {@code --maxsize}, {@code --minsize}, {@code --search}), mapped onto {@link ImapSource.Builder};
 * the source does the filtering, so the sizing block counts what is selected too.
 */
final class SourceSelectionOptions {

    @Option(names = "--maxage", paramLabel = "DAYS", order = 80,
            description = "Only messages of host1 received at most DAYS days ago (INTERNALDATE).")
    Integer maxAge;

    @Option(names = "--minage", paramLabel = "DAYS", order = 81,
            description = "Only messages of host1 received more than DAYS days ago (INTERNALDATE).")
    Integer minAge;

    @Option(names = "--maxsize", paramLabel = "BYTES", order = 82,
            description = "Only messages of host1 of at most BYTES bytes.")
    Long maxSize;

    @Option(names = "--minsize", paramLabel = "BYTES", order = 83,
            description = "Only messages of host1 of at least BYTES bytes.")
    Long minSize;

    @Option(names = "--search", paramLabel = "QUERY", order = 84,
            description = "Only messages of host1 matching this IMAP SEARCH expression, e.g. 'SINCE 1-Jan-2020 FROM \"x\"'.")
    String search;

    /**
     * Returns host1 with the filters asked for, or as it is without any.
     *
     * @param host1 host1's source
     * @return the source that lists only the selected messages
     * @throws UsageException naming the option whose value is not allowed
     */
    ImapSource apply(ImapSource host1) {
        if (maxAge == null && minAge == null && maxSize == null && minSize == null && search == null) {
            return host1;
        }
        ImapSource.Builder b = host1.toBuilder();
        if (maxAge != null) {
            b.maxAge((int) atLeastZero("--maxage", maxAge));
        }
        if (minAge != null) {
            b.minAge((int) atLeastZero("--minage", minAge));
        }
        if (maxSize != null) {
            b.maxSize(atLeastZero("--maxsize", maxSize));
        }
        if (minSize != null) {
            b.minSize(atLeastZero("--minsize", minSize));
        }
        if (search != null) {
            try {
                b.search(search);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--search: " + e.getMessage(), e);
            }
        }
        return b.build();
    }

    private static long atLeastZero(String option, long value) {
        if (value < 0) {
            throw new UsageException(option + " must be 0 or more: " + value);
        }
        return value;
    }
}
