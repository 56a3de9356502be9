package io.github.imapbackup.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of every command: report, dry run, quiet, log level. */
final class CommonOptions {

    @Option(names = "--report", paramLabel = "FILE",
            description = "Write the JSON report of the run to FILE.")
    Path report;

    @Option(names = {"-n", "--dry-run"},
            description = "Change nothing anywhere; report what would be done.")
    boolean dryRun;

    @Option(names = {"-q", "--quiet"},
            description = "No progress display and no statistics; only warnings and errors.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Log more (INFO).")
    boolean verbose;

    @Option(names = "--debug", description = "Log everything (DEBUG).")
    boolean debug;
}
