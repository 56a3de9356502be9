package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.disk.Tmpfs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code import} into a backup directory, and {@code export} ({@code --mbox}, {@code --eml}) into
 * an output directory, on a disk that fills up: a real tmpfs, its size drawn at random (seeded)
 * below what the run needs. Each case asserts a clear error naming the file and saying the disk is
 * full, exit status 1, a report counting only what was written, nothing torn under a final name,
 * and, with room again, a next run that completes the work: every message once, byte for byte.
 */
@Timeout(600)
class FullDiskTransferIT {

    private static final int PER_FILE = 8;

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    static Path shared;
    /** Three foreign mbox files, a backup directory made from them, and what each command writes. */
    private static List<Path> inputs;
    private static Path backup;
    private static Map<String, List<String>> imported;
    private static final Map<String, Map<String, String>> EXPORTED = new TreeMap<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void prepare() throws Exception {
        Random rnd = new Random(20261205L);
        inputs = new ArrayList<>();
        for (String name : List.of("Old", "Older", "Oldest")) {
            List<byte[]> messages = new ArrayList<>();
            for (int i = 0; i < PER_FILE; i++) {
                messages.add(DiskRig.message(rnd, name + i));
            }
            inputs.add(MboxFiles.mbox(shared.resolve(name + ".mbox"), messages));
        }
        backup = shared.resolve("backup");
        CliRun run = CliRun.run(importArgs(backup));
        assertThat(run.status).as(run.toString()).isZero();
        imported = DiskRig.contents(backup);
        for (String kind : List.of("eml", "mbox", "mbox-gzip")) {
            Path out = shared.resolve("export-" + kind);
            CliRun e = CliRun.run(exportArgs(kind, out));
            assertThat(e.status).as(e.toString()).isZero();
            EXPORTED.put(kind, outputs(out));
        }
    }

    private static String[] importArgs(Path dir) {
        List<String> a = new ArrayList<>(List.of("import", "--dir", dir.toString()));
        inputs.forEach(p -> a.add(p.toString()));
        return a.toArray(String[]::new);
    }

    private static String[] exportArgs(String kind, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("export", "--dir", backup.toString(),
                kind.equals("eml") ? "--eml" : "--mbox", out.toString()));
        if (kind.equals("mbox-gzip")) {
            a.addAll(List.of("--compress", "gzip"));
        }
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** Each written file (relative name) and the SHA-256 of its (decompressed) bytes. */
    private static Map<String, String> outputs(Path out) throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (Path f : DiskRig.files(out)) {
            try (InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f))
                    : Files.newInputStream(f)) {
                m.put(out.relativize(f).toString(), DiskRig.sha256(in));
            }
        }
        return m;
    }

    private static long size(Path dir) throws IOException {
        long pages = 0;
        for (Path f : DiskRig.files(dir)) {
            pages += (Files.size(f) + 4095) / 4096;
        }
        return pages * 4096;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "zstd"})
    void importOntoAFullDiskCountsWhatItKeptAndTheNextRunCompletes(String codec) throws Exception {
        long seed = seeds.pick();
        Random rnd = new Random(seed);
        int cases = DiskRig.FULL ? 30 : 1;
        Path reference = tmp.resolve("reference");
        assertThat(CliRun.run(importArgs(reference)).status).isZero();
        long needed = size(reference) + 4096;
        int failed = 0;
        for (int c = 0; c < cases; c++) {
            long size = 4096 + (long) (rnd.nextDouble() * (needed - 4096));
            String where = "import, " + codec + ", case " + c + ", disk of " + size + " bytes";
            try (Tmpfs disk = Tmpfs.mount(Files.createDirectory(tmp.resolve("disk" + c)), size)) {
                Path dir = disk.root().resolve("backup");
                Path report = tmp.resolve("report" + c + ".json");
                List<String> args = new ArrayList<>(List.of(importArgs(dir)));
                args.addAll(1, List.of("--compress", codec, "--report", report.toString()));
                CliRun first = CliRun.run(args.toArray(String[]::new));
                Map<String, List<String>> kept = DiskRig.contents(dir);
                DiskRig.assertPartOf(kept, imported, where);
                assertThat(DiskRig.field(Files.readString(report), "messagesCopied"))
                        .as(where + ": imported = what the backup holds; " + first).isEqualTo(DiskRig.count(kept));
                if (first.status != 0) {
                    failed++;
                    assertFullDiskSaid(first, disk, where);
                }
                disk.resize(64L << 20);
                CliRun again = CliRun.run(args.toArray(String[]::new));
                assertThat(again.status).as(where + ": with room again; " + again).isZero();
                assertThat(DiskRig.contents(dir)).as(where + ": every message once").isEqualTo(imported);
                CliRun verify = CliRun.run("verify", "--dir", dir.toString());
                assertThat(verify.status).as(where + ": " + verify).isZero();
            }
        }
        DiskRig.summary("import", "disk-full-" + codec, cases, ", failed runs " + failed, seed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eml", "mbox", "mbox-gzip"})
    void exportOntoAFullDiskLeavesNothingTornAndTheNextRunCompletes(String kind) throws Exception {
        long seed = seeds.pick();
        Random rnd = new Random(seed);
        int cases = DiskRig.FULL ? 20 : 1;
        Map<String, String> reference = EXPORTED.get(kind);
        long needed = size(shared.resolve("export-" + kind)) + 4096;
        int failed = 0;
        for (int c = 0; c < cases; c++) {
            long size = 4096 + (long) (rnd.nextDouble() * (needed - 4096));
            String where = "export " + kind + ", case " + c + ", disk of " + size + " bytes";
            try (Tmpfs disk = Tmpfs.mount(Files.createDirectory(tmp.resolve("disk" + c)), size)) {
                Path out = disk.root().resolve("out");
                Path report = tmp.resolve("report" + c + ".json");
                CliRun first = CliRun.run(exportArgs(kind, out, "--report", report.toString()));
                Map<String, String> written = outputs(out);
                assertThat(reference).as(where + ": what stands under a final name is complete; " + first)
                        .containsAllEntriesOf(written);
                if (kind.equals("eml")) {
                    assertThat(DiskRig.field(Files.readString(report), "messagesCopied"))
                            .as(where + ": exported = the files written; " + first).isEqualTo(written.size());
                }
                if (first.status != 0) {
                    failed++;
                    assertFullDiskSaid(first, disk, where);
                }
                disk.resize(64L << 20);
                CliRun again = CliRun.run(exportArgs(kind, out));
                assertThat(again.status).as(where + ": with room again; " + again).isZero();
                assertThat(outputs(out)).as(where + ": every message once, nothing else").isEqualTo(reference);
            }
        }
        DiskRig.summary("export", "disk-full-" + kind, cases, ", failed runs " + failed, seed);
    }

    private static void assertFullDiskSaid(CliRun run, Tmpfs disk, String where) {
        assertThat(run.status).as(where + ": " + run).isEqualTo(1);
        assertThat(run.err).as(where).contains("disk is full").contains(disk.root().toString())
                .doesNotContain("Exception").doesNotContain("\tat ");
    }
}
