package io.github.imapbackup.examples.cli;

import java.time.Instant;
import picocli.CommandLine.Command;

/** Commands of later releases: they answer clearly and exit with status 2. */
abstract class NotImplementedCommand extends AbstractCommand {

    @Override
    io.github.imapbackup.BackupReport execute(Instant started) {
        throw new UsageException("the command '" + name() + "' is not implemented yet (planned for a later release)");
    }

    @Override
    String sourceLabel() {
        return null;
    }

    /** {@code migrate}: not implemented yet. */
    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = "IMAP account -> IMAP account (not implemented yet).")
    static final class Migrate extends NotImplementedCommand { }
}
