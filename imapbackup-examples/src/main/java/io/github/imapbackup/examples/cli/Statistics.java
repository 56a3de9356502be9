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
        String fmt = "%-" + nameWidth + "s %10s %8s %8s %10s %10s %7s%n";
        if (report.dryRun()) {
            out.println("Dry run: nothing was written; \"Copied\" counts what would be copied.");
        }
        out.printf(Locale.ROOT, fmt, "Folder", sourceLabel, "Copied", "Skipped", "Identical", "Bytes", "Errors");
        for (FolderReport f : folders) {
            row(out, fmt, Format.fit(f.name(), nameWidth), f.counters());
        }
        out.println("-".repeat(nameWidth + 60));
        row(out, fmt, "Total", report.totals());
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

    private static void row(PrintStream out, String fmt, String name, Counters c) {
        out.printf(Locale.ROOT, fmt, name, c.messagesOnSource(), c.messagesCopied(), c.messagesSkipped(),
                c.duplicatesOnSource(), Format.bytes(c.bytesCopied()), c.errors());
    }
}
