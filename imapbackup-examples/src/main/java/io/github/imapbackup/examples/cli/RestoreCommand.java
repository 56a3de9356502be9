package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.imap.ImapTarget;
import io.github.imapbackup.mbox.ArchiveSelection;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code restore}: backup directory to IMAP account, idempotent. */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Backup directory -> IMAP account.", "",
            "Restore a backup directory into an IMAP account: every folder (created with the server's own "
                + "delimiter), every message with its exact bytes, flags, keywords and original date. "
                + "Messages the account already holds are matched by identity and not added again, so a "
                + "restore can be repeated or resumed after an interruption.", ""},
        footer = {"", "Dates are days in UTC (2026-11-30); --as-of takes a time in UTC (2026-11-30T18:00:00Z,",
            "2026-11-30T18:00 or a day, meaning its start).", "", "Examples:",
            "  imapbackup restore --dir ~/mail --host imap.example.org --user alice --password-env IMAP_PW",
            "  imapbackup restore --dir ~/mail --host imap.example.org --user alice --prefix Restored \\",
            "      --folder INBOX --since 2026-01-01",
            "  imapbackup restore --dir ~/mail --host imap.example.org --user alice --expunged-only",
            "      (only mail deleted on the server since it was backed up)",
            "  imapbackup restore --dir ~/mail --host imap.example.org --user alice --prefix Tuesday \\",
            "      --as-of 2026-12-01T08:00:00Z"})
final class RestoreCommand extends AbstractCommand {

    @Mixin
    ServerOptions server = new ServerOptions();

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR",
            description = "The backup directory (default: the current directory).")
    Path dir;

    @Option(names = "--layout", paramLabel = "nested|flat",
            description = "The backup directory's layout (default: detected).")
    DirOptions.Layout layout;

    @Mixin
    ExpansionOption expansion = new ExpansionOption();

    @Mixin
    FolderFilterOptions filter = new FolderFilterOptions();

    @Option(names = "--prefix", paramLabel = "NAME",
            description = "Restore under this folder (e.g. Restored/INBOX) instead of into the account's own folders.")
    String prefix;

    @Option(names = "--since", paramLabel = "DATE", description = "Only messages dated on or after DATE.")
    LocalDate since;

    @Option(names = "--before", paramLabel = "DATE", description = "Only messages dated before DATE.")
    LocalDate before;

    @Option(names = "--message-id", paramLabel = "ID", description = "Only the message with this Message-ID (repeatable).")
    List<String> messageIds = new ArrayList<>();

    @Option(names = "--expunged-only",
            description = "Only messages the server has deleted since they were backed up (undelete).")
    boolean expungedOnly;

    @Option(names = "--as-of", paramLabel = "TIMESTAMP",
            description = "Each folder as it was at TIMESTAMP: what was backed up by then and not yet deleted.")
    String asOf;

    @Option(names = "--labels-as-folders",
            description = "Gmail: file each message into the folders its labels name: those a backup with"
                    + " --gmail-labels once recorded, or a Google Takeout import's X-Gmail-Labels.")
    boolean labelsAsFolders;

    @Option(names = "--no-special-use",
            description = "Do not map Sent, Drafts, Trash, Junk and Archive to the server's own special folders.")
    boolean noSpecialUse;

    @Override
    String sourceLabel() {
        return "In backup";
    }

    /** Parses {@code --as-of}: an instant, a local date-time in UTC, or a day (its start, UTC). */
    static Instant parseAsOf(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // not with an offset
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // not a date-time
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException("--as-of: \"" + s + "\" is not a time; give e.g. 2026-11-30T18:00:00Z,"
                    + " 2026-11-30T18:00 (UTC) or 2026-11-30");
        }
    }

    /** Checks and builds the selection of messages from the options. */
    ArchiveSelection selection() {
        if (since != null && before != null && !since.isBefore(before)) {
            throw new UsageException("--since " + since + " is not before --before " + before + ": nothing to restore");
        }
        ArchiveSelection.Builder b = ArchiveSelection.builder().expungedOnly(expungedOnly)
                .labelsAsFolders(labelsAsFolders).messageIds(messageIds);
        if (since != null) {
            b.since(since);
        }
        if (before != null) {
            b.before(before);
        }
        if (asOf != null) {
            b.asOf(parseAsOf(asOf));
        } else if (!expungedOnly) {
            // the account as it was at the last backup: mail the server had expunged stays out
            // (--expunged-only brings it back)
            b.asOf(Instant.now());
        }
        return b.build();
    }

    @Override
    BackupReport execute(Instant started) throws BackupException {
        Path d = dir != null ? dir : Path.of(".");
        DirOptions.requireExisting(d);
        filter.filter(); // validates
        if (prefix != null && prefix.isBlank()) {
            throw new UsageException("--prefix: give a folder name");
        }
        ArchiveSelection selection = selection();
        MboxStore store = expansion.apply(Stores.mbox(new BackupSettings.StoreSettings(d, null, layout), true));
        DirOptions.requireBackup(d, store);
        if (!labelsAsFolders) {
            try (BackupArchive archive = store.read()) {
                filter.requireIn(archive);
            }
        }
        ServerSettings s = ServerResolver.resolve(server, null, ctx.env(), ctx.err());
        ctx.secrets().learn(s.credential());
        ImapTarget.Builder target = ImapTarget.builder(Sources.imap(s)).specialUse(!noSpecialUse);
        if (prefix != null) {
            target.prefix(prefix);
        }
        boolean connectionsGiven = spec.commandLine().getParseResult().hasMatchedOption("--connections");
        RestoreSession session = RestoreSession.builder()
                .source(store.asSource(selection))
                .target(target.build())
                .folderFilter(filter.filter())
                .connections(connectionsGiven ? s.connections() : RestoreSession.DEFAULT_CONNECTIONS)
                .listener(progressListener())
                .build();
        if (showProgress()) {
            ctx.err().println((common.dryRun ? "Dry run (nothing is written): restoring " : "Restoring ")
                    + d.toAbsolutePath().normalize() + " into " + s.describe()
                    + (prefix != null ? " under " + prefix : ""));
        }
        onInterrupt("imapbackup restore: interrupted; stopping after the current message (run the same command"
                + " again: it adds only what is missing)", session::cancel);
        return common.dryRun ? session.plan() : session.run();
    }
}
