package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.disk.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@code backup} onto a disk that fills up, for each codec: a real tmpfs the test mounts, its size
 * drawn at random (seeded) below what the backup needs, so the write fails at a different place
 * each time: in a message, in an index line, in a compressed member's end. Each case asserts a
 * clear error naming the file and saying the disk is full, exit status 1, a report that counts only
 * what the backup holds, a backup that verifies, and, with room again, a next run that completes
 * it: every message once, byte for byte.
 */
@Timeout(600)
class FullDiskBackupIT {

    static final List<String> CODECS = DiskRig.CODECS;

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static DiskRig rig;
    /** Per codec: what a complete backup holds, and the bytes it takes on disk (whole pages). */
    private static final Map<String, Map<String, List<String>>> REFERENCE = new HashMap<>();
    private static final Map<String, Long> NEEDED = new HashMap<>();

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        rig = DiskRig.start(8);
        for (String codec : CODECS) {
            Path dir = shared.resolve("reference-" + codec);
            REFERENCE.put(codec, rig.reference(dir, codec));
            long pages = 0;
            for (Path f : DiskRig.files(dir)) {
                pages += (Files.size(f) + 4095) / 4096;
            }
            NEEDED.put(codec, pages * 4096);
        }
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @ParameterizedTest
    @FieldSource("CODECS")
    void aFullDiskFailsClearlyKeepsWhatItCountsAndTheNextRunCompletes(String codec) throws Exception {
        long seed = seeds.pick();
        Random rnd = new Random(seed);
        int cases = DiskRig.FULL ? 20 : 1;
        Map<String, List<String>> reference = REFERENCE.get(codec);
        int partial = 0;
        for (int c = 0; c < cases; c++) {
            long size = 4096 + (long) (rnd.nextDouble() * (NEEDED.get(codec) - 4096));
            String where = codec + ", case " + c + ", disk of " + size + " bytes";
            Path mountPoint = Files.createDirectory(tmp.resolve("disk" + c));
            try (Tmpfs disk = Tmpfs.mount(mountPoint, size)) {
                Path dir = disk.root().resolve("backup");
                Path report = tmp.resolve("report" + c + ".json");
                CliRun first = CliRun.run(DiskRig.ENV, rig.backup(dir, "--compress", codec,
                        "--report", report.toString()));
                Map<String, List<String>> kept = DiskRig.contents(dir);
                DiskRig.assertPartOf(kept, reference, where);
                String json = Files.readString(report);
                assertThat(DiskRig.field(json, "messagesCopied")).as(where + ": copied = what the backup holds; "
                        + first).isEqualTo(DiskRig.count(kept));
                if (first.status != 0) {
                    partial++;
                    assertThat(first.status).as(where + ": " + first).isEqualTo(1);
                    assertThat(first.err).as(where).contains("disk is full").contains(disk.root().toString())
                            .doesNotContain("Exception").doesNotContain("\tat ");
                } else {
                    assertThat(kept).as(where + ": it all fitted").isEqualTo(reference);
                }
                CliRun verify = CliRun.run("verify", "--dir", dir.toString());
                if (DiskRig.count(kept) > 0 || verify.status != 2 || !verify.err.contains("no backup in")) {
                    assertThat(verify.status).as(where + ": what is there verifies; " + verify).isZero();
                }

                disk.resize(64L << 20);
                CliRun again = CliRun.run(DiskRig.ENV, rig.backup(dir, "--compress", codec));
                assertThat(again.status).as(where + ": with room again; " + again).isZero();
                assertThat(DiskRig.contents(dir)).as(where + ": every message once").isEqualTo(reference);
                CliRun verifyAgain = CliRun.run("verify", "--dir", dir.toString());
                assertThat(verifyAgain.status).as(where + ": " + verifyAgain).isZero();
            }
        }
        DiskRig.summary("backup", "disk-full-" + codec, cases, ", failed runs " + partial, seed);
    }
}
