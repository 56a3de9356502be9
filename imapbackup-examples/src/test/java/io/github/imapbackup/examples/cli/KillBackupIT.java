package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import io.github.imapbackup.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * One more account has an INBOX big enough to be fetched on several connections at once
 * (docs/ARCHITECTURE.md, "One big folder on several connections"), backed up with
 * {@code --connections 4}, so kills land while helpers fetch ahead of the writer.
 * Source: GreenMail (the demo server).
 */
@Timeout(value = 3, unit = TimeUnit.HOURS)
class KillBackupIT {

    private static final String PASSWORD = "kill-backup-pw";
    private static final Map<String, String> ENV = Map.of("KILL_PW", PASSWORD);
    private static final List<DemoServer> SERVERS = new ArrayList<>();
    /**
     * Ordinary messages of the big account: its INBOX gets about 1,300 of them, more than the 800
     * small new messages (four chunks of 200) from which a folder is split over spare connections.
     */
    private static final int BIG_ORDINARY = 3_000;
    private static DemoServer big;
    private static final String FETCH_AHEAD_LOG = "org.slf4j.simpleLogger.log.io.github.imapbackup.internal.FetchAhead";

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
            int messages = i > 0 ? 40 : KillHarness.FULL ? 300 : 100;
            s.load(SampleAccount.generate(11 + i, i == 0 ? 400 * 1024 : 64 * 1024, messages));
        }
        big = DemoServer.start("demo", PASSWORD);
        Map<String, Integer> counts = big.load(SampleAccount.generate(17, 64 * 1024, BIG_ORDINARY));
        assertThat(counts.get("INBOX")).as("INBOX big enough to be split").isGreaterThan(1_000);
    }

    @AfterAll
    static void stop() {
        SERVERS.forEach(DemoServer::close);
        if (big != null) {
            big.close();
        }
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
                KillHarness.KILLS, KillHarness.CHAIN);
    }

    @Test
    void aBigFolderFetchedOnFourConnectionsKilledAnywhereAndRunAgainHoldsEveryMessageOnce() throws Exception {
        long seed = seeds.pick();
        Path reference = shared.resolve("reference-big");
        CliRun ref = CliRun.run(ENV, fourConnections(backup(big, reference, "none")));
        assertThat(ref.status).as(ref.toString()).isZero();
        // the killed children log when a helper starts, so the test knows that kills hit the split folder
        Map<String, String> env = new HashMap<>(ENV);
        env.put("JAVA_TOOL_OPTIONS", "-D" + FETCH_AHEAD_LOG + "=debug");
        KillHarness h = new KillHarness("backup-big-folder", seed, tmp, env);
        AtomicInteger helped = new AtomicInteger();
        BackupScenario s = new BackupScenario(tmp, reference, "", d -> fourConnections(backup(big, d, "none")));
        h.run(new KillHarness.Scenario() {
            private boolean first;

            @Override
            public void fresh() {
                s.fresh();
                first = true;
            }

            @Override
            public String[] args() {
                return s.args();
            }

            @Override
            public KillHarness.Point next(Random r) {
                if (!first) {
                    return s.next(r);
                }
                // the first kill of each fresh start lands while helpers fetch ahead (the whole folder is
                // new then): soon after the first helper says so, not left to chance
                first = false;
                long millis = r.nextInt(300);
                long[] seen = {0};
                return new KillHarness.Point("helpers fetching ahead + " + millis + " ms", child -> {
                    if (seen[0] == 0) {
                        try {
                            if (!child.err().contains(HELPER_STARTED)) {
                                return false;
                            }
                        } catch (java.io.IOException e) {
                            return false;
                        }
                        seen[0] = System.nanoTime();
                    }
                    return System.nanoTime() - seen[0] > TimeUnit.MILLISECONDS.toNanos(millis);
                });
            }

            @Override
            public String phase(ChildProgram killed) {
                return s.phase(killed);
            }

            @Override
            public void check(CliRun last, String stderr, KillHarness.Tally tally) throws Exception {
                if (stderr.contains(HELPER_STARTED)) {
                    helped.incrementAndGet();
                }
                s.check(last, stderr, tally);
            }
        }, KillHarness.FULL ? 100 : 4, KillHarness.CHAIN);
        System.out.println("KillHarness backup-big-folder: " + helped + " starts killed while helpers fetched ahead");
        assertThat(helped.get()).as("starts whose killed runs had helpers fetching ahead").isPositive();
    }

    /** What a helper connection logs (at DEBUG) when it starts fetching a folder ahead. */
    private static final String HELPER_STARTED = "another connection fetches ahead";

    /**
     * The big INBOX alone on four connections: the three spare ones help from its first chunk. With
     * the other folders in the run, the writer fetches the INBOX alone while they are busy, in
     * pipelined runs (docs/ARCHITECTURE.md, "Pipelined fetching"), and was nearly done when they
     * came free: no kill landed while helpers fetched.
     */
    private static String[] fourConnections(String[] args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--connections", "4", "--folder", "INBOX"));
        return all.toArray(String[]::new);
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
            config(d, "gzip").toString(), "--quiet"}), KillHarness.KILLS, KillHarness.CHAIN);
    }

    /** A configuration of the three accounts (one per server) into {@code dest}. */
    private static Path config(Path dest, String codec) {
        StringBuilder sb = new StringBuilder("destination: " + dest + "\ncompress: " + codec
                + "\nconnections: {total: 4, perAccount: 2}\naccounts:\n");
        for (int i = 0; i < SERVERS.size(); i++) {
            sb.append("  - name: account").append(i).append("\n    host: ").append(DemoServer.HOST)
                    .append("\n    port: ").append(SERVERS.get(i).port()).append("\n    security: none\n")
                    .append("    user: demo\n    password: {file: ").append(dest.resolveSibling("password"))
                    .append("}\n");
        }
        try {
            Files.createDirectories(dest);
            Path pw = Files.writeString(dest.resolveSibling("password"), PASSWORD + "\n");
            Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
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
}
