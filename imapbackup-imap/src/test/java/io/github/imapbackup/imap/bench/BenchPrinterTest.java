package io.github.imapbackup.imap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPrinterTest {

    private static final String LINK = "1000 Mbit/s, RTT 1 ms";
    private static final String COLD = "backup cold (java -jar, as shipped)";

    @Test
    void eachRoundsRatioIsToItsOwnRawReaderAndTheMedianIsPrinted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out.md");
        BenchPrinter out = new BenchPrinter(file);
        List<BenchRow> rows = List.of(
                raw(1, 8.0), row(1, COLD, 8.0 / 0.90),
                raw(2, 7.0), row(2, COLD, 7.0 / 0.95),
                raw(3, 9.0), row(3, COLD, 9.0 / 0.92),
                new BenchRow(LINK + ", round 3", "nothing new", BenchRow.Kind.OTHER, 0.7, 0, 0, 1, 1, ""),
                new BenchRow("loopback, round 1", COLD, BenchRow.Kind.FULL, 4.0, 1_000_000_000L, 1, 1, 1, ""));
        out.rounds(rows, List.of(LINK));
        String printed = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(printed).isEqualTo("- " + LINK + ", " + COLD + ", × raw in 3 rounds: 0.90 0.95 0.92 (median 0.92;"
                + " s 8.889 7.368 9.783, median 8.889)\n");
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(BenchPrinter.median(List.of(3.0, 1.0, 2.0, 10.0))).isEqualTo(2.5);
        assertThat(BenchPrinter.median(List.of(0.91))).isEqualTo(0.91);
    }

    private static BenchRow raw(int round, double seconds) {
        return new BenchRow(LINK + ", round " + round, "raw reader", BenchRow.Kind.RAW, seconds, 1_000_000_000L,
                20_000, 0.5, -1, "");
    }

    private static BenchRow row(int round, String run, double seconds) {
        return new BenchRow(LINK + ", round " + round, run, BenchRow.Kind.FULL, seconds, 1_000_000_000L, 20_000, 5,
                150_000, "");
    }
}
