package io.github.imapbackup.examples.cli;

import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.codec.Codecs;
import picocli.CommandLine.Option;

/** {@code --max-expansion}: how far a compressed file may expand when read (docs/CLI.md, "Damaged and hostile files"). */
final class ExpansionOption {

    @Option(names = "--max-expansion", paramLabel = "N",
            description = "Stop reading a compressed file that expands more than N times (a decompression bomb); "
                    + "default " + Codecs.DEFAULT_MAX_EXPANSION + ", 0 for no limit.")
    Integer maxExpansion;

    /** {@return the limit: the option's, else the default} */
    int value() {
        if (maxExpansion == null) {
            return Codecs.DEFAULT_MAX_EXPANSION;
        }
        if (maxExpansion < 0) {
            throw new UsageException("--max-expansion must be 0 (no limit) or a positive number, not " + maxExpansion);
        }
        return maxExpansion;
    }

    /** {@return the store with this limit} */
    MboxStore apply(MboxStore store) {
        int limit = value();
        return limit == store.maxExpansion() ? store : store.toBuilder().maxExpansion(limit).build();
    }
}
