package io.github.imapbackup.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of every command: report, dry run, quiet, log level. */
final class CommonOptions {

    @Option(order = 91, names = "--report", paramLabel = "FILE",
            description = "Write the JSON report of the run to FILE.")
    Path report;

    @Option(order = 92, names = {"-n", "--dry-run"},
            description = "Change nothing anywhere; report what would be done.")
    boolean dryRun;

    @Option(order = 93, names = {"-q", "--quiet"},
            description = "No progress display and no statistics; only warnings and errors.")
    boolean quiet;

    @Option(order = 94, names = {"-v", "--verbose"}, description = "Log more (INFO).")
    boolean verbose;

    @Option(order = 95, names = "--debug", description = "Log more still (DEBUG).")
    boolean debug;

    @Option(order = 96, names = "--trace", description = "Log everything (TRACE), the IMAP protocol included:"
            + " commands, answers and mail, never a password or token.")
    boolean trace;
}
