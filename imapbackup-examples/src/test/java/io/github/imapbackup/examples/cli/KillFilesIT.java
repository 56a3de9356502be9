package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import io.github.imapbackup.mbox.transfer.MboxImporter;
import io.github.imapbackup.testing.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import}, {@code export --eml}, {@code export --mbox} (a seeded codec per start) and
 * {@code verify} killed with {@code kill -9} at seeded points ({@link KillHarness}), run again
 * (killed again), then completed. Import: as {@link BackupScenario} checks a backup. Export: the
 * output is the reference export's, every message once byte for byte, and no
 * {@code .imapbackup-partial} file is left. Verify: the backup is unchanged, byte for byte, and
 * verify passes.
 */
@Timeout(value = 3, unit = TimeUnit.HOURS)
class KillFilesIT {

    private static final List<String> FOLDERS = List.of("INBOX", "Lists", "Archive");
    private static final int PER_FOLDER = KillHarness.FULL ? 600 : 300;
    private static final List<String> CODECS = List.of("none", "gzip", "bzip2", "xz", "zstd");

    @TempDir
    static Path shared;
    /** The mbox files to import, one per folder. */
    static List<Path> sources = new ArrayList<>();
    /** A backup directory of those folders. */
    static Path backup;

    @TempDir
    Path tmp;

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @BeforeAll
    static void prepare() throws Exception {
        int perFolder = PER_FOLDER;
        String filler = "Some text that fills the body of the message a little.\r\n".repeat(30);
        for (String folder : FOLDERS) {
            List<byte[]> messages = new ArrayList<>();
            for (int i = 0; i < perFolder; i++) {
                messages.add(switch (i % 50) {
                    case 7 -> messages.get(i - 1); // a byte-identical copy: kept twice, never thrice
                    case 9 -> MboxFiles.message("shared@example.org", "same id " + i, "Other bytes " + i + "\r\n");
                    case 11 -> MboxFiles.message(null, "no id " + i, "From the start of a line\r\n" + filler);
                    default -> MboxFiles.message(folder + i + "@example.org", "message " + i, "Body " + i + "\r\n"
                            + filler.substring(0, (i * 37) % filler.length()));
                });
            }
            sources.add(MboxFiles.mbox(shared.resolve(folder + ".mbox"), messages));
        }
        backup = shared.resolve("backup");
        MboxImporter importer = MboxImporter.builder(MboxStore.builder(backup).build()).build();
        for (Path source : sources) {
            importer.importFiles(List.of(source), source.getFileName().toString().replace(".mbox", ""));
        }
    }

    @Test
    void anImportKilledAnywhereAndRunAgainStoresEveryMessageOnce() throws Exception {
        Path reference = shared.resolve("reference-import");
        CliRun ref = CliRun.run(importArgs(reference));
        assertThat(ref.status).as(ref.toString()).isZero();
        new KillHarness("import", seeds.pick(), tmp, Map.of()).run(
                new BackupScenario(tmp, reference, "", KillFilesIT::importArgs),
                KillHarness.KILLS, KillHarness.CHAIN);
    }

    private static String[] importArgs(Path dir) {
        List<String> a = new ArrayList<>(List.of("import", "--dir", dir.toString(), "--quiet"));
        sources.forEach(s -> a.add(s.toString()));
        return a.toArray(String[]::new);
    }

    @Test
    void anEmlExportKilledAnywhereAndRunAgainWritesEveryFileOnceAndNoPartialOne() throws Exception {
        Path reference = shared.resolve("reference-eml");
        CliRun ref = CliRun.run("export", "--dir", backup.toString(), "--eml", reference.toString());
        assertThat(ref.status).as(ref.toString()).isZero();
        new KillHarness("export-eml", seeds.pick(), tmp, Map.of()).run(new ExportScenario(reference, null),
                KillHarness.KILLS, KillHarness.CHAIN);
    }

    @Test
    void anMboxExportKilledAnywhereAndRunAgainWritesEveryMessageOnceAndNoPartialFile() throws Exception {
        Random r = new Random(seeds.pick());
        new KillHarness("export-mbox", seeds.pick(), tmp, Map.of()).run(new ExportScenario(null, r),
                KillHarness.KILLS, KillHarness.CHAIN);
    }

    @Test
    void aVerifyKilledAnywhereChangesNothingAndRunAgainPasses() throws Exception {
        Map<String, String> before = BackupFiles.snapshot(backup);
        new KillHarness("verify", seeds.pick(), tmp, Map.of()).run(new VerifyScenario(before),
                KillHarness.KILLS, KillHarness.CHAIN);
    }

    /**
     * {@code verify}, killed while it reads the backup (when /proc shows it has a file of the backup
     * open, after a seeded delay of up to 30 ms), now and then at a seeded early time (JVM start);
     * the phase is what the child had open at that moment. Load-independent, unlike a time.
     */
    private final class VerifyScenario implements KillHarness.Scenario {
        private final Map<String, String> before;
        private String seen;

        VerifyScenario(Map<String, String> before) {
            this.before = before;
        }

        @Override
        public void fresh() { }

        @Override
        public String[] args() {
            return new String[] {"verify", "--dir", backup.toString()};
        }

