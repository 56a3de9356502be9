package io.github.imapbackup.examples.cli;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.ReportError;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Prints the statistics block at the end of a run: per folder and totals, then the failures. */
final class Statistics {

    /** The widths of the columns after the folder's name. */
    private static final int[] WIDTHS = {10, 8, 8, 10, 10, 7};

    /** The table goes out in pieces of about this many characters, so a huge account's stays small. */
    private static final int FLUSH_AT = 32 * 1024;

    private Statistics() { }

    /**
     * Prints the block.
     *
     * @param report the report
     * @param sourceLabel the heading of the first count column ({@code On server}, {@code In file})
     * @param out where it goes
     */
    static void print(BackupReport report, String sourceLabel, PrintStream out) {
        List<FolderReport> folders = report.folders();
        int nameWidth = "Total".length();
        for (FolderReport f : folders) {
            nameWidth = Math.max(nameWidth, f.name().length());
        }
        nameWidth = Math.min(nameWidth, 40);
        if (report.dryRun()) {
            out.println("Dry run: nothing was written; \"Copied\" counts what would be copied.");
        }
        StringBuilder table = new StringBuilder(Math.min(folders.size() + 3, 400) * (nameWidth + 62));
        cells(table, nameWidth, "Folder", sourceLabel, "Copied", "Skipped", "Identical", "Bytes", "Errors");
        for (FolderReport f : folders) {
            row(table, nameWidth, Format.fit(f.name(), nameWidth), f.counters());
            if (table.length() >= FLUSH_AT) {
                out.print(table);
                table.setLength(0);
            }
        }
        table.append("-".repeat(nameWidth + 60)).append(System.lineSeparator());
        row(table, nameWidth, "Total", report.totals());
        out.print(table);
        Duration took = Duration.between(report.startedAt(), report.finishedAt());
        out.printf(Locale.ROOT, "%d folder%s in %s.%n", folders.size(), folders.size() == 1 ? "" : "s",
                Format.duration(took));
        Counters t = report.totals();
        if (t.expungedBeforeCopy() > 0) {
            out.printf(Locale.ROOT, "%d message%s expunged on the server during the run, before %s copy: not copied"
                    + " (no failure).%n", t.expungedBeforeCopy(), t.expungedBeforeCopy() == 1 ? " was" : "s were",
                    t.expungedBeforeCopy() == 1 ? "its" : "their");
        }
        if (t.throttleWaits() > 0) {
            out.printf(Locale.ROOT, "The server throttled the run: %d wait%s, %s in all.%n", t.throttleWaits(),
                    t.throttleWaits() == 1 ? "" : "s", Format.duration(t.throttled()));
        }
        if (!t.paced().isZero()) {
            out.printf(Locale.ROOT, "The rate caps held the run back for %s.%n", Format.duration(t.paced()));
        }
        List<ReportError> errors = report.allErrors();
        if (!errors.isEmpty()) {
            out.println("Failures:");
            for (ReportError e : errors) {
                out.println("  " + describe(e));
            }
        }
    }

    /** Returns {@code folder "X", UID 7: message} and the like. */
    static String describe(ReportError e) {
        StringBuilder sb = new StringBuilder();
        if (e.folder() != null && !e.message().contains("\"" + e.folder() + "\"")) {
            sb.append("folder \"").append(e.folder()).append('"');
            if (e.uid() > 0) {
                sb.append(", UID ").append(e.uid());
            }
            sb.append(": ");
        }
        return sb.append(e.message()).toString();
    }

    private static void row(StringBuilder table, int nameWidth, String name, Counters c) {
        cells(table, nameWidth, name, Long.toString(c.messagesOnSource()), Long.toString(c.messagesCopied()),
                Long.toString(c.messagesSkipped()), Long.toString(c.duplicatesOnSource()), Format.bytes(c.bytesCopied()),
                Long.toString(c.errors()));
    }

    /**
     * Appends one line of the table: the name left-aligned in {@code nameWidth}, each other cell
     * right-aligned in its column's width after a space, none cut ({@code %-Ns %10s %8s …}, written
     * out: {@code Formatter} parsed the pattern again for every folder, 200 folders took a cold JVM
     * about 35 ms of a run with nothing new).
     */
    private static void cells(StringBuilder table, int nameWidth, String name, String... cells) {
        table.append(name);
        pad(table, nameWidth - name.length());
        for (int i = 0; i < cells.length; i++) {
            table.append(' ');
            pad(table, WIDTHS[i] - cells[i].length());
            table.append(cells[i]);
        }
        table.append(System.lineSeparator());
    }

    private static void pad(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) {
            sb.append(' ');
        }
    }
}
