package io.github.imapbackup.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.imap.bench.BackupBenchmark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark program (imapbackup-imap's {@code BackupBenchmark}, docs/benchmarks-imap.md) runs
 * end to end at a tiny size against the shaded jar of this module: every phase completes and prints
 * its row, over loopback and an emulated link, and the growth table. It asserts no speed.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS) // about 2 minutes alone, 6 on a busy machine
class BackupBenchmarkIT {

    @TempDir
    Path tmp;

    @Test
    void everyPhasePrintsItsRowOnEveryLinkAndTheGrowthTable() throws Exception {
        Path jar = Path.of("target", "imapbackup.jar").toAbsolutePath();
        assertThat(jar).as("the shaded jar (mvn package)").isRegularFile();
        Path out = tmp.resolve("bench.md");
        BackupBenchmark.main(new String[] {"--quick", "--jar", jar.toString(), "--work", tmp.resolve("w").toString(),
            "--out", out.toString(), "--links", "loopback,1000/1", "--codecs", "none,zstd", "--growth", "1,2",
            "--phases", "raw,cold,warm,nothing-new,new,mbsync,codecs,raw-again,raw-chunked,growth"});

        String md = Files.readString(out, StandardCharsets.UTF_8);
        boolean mbsync = Files.isExecutable(Path.of("/usr/bin/mbsync"));
        List<String> runs = mbsync
                ? List.of("raw reader (1 conn.", "backup cold (java -jar", "backup warm (in-JVM", "nothing new (java -jar)",
                    "1 % new (java -jar)", "mbsync into Maildir (default: fsync)", "mbsync into Maildir, FSync no",
                    "mbsync nothing new", "backup cold --compress zstd", "raw reader again", "raw, UID FETCH n BODY.PEEK")
                : List.of("raw reader (1 conn.", "backup cold (java -jar", "backup warm (in-JVM", "nothing new (java -jar)",
                    "1 % new (java -jar)", "backup cold --compress zstd", "raw reader again", "raw, UID FETCH n BODY.PEEK");
        for (String link : List.of("| loopback | ", "| 1000 Mbit/s, RTT 1 ms | ")) {
            for (String run : runs) {
                assertThat(md.lines().filter(l -> l.startsWith(link + run)).toList()).as(link + run + " in\n" + md)
                        .hasSize(1).allSatisfy(l -> assertThat(l).doesNotContain("exit 1", "exit 2", "exit 3"));
            }
        }
        if (!mbsync) {
            assertThat(md).contains("mbsync: not installed (apt-get install isync)");
        }
        // the cold backup copied the whole account: its row names the 200 messages and MB/s
        assertThat(md.lines().filter(l -> l.startsWith("| loopback | backup cold (java -jar")).findFirst().orElseThrow())
                .contains("| 200 |");
        assertThat(md).contains("| growth | messages |").contains("| 1× | 100 |").contains("| 2× | 200 |");
        assertThat(md).contains("Before: `").contains("After: `");
    }
}