        @Override
        public KillHarness.Point next(Random random) {
            boolean early = random.nextInt(8) == 0;
            long delay = TimeUnit.MILLISECONDS.toNanos(early ? 100 + random.nextInt(500) : random.nextInt(31));
            long start = System.nanoTime();
            long[] reading = {0};
            return new KillHarness.Point(early ? "after " + delay / 1_000_000 + " ms"
                    : "reading, then " + delay / 1_000_000 + " ms", child -> {
                List<Path> open = child.openFiles(backup);
                if (!early && reading[0] == 0 && !open.isEmpty()) {
                    reading[0] = System.nanoTime();
                }
                long from = early ? start : reading[0];
                if (from == 0 || System.nanoTime() - from < delay) {
                    return false;
                }
                seen = open.stream().anyMatch(p -> p.toString().endsWith(".mbox")) ? "reading an mbox"
                        : !open.isEmpty() ? "reading an index" : "no backup file open";
                return true;
            });
        }

        @Override
        public String phase(ChildProgram killed) {
            return seen;
        }

        @Override
        public void check(CliRun last, String stderr, KillHarness.Tally tally) throws IOException {
            assertThat(last.status).as(last.toString()).isZero();
            assertThat(BackupFiles.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
            tally.messages += FOLDERS.size() * (long) PER_FOLDER;
        }
    }

    /** {@code export --eml} (codec null) or {@code export --mbox} with a seeded codec per start. */
    private final class ExportScenario implements KillHarness.Scenario {
        private final Path emlReference;
        private final Random codecs;
        private final Map<String, Path> references = new TreeMap<>();
        private Path out;
        private String codec;
        private int starts;
        private long total;

        ExportScenario(Path emlReference, Random codecs) {
            this.emlReference = emlReference;
            this.codecs = codecs;
        }

        @Override
        public void fresh() throws IOException {
            out = tmp.resolve("export" + starts++);
            if (codecs == null) {
                total = BackupFiles.files(emlReference, ".eml").size();
                return;
            }
            codec = CODECS.get(codecs.nextInt(CODECS.size()));
            if (!references.containsKey(codec)) {
                Path ref = shared.resolve("reference-mbox-" + codec);
                CliRun r = CliRun.run("export", "--dir", backup.toString(), "--mbox", ref.toString(), "--compress",
                        codec);
                assertThat(r.status).as(r.toString()).isZero();
                references.put(codec, ref);
            }
            total = BackupFiles.bytes(references.get(codec), "");
        }

        @Override
        public String[] args() {
            return codecs == null ? new String[] {"export", "--dir", backup.toString(), "--eml", out.toString()}
                    : new String[] {"export", "--dir", backup.toString(), "--mbox", out.toString(), "--compress", codec};
        }

        @Override
        public KillHarness.Point next(Random r) {
            if (r.nextInt(4) == 0) {
                long millis = 200 + r.nextInt(1500);
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                return KillHarness.Point.of("after " + millis + " ms", () -> System.nanoTime() > end);
            }
            if (codecs == null) {
                long have = BackupFiles.files(out, ".eml").size();
                long at = have + 1 + (long) (r.nextDouble() * Math.max(1, total - have));
                return KillHarness.Point.of(".eml files >= " + at, () -> BackupFiles.files(out, ".eml").size() >= at);
            }
            long have = BackupFiles.bytes(out, "");
            long at = have + 1 + (long) (r.nextDouble() * Math.max(1, total - have));
            return KillHarness.Point.of(codec + " output bytes > " + at, () -> BackupFiles.bytes(out, "") > at);
        }

        @Override
        public String phase(ChildProgram killed) {
            if (!BackupFiles.files(out, PartialFile.SUFFIX).isEmpty()) {
                return codecs == null ? "file write" : "file write " + codec;
            }
            return BackupFiles.files(out, "").isEmpty() ? "startup" : "between files";
        }

        @Override
        public void check(CliRun last, String stderr, KillHarness.Tally tally) throws IOException {
            assertThat(last.status).as(last.toString()).isZero();
            List<Path> partial = BackupFiles.files(out, PartialFile.SUFFIX);
            tally.torn += partial.size();
            assertThat(partial).as("no partial file is left").isEmpty();
            if (codecs == null) {
                Map<String, String> want = BackupFiles.snapshot(emlReference);
                Map<String, String> have = BackupFiles.snapshot(out);
                tally.compare(Map.of("eml", List.copyOf(want.values())), Map.of("eml", List.copyOf(have.values())));
                assertThat(have).as("the same files, byte for byte").isEqualTo(want);
            } else {
                tally.compare(messages(references.get(codec)), messages(out));
            }
        }
    }

    /** File → the SHA-256 of each message read from the mbox files under dir (in order). */
    private static Map<String, List<String>> messages(Path dir) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        for (Path f : BackupFiles.files(dir, "")) {
            List<String> h = new ArrayList<>();
            try (MboxReader r = MboxReader.open(f)) {
                for (MboxEntry e = r.next(); e != null; e = r.next()) {
                    try (InputStream in = e.content()) {
                        h.add(MboxFiles.sha256(in.readAllBytes()));
                    }
                }
            }
            out.put(dir.relativize(f).toString(), h);
        }
        return out;
    }

    /** What an export adds to a file's name while it writes it (the mbox module's PartialFile). */
    private static final class PartialFile {
        static final String SUFFIX = ".imapbackup-partial";
    }
}
