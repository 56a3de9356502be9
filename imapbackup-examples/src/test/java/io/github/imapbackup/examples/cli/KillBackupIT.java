package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import io.github.imapbackup.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code backup} (each codec) and {@code backup --config} (several accounts) killed with
 * {@code kill -9} at seeded points ({@link KillHarness}): when the mbox files pass a random byte
 * offset (a message body or compressed member being written), when the indexes pass one (an index
 * line being written), when a new folder's index appears (between folders), or after a random
 * time; each run again, killed again, then completed. Afterwards {@code verify} passes, every
 * message of the server is in the backup exactly once byte for byte (copies as often as the server
 * holds them), and nothing torn remains: no spool, no index rewrite, no uncommitted byte or record.
 * Source: GreenMail (the demo server).
 */
@Timeout(value = 3, unit = TimeUnit.HOURS)
class KillBackupIT {

    private static final String PASSWORD = "kill-backup-pw";
    private static final Map<String, String> ENV = Map.of("KILL_PW", PASSWORD);
    private static final List<DemoServer> SERVERS = new ArrayList<>();

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < 3; i++) {
            DemoServer s = DemoServer.start("demo", PASSWORD);
            SERVERS.add(s);
            s.load(SampleAccount.generate(11 + i, i == 0 ? 400 * 1024 : 64 * 1024, i == 0 ? 300 : 60));
        }
    }

    @AfterAll
    static void stop() {
        SERVERS.forEach(DemoServer::close);
    }

    private static String[] backup(DemoServer s, Path dir, String codec) {
        return new String[] {"backup", "--host", DemoServer.HOST, "--port", Integer.toString(s.port()),
            "--security", "none", "--user", "demo", "--password-env", "KILL_PW", "--dir", dir.toString(),
            "--compress", codec, "--quiet"};
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "bzip2", "xz", "zstd"})
    void aBackupKilledAnywhereAndRunAgainHoldsEveryMessageOnceAndNothingTorn(String codec) throws Exception {
        long seed = seeds.pick();
        Path reference = shared.resolve("reference-" + codec);
        CliRun ref = CliRun.run(ENV, backup(SERVERS.get(0), reference, codec));
        assertThat(ref.status).as(ref.toString()).isZero();
        KillHarness h = new KillHarness("backup-" + codec, seed, tmp, ENV);
        h.run(new BackupScenario(tmp, reference, suffix(codec), d -> backup(SERVERS.get(0), d, codec)),
                KillHarness.points(3, 100), KillHarness.points(3, 10));
    }

    @Test
    void aConfigRunOfSeveralAccountsKilledAnywhereAndRunAgainHoldsEveryMessageOnce() throws Exception {
        long seed = seeds.pick();
        Path reference = shared.resolve("reference-config");
        Path refConfig = config(reference, "gzip");
        CliRun ref = CliRun.run(ENV, "backup", "--config", refConfig.toString(), "--quiet");
        assertThat(ref.status).as(ref.toString()).isZero();
        KillHarness h = new KillHarness("backup-config", seed, tmp, ENV);
        h.run(new BackupScenario(tmp, reference, ".gz", d -> new String[] {"backup", "--config",
            config(d, "gzip").toString(), "--quiet"}), KillHarness.points(3, 100), KillHarness.points(3, 10));
    }

    /** A configuration of the three accounts (one per server) into {@code dest}. */
    private static Path config(Path dest, String codec) {
        StringBuilder sb = new StringBuilder("destination: " + dest + "\ncompress: " + codec
                + "\nconnections: {total: 4, perAccount: 2}\naccounts:\n");
        for (int i = 0; i < SERVERS.size(); i++) {
            sb.append("  - name: account").append(i).append("\n    host: ").append(DemoServer.HOST)
                    .append("\n    port: ").append(SERVERS.get(i).port()).append("\n    security: none\n")
                    .append("    user: demo\n    password: {env: KILL_PW}\n");
        }
        try {
            Files.createDirectories(dest);
            return Files.writeString(dest.resolveSibling(dest.getFileName() + ".yaml"), sb.toString(),
                    StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String suffix(String codec) {
        return switch (codec) {
            case "gzip" -> ".gz";
            case "bzip2" -> ".bz2";
            case "xz" -> ".xz";
            case "zstd" -> ".zst";
            default -> "";
        };
    }

    /** A backup directory written by the command: kill points in its files, checked against a reference run. */
    static final class BackupScenario implements KillHarness.Scenario {
        private final Path tmp;
        private final Path reference;
        private final String mbox;
        private final java.util.function.Function<Path, String[]> command;
        private final long totalMbox;
        private final long totalIndex;
        private final int totalFolders;
        private final Map<String, Long> complete;
        private final Map<String, Map<String, List<String>>> want = new TreeMap<>();
        private Path dir;
        private int starts;

        BackupScenario(Path tmp, Path reference, String codecSuffix,
                java.util.function.Function<Path, String[]> command) throws Exception {
            this.tmp = tmp;
            this.reference = reference;
            this.mbox = ".mbox" + codecSuffix;
            this.command = command;
            this.totalMbox = BackupFiles.bytes(reference, mbox);
            this.totalIndex = BackupFiles.bytes(reference, ".mbox.index");
            this.totalFolders = BackupFiles.files(reference, ".mbox.index").size();
            this.complete = BackupFiles.committedCounts(reference);
            for (Path account : accounts(reference)) {
                want.put(reference.relativize(account).toString(), BackupFiles.contents(account));
            }
        }

        /** The backup directories: the directory itself, or each account's under a configuration's destination. */
        private static List<Path> accounts(Path dir) throws java.io.IOException {
            if (!Files.isDirectory(dir) || Files.exists(dir.resolve(".imapbackup"))
                    || Files.exists(dir.resolve("INBOX" + ".mbox.index"))) {
                return List.of(dir);
            }
            try (var s = Files.list(dir)) {
                return s.filter(Files::isDirectory).sorted().toList();
            }
        }

        @Override
        public void fresh() {
            dir = tmp.resolve("backup" + starts++);
        }

        @Override
        public String[] args() {
            return command.apply(dir);
        }

        @Override
        public KillHarness.Point next(Random r) {
            long m = BackupFiles.bytes(dir, mbox);
            long i = BackupFiles.bytes(dir, ".mbox.index");
            int f = BackupFiles.files(dir, ".mbox.index").size();
            switch (r.nextInt(8)) {
                case 0, 1, 2, 3: {
                    long at = m + 1 + (long) (r.nextDouble() * Math.max(1, totalMbox - m));
                    return new KillHarness.Point("mbox bytes > " + at, () -> BackupFiles.bytes(dir, mbox) > at);
                }
                case 4, 5: {
                    long at = i + 1 + (long) (r.nextDouble() * Math.max(1, totalIndex - i));
                    return new KillHarness.Point("index bytes > " + at,
                            () -> BackupFiles.bytes(dir, ".mbox.index") > at);
                }
                case 6: {
                    int n = Math.min(totalFolders, f + 1 + r.nextInt(Math.max(1, totalFolders - f)));
                    return new KillHarness.Point("folders >= " + n,
                            () -> BackupFiles.files(dir, ".mbox.index").size() >= n);
                }
                default: {
                    long millis = 300 + r.nextInt(2500);
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                    return new KillHarness.Point("after " + millis + " ms", () -> System.nanoTime() > end);
                }
            }
        }

        @Override
        public String phase() {
            return BackupFiles.phase(dir, complete);
        }

        @Override
        public void check(CliRun last, KillHarness.Tally tally) throws Exception {
            assertThat(last.status).as("the completing run: %s", last).isZero();
            for (Path account : accounts(dir)) {
                CliRun verify = CliRun.run("verify", "--dir", account.toString());
                assertThat(verify.status).as("verify %s: %s", account, verify).isZero();
                tally.compare(want.get(dir.relativize(account).toString()), BackupFiles.contents(account));
                List<String> torn = BackupFiles.torn(account);
                tally.torn += torn.size();
                assertThat(torn).as("nothing torn in %s", account).isEmpty();
                tally.setAside += BackupFiles.setAside(account);
            }
            assertThat(accounts(dir)).hasSize(want.size());
        }
    }
}
