package io.github.imapbackup.examples.cli;

import io.github.imapbackup.AccountSizes;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code migrate} prints for imapsync's users: the sizing block of each host before the
 * transfer, and the statistics block with the verdict after it; the same figures go into the JSON
 * report ({@link #json(Json)}). Each block is a list of labelled lines driven by the report's
 * counters, so a new counter is one more line.
 *
 * @param report the run's report
 * @param host1 the sizes of host1's selected folders, or null when not measured
 * @param host2 the sizes of host2, or null when not measured
 * @param memory the most memory the program used
 */
record MigrateStatistics(BackupReport report, AccountSizes host1, AccountSizes host2, Memory memory) {

    /**
     * Memory used.
     *
     * @param bytes how much
     * @param kind what was measured ({@code peak RSS} or {@code heap in use})
     */
    record Memory(long bytes, String kind) { }

    /** A line of a block. */
    record Line(String label, String value) { }

    /**
     * Returns the sizing block of one host.
     *
     * @param host {@code Host1} or {@code Host2}
     * @param s its sizes
     * @return the lines
     */
    static List<Line> sizing(String host, AccountSizes s) {
        return List.of(new Line(host + " folders", Long.toString(s.folders())),
                new Line(host + " messages", Long.toString(s.messages())),
                new Line(host + " total size", bytes(s.bytes())),
                new Line(host + " biggest message", bytes(s.biggest())));
    }

    /**
     * Prints lines with their labels aligned.
     *
     * @param heading the block's heading
     * @param lines the lines
     * @param out where they go
     */
    static void print(String heading, List<Line> lines, PrintStream out) {
        out.println("++++ " + heading);
        int width = lines.stream().mapToInt(l -> l.label().length()).max().orElse(0);
        for (Line l : lines) {
            out.printf(Locale.ROOT, "%-" + width + "s : %s%n", l.label(), l.value());
        }
    }

    /** {@return the messages on host1 that are not on host2 after the run, per folder (0 omitted)} */
    List<FolderReport> missing() {
        List<FolderReport> out = new ArrayList<>();
        for (FolderReport f : folders()) {
            if (missing(f.counters()) > 0 || !f.errors().isEmpty()) {
                out.add(f);
            }
        }
        return out;
    }

    private long missing(Counters c) {
        long done = report.dryRun() ? c.messagesSkipped()
                : c.messagesCopied() + c.messagesSkipped() + c.expungedBeforeCopy(); // those are gone from host1
        return Math.max(0, c.messagesOnSource() - done);
    }

    private long seconds() {
        return Math.max(1, Duration.between(report.startedAt(), report.finishedAt()).toMillis()) / 1000;
    }

    private double rate(double n) {
        double s = Math.max(0.001, Duration.between(report.startedAt(), report.finishedAt()).toMillis() / 1000.0);
        return n / s;
    }

    /** {@return the report's entries of folders migrated, leaving out those of host2's folders deleted} */
    private List<FolderReport> folders() {
        return report.folders().stream().filter(f -> f.counters().foldersDeletedFromTarget() == 0).toList();
    }

    private long synced() {
        return folders().stream().filter(f -> f.errors().isEmpty()).count();
    }

    /** {@return the statistics block} */
    List<Line> lines() {
        Counters t = report.totals();
        String would = report.dryRun() ? " (dry run: would be)" : "";
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("Transfer started on", report.startedAt().toString()));
        lines.add(new Line("Transfer ended on", report.finishedAt().toString()));
        lines.add(new Line("Transfer time", Format.duration(Duration.between(report.startedAt(), report.finishedAt()))));
        lines.add(new Line("Folders synced", synced() + "/" + folders().size() + " synced"));
        if (report.totals().foldersFromCache() > 0) {
            lines.add(new Line("Folders unchanged (state cache)", Long.toString(report.totals().foldersFromCache())));
        }
        lines.add(new Line(report.dryRun() ? "Messages to transfer" : "Messages transferred",
                Long.toString(t.messagesCopied())));
        lines.add(new Line("Messages skipped (already on host2)", Long.toString(t.messagesSkipped())));
        lines.add(new Line("Messages found duplicate on host1", t.duplicatesOnSource() + " (all copied: host2 mirrors host1)"));
        lines.add(new Line("Messages found duplicate on host2", Long.toString(t.duplicatesOnTarget())));
        lines.add(new Line("Messages found in host1 not in host2", Long.toString(missing(t))));
        lines.add(new Line("Messages found in host2 not in host1", Long.toString(t.onlyOnTarget())));
        if (t.expungedBeforeCopy() > 0) {
            lines.add(new Line("Messages expunged on host1 during the run", t.expungedBeforeCopy() + " (not copied)"));
        }
        lines.add(new Line("Messages deleted on host1", t.deletedFromSource() + would));
        lines.add(new Line("Messages deleted on host2", t.deletedFromTarget() + would));
        lines.add(new Line("Folders deleted on host2", t.foldersDeletedFromTarget() + would));
        lines.add(new Line("Total bytes transferred", bytes(t.bytesCopied())));
        lines.add(new Line("Total bytes skipped", host1 == null ? "not measured (--nofoldersizes)"
                : bytes(bytesSkipped())));
        lines.add(new Line("Message rate", String.format(Locale.ROOT, "%.1f messages/s", rate(t.messagesCopied()))));
        lines.add(new Line("Average bandwidth rate", String.format(Locale.ROOT, "%.1f KiB/s", rate(t.bytesCopied()) / 1024)));
        lines.add(new Line("Reconnections to host1", Long.toString(t.reconnectsToSource())));
        lines.add(new Line("Reconnections to host2", Long.toString(t.reconnectsToTarget())));
        if (t.throttleWaits() > 0) {
            lines.add(new Line("Throttle waits on host1", t.throttleWaits() + " (" + Format.duration(t.throttled()) + ")"));
        }
        if (!t.paced().isZero()) {
            lines.add(new Line("Held back by the rate caps", Format.duration(t.paced())));
        }
        lines.add(new Line("Memory consumption at the end", Format.bytes(memory.bytes()) + " (" + memory.kind() + ")"));
        lines.add(new Line("Biggest message", host1 == null ? "not measured (--nofoldersizes)" : bytes(host1.biggest())));
        lines.add(new Line("Detected errors", Long.toString(report.allErrors().size())));
        return lines;
    }

    private long bytesSkipped() {
        return Math.max(0, host1.bytes() - report.totals().bytesCopied());
    }

    /**
     * Returns the verdict: every message of host1 is on host2, or what is missing.
     *
     * @param reportFile the {@code --report} file, or null
     * @return the verdict
     */
    String verdict(Path reportFile) {
        return verdict(reportFile != null ? "under \"failures\" in " + reportFile : "above");
    }

    private String verdict(String where) {
        Counters t = report.totals();
        if (report.dryRun()) {
            return "Dry run: " + t.messagesCopied() + " of the " + t.messagesOnSource()
                    + " messages on host1 would be transferred; nothing was written.";
        }
        List<FolderReport> missing = missing();
        if (missing.isEmpty()) {
            // those expunged on host1 during the run are no longer on it
            return "All " + (t.messagesOnSource() - t.expungedBeforeCopy()) + " identified messages on host1 are on host2.";
        }
        List<String> parts = new ArrayList<>();
        for (FolderReport f : missing) {
            parts.add("folder \"" + f.name() + "\": " + (f.counters().messagesOnSource() == 0 && !f.errors().isEmpty()
                    ? "not checked (the folder failed)" : missing(f.counters()) + " missing"));
        }
        return "NOT all messages of host1 are on host2: " + String.join("; ", parts) + ". Each failure is listed "
                + where + "; run the same command again to transfer what is missing.";
    }

    /**
     * Writes the figures as fields of the JSON report.
     *
     * @param j the report, inside its object
     */
    void json(Json j) {
        j.name("sizes").beginObject();
        sizes(j, "host1", host1);
        sizes(j, "host2", host2);
        j.endObject();
        Counters t = report.totals();
        j.name("statistics").beginObject();
        j.name("foldersSynced").value(synced());
        j.name("folders").value(folders().size());
        j.name("messagesTransferred").value(t.messagesCopied());
        j.name("messagesSkipped").value(t.messagesSkipped());
        j.name("duplicatesOnHost1").value(t.duplicatesOnSource());
        j.name("duplicatesOnHost2").value(t.duplicatesOnTarget());
        j.name("missingOnHost2").value(missing(t));
        j.name("onlyOnHost2").value(t.onlyOnTarget());
        if (t.expungedBeforeCopy() > 0) {
            j.name("expungedOnHost1DuringRun").value(t.expungedBeforeCopy());
        }
        j.name("deletedOnHost1").value(t.deletedFromSource());
        j.name("deletedOnHost2").value(t.deletedFromTarget());
        j.name("foldersDeletedOnHost2").value(t.foldersDeletedFromTarget());
        j.name("bytesTransferred").value(t.bytesCopied());
        if (host1 != null) {
            j.name("bytesSkipped").value(bytesSkipped());
        }
        j.name("reconnectsToHost1").value(t.reconnectsToSource());
        j.name("reconnectsToHost2").value(t.reconnectsToTarget());
        j.name("seconds").value(seconds());
        j.name("peakMemoryBytes").value(memory.bytes());
        j.name("verdict").value(verdict("under \"failures\""));
        j.endObject();
    }

    private static void sizes(Json j, String name, AccountSizes s) {
        if (s == null) {
            return;
        }
        j.name(name).beginObject();
        j.name("folders").value(s.folders());
        j.name("messages").value(s.messages());
        j.name("bytes").value(s.bytes());
        j.name("biggestMessage").value(s.biggest());
        j.endObject();
    }

    private static String bytes(long n) {
        return n + " bytes" + (n >= 1024 ? " (" + Format.bytes(n) + ")" : "");
    }

    /**
     * Returns the most memory this process used: its peak resident set size (Linux
     * {@code /proc/self/status}, {@code VmHWM}) where available, else the heap in use now.
     *
     * @return the memory
     */
    static Memory peakMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring("VmHWM:".length()).trim().split("\\s+")[0];
                    return new Memory(Long.parseLong(kb) * 1024, "peak RSS");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the heap below
        }
        Runtime r = Runtime.getRuntime();
        return new Memory(r.totalMemory() - r.freeMemory(), "heap in use");
    }
}
