package io.github.imapbackup.imap.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Prints {@link BackupBenchmark}'s tables as Markdown, to standard output and, when given, to a
 * file (so that the figures can be pasted into docs/benchmarks.md). Ratios are taken within a link:
 * "× raw" is the row's throughput over the raw reader's, "× mbsync" the mbsync run's seconds over
 * the row's (above 1: faster than mbsync).
 */
final class BenchPrinter {

    private final Path file;

    /** @param file the Markdown copy, or null */
    BenchPrinter(Path file) {
        this.file = file;
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Prints a line (and appends it to the file). @param line the line */
    void line(String line) {
        System.out.println(line);
        if (file != null) {
            try {
                Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Prints the runs of every link as one table. @param rows the runs */
    void runs(List<BenchRow> rows) {
        line("| link | run | s | MB | messages | MB/s | × raw | × mbsync | × mbsync (no fsync) | CPU s "
                + "| CPU s/GB | peak RSS MB | notes |");
        line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (BenchRow r : rows) {
            List<BenchRow> same = rows.stream().filter(o -> o.link().equals(r.link())).toList();
            OptionalDouble toRaw = toRaw(same, r);
            Optional<BenchRow> fsync = first(same, BenchRow.Kind.MBSYNC_FSYNC);
            Optional<BenchRow> nofsync = first(same, BenchRow.Kind.MBSYNC_NOFSYNC);
            line("| " + String.join(" | ", r.link(), r.run(), fmt(r.seconds(), 3), mb(r.bytes()),
                    Long.toString(r.messages()), fmt(r.mbPerSecond(), 1),
                    toRaw.isPresent() ? fmt(toRaw.getAsDouble(), 2) : "–",
                    r.whole() && fsync.isPresent() ? fmt(fsync.get().seconds() / r.seconds(), 2) : "–",
                    r.whole() && nofsync.isPresent() ? fmt(nofsync.get().seconds() / r.seconds(), 2) : "–",
                    r.cpuSeconds() >= 0 ? fmt(r.cpuSeconds(), 2) : "–", fmt(r.cpuPerGb(), 2),
                    r.rssKb() >= 0 ? Long.toString(r.rssKb() / 1024) : "–", r.notes()) + " |");
        }
    }

    /**
     * Prints, per link and per run that copies the whole account, its ratio to the raw reader of
     * each round and their median (for {@code --rounds}): a single round's ratio moves with the
     * machine's load.
     *
     * @param rows every round's rows, their links named "{@code LINK, round N}"
     * @param links the links' names without the round
     */
    void rounds(List<BenchRow> rows, List<String> links) {
        for (String link : links) {
            Map<String, List<BenchRow>> byRun = new LinkedHashMap<>();
            rows.stream().filter(r -> r.link().startsWith(link + ", round ") && r.kind() != BenchRow.Kind.RAW
                    && toRaw(rows, r).isPresent()).forEach(r -> byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r));
            byRun.forEach((run, list) -> {
                List<Double> ratios = list.stream().map(r -> toRaw(rows, r).getAsDouble()).toList();
                List<Double> seconds = list.stream().map(BenchRow::seconds).toList();
                line("- " + link + ", " + run + ", × raw in " + list.size() + " rounds: "
                        + ratios.stream().map(d -> fmt(d, 2)).collect(Collectors.joining(" ")) + " (median "
                        + fmt(median(ratios), 2) + "; s " + seconds.stream().map(d -> fmt(d, 3))
                        .collect(Collectors.joining(" ")) + ", median " + fmt(median(seconds), 3) + ")");
            });
        }
    }

    /**
     * {@return a row's MB/s over those of the raw reader on its link (and round), when the row copies
     * the whole account and there is a raw reader}
     *
     * @param rows rows, among them the raw reader's
     * @param r the row
     */
    private static OptionalDouble toRaw(List<BenchRow> rows, BenchRow r) {
        if (!r.whole()) {
            return OptionalDouble.empty();
        }
        Optional<BenchRow> raw = first(rows.stream().filter(o -> o.link().equals(r.link())).toList(), BenchRow.Kind.RAW);
        return raw.isPresent() ? OptionalDouble.of(r.mbPerSecond() / raw.get().mbPerSecond()) : OptionalDouble.empty();
    }

    /** {@return the median of the values, the mean of the middle two for an even count} @param values values */
    static double median(List<Double> values) {
        List<Double> v = values.stream().sorted().toList();
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /**
     * Prints the growth table: per factor, the full, nothing-new and 1 %-new runs side by side.
     *
     * @param factors the factors, in the order of {@code runs}
     * @param runs per factor: the full, nothing-new and 1 %-new rows
     */
    void growth(List<Integer> factors, List<List<BenchRow>> runs) {
        line("| growth | messages | MB | full s | full CPU s | full CPU s/GB | full RSS MB | nothing-new s "
                + "| nothing-new CPU s | nothing-new RSS MB | 1 %-new s | 1 %-new MB | 1 %-new CPU s "
                + "| 1 %-new RSS MB |");
        line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < factors.size(); i++) {
            List<BenchRow> r = runs.get(i);
            List<String> cells = new ArrayList<>(List.of(factors.get(i) + "×", Long.toString(r.get(0).messages()),
                    mb(r.get(0).bytes()), fmt(r.get(0).seconds(), 3), fmt(r.get(0).cpuSeconds(), 2),
                    fmt(r.get(0).cpuPerGb(), 2), Long.toString(r.get(0).rssKb() / 1024),
                    fmt(r.get(1).seconds(), 3), fmt(r.get(1).cpuSeconds(), 2), Long.toString(r.get(1).rssKb() / 1024),
                    fmt(r.get(2).seconds(), 3), mb(r.get(2).bytes()), fmt(r.get(2).cpuSeconds(), 2),
                    Long.toString(r.get(2).rssKb() / 1024)));
            line("| " + String.join(" | ", cells) + " |");
        }
    }

    private static Optional<BenchRow> first(List<BenchRow> rows, BenchRow.Kind kind) {
        return rows.stream().filter(r -> r.kind() == kind).findFirst();
    }

    static String fmt(double d, int decimals) {
        return Double.isNaN(d) || Double.isInfinite(d) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", d);
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
