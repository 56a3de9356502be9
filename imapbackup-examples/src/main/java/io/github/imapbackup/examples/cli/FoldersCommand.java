package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code folders}: lists an account's folders with message counts and sizes. */
@Command(name = "folders", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List an account's folders with counts and sizes.", "",
            "List the account's folders: name (as --folder takes it), hierarchy delimiter, "
                + "messages, total size, subscribed, attributes such as \\Noselect. Read-only.", ""},
        footer = {"", "Example:",
            "  imapbackup folders --host imap.example.org --user alice \\",
            "      --password-file ~/.imap-pw"})
final class FoldersCommand extends AbstractCommand {

    @Mixin
    ServerOptions server = new ServerOptions();

    @Mixin
    FolderFilterOptions filter = new FolderFilterOptions();

    @Option(names = "--no-sizes",
            description = "Do not add up message sizes (faster: asks only STATUS, opens no folder).")
    boolean noSizes;

    @Override
    String sourceLabel() {
        return null;
    }

    @Override
    BackupReport execute(Instant started) throws BackupException {
        ServerSettings s = ServerResolver.resolve(server, null, ctx.env(), ctx.err());
        ctx.secrets().learn(s.credential());
        filter.filter();
        List<FolderReport> reports = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        long totalMessages = 0;
        long totalBytes = 0;
        try (SourceConnection c = Sources.imap(s).connect()) {
            List<FolderInfo> listed = c.folders();
            filter.missing(listed.stream().map(FolderInfo::name).toList(), "on the server").forEach((name, why) ->
                    reports.add(FolderReport.failure(name, why)));
            for (FolderInfo f : listed) {
                if (!filter.selects(f.name())) {
                    continue;
                }
                String messages = "-";
                String size = "-";
                List<ReportError> errors = new ArrayList<>();
                long count = 0;
                long bytes = 0;
                if (f.selectable()) {
                    try {
                        FolderStatus st = c.status(f);
                        count = st.messages();
                        messages = Long.toString(count);
                        if (!noSizes) {
                            bytes = count == 0 ? 0 : sumSizes(c, f);
                            size = Format.bytes(bytes);
                        }
                    } catch (BackupException e) {
                        errors.add(ReportError.of(f.name(), e));
                        messages = "?";
                        size = "?";
                    }
                }
                totalMessages += count;
                totalBytes += bytes;
                rows.add(new String[] {f.name(), f.delimiter().isEmpty() ? "NIL" : f.delimiter(), messages, size,
                    f.subscribed() ? "yes" : "no", String.join(" ", new TreeSet<>(f.attributes()))});
                reports.add(new FolderReport(f.name(), null,
                        Counters.builder().messagesOnSource(count).errors(errors.size()).build(), errors));
            }
        }
        if (!quiet()) {
            print(rows, totalMessages, noSizes ? "-" : Format.bytes(totalBytes), ctx.out());
        }
        return new BackupReport(name(), started, Instant.now(), common.dryRun, Outcome.COMPLETED, reports,
                List.of());
    }

    private static long sumSizes(SourceConnection c, FolderInfo f) throws BackupException {
        long sum = 0;
        try (SourceFolder open = c.open(f)) {
            for (MessageInfo m : open.messages(1)) {
                sum += m.size();
            }
        }
        return sum;
    }

    private static void print(List<String[]> rows, long totalMessages, String totalSize, PrintStream out) {
        int w = "Folder".length();
        for (String[] r : rows) {
            w = Math.max(w, r[0].length());
        }
        String fmt = "%-" + w + "s  %-5s %9s %10s  %-10s %s%n";
        out.printf(Locale.ROOT, fmt, "Folder", "Delim", "Messages", "Size", "Subscribed", "Attributes");
        for (String[] r : rows) {
            out.printf(Locale.ROOT, fmt, (Object[]) r);
        }
        out.printf(Locale.ROOT, fmt, "Total (" + rows.size() + " folders)", "", totalMessages, totalSize, "", "");
    }
}
