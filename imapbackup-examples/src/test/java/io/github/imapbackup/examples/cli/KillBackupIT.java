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
            int messages = i > 0 ? 40 : KillHarness.FULL ? 300 : 100;
            s.load(SampleAccount.generate(11 + i, i == 0 ? 400 * 1024 : 64 * 1024, messages));
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
                KillHarness.KILLS, KillHarness.CHAIN);
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
