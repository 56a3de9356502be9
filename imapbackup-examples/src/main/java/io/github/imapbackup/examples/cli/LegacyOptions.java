package io.github.imapbackup.examples.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The original imapbackup script's spellings that {@code backup} accepts besides its own. */
final class LegacyOptions {

    @Option(names = {"-s", "--server"}, paramLabel = "HOST[:PORT]",
            description = "Original script: the server, optionally with its port.")
    String server;

    @Option(names = {"-e", "--ssl"}, description = "Original script: same as --security tls.")
    boolean ssl;

    @Option(names = {"-f", "--folders"}, paramLabel = "A,B", split = ",",
            description = "Original script: the folders to back up, comma separated.")
    List<String> folders = new ArrayList<>();

    @Option(names = "--exclude-folders", paramLabel = "A,B", split = ",",
            description = "Original script: folders not to back up (exact names), comma separated.")
    List<String> excludeFolders = new ArrayList<>();

    @Option(names = "--nospinner", description = "Original script: same as --quiet.")
    boolean nospinner;

    @Option(names = {"-p", "--pass"}, paramLabel = "PASSWORD|@FILE",
            description = "Original script: the password (visible to every user in `ps`; prefer "
                    + "--password-file or --password-env), or @FILE to read it from FILE.")
    String pass;

    @Option(names = {"-a", "--append-to-mboxes"}, hidden = true,
            description = "Original script: append to existing mbox files (always done).")
    boolean append;
}
