package io.github.imapbackup.examples.cli;

import static io.github.imapbackup.examples.cli.MigrateIT.count;
import static io.github.imapbackup.examples.cli.MigrateIT.migrate;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate --cache FILE}: the rerun skips the unchanged folders and says so in the JSON report. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MigrateCacheIT {

    private static final Map<String, String> ENV = Map.of("PW", "demo", "PW2", "other");

    @TempDir
    Path tmp;

    @Test
    void aRerunWithTheCacheSkipsTheUnchangedFolders() throws Exception {
        try (DemoServer source = DemoServer.start("demo", "demo");
                DemoServer target = DemoServer.start("other", "other")) {
            int total = source.load(SampleAccount.generate(3, 16 * 1024, 7)).values().stream().mapToInt(i -> i).sum();
            Path cache = tmp.resolve("state.cache");
            Path report = tmp.resolve("r.json");
            CliRun first = CliRun.run(ENV, migrate(source, target, "--cache", cache.toString(), "--nofoldersizes"));
            assertThat(first.status).as(first.toString()).isZero();
            assertThat(cache).isRegularFile();
            assertThat(Files.readString(cache)).doesNotContain("demo\n", "other\n");

            // without --nofoldersizes: the cache implies it (the sizing would list every folder)
            CliRun again = CliRun.run(ENV, migrate(source, target, "--cache", cache.toString(),
                    "--report", report.toString()));

            assertThat(again.status).as(again.toString()).isZero();
            String json = Files.readString(report);
            assertThat(count(json, "messagesCopied")).isZero();
            assertThat(count(json, "messagesSkipped")).isEqualTo(total);
            assertThat(count(json, "foldersFromCache")).isPositive();
            assertThat(again.out).contains("Folders unchanged (state cache)").doesNotContain("Host1 messages");
        }
    }
}
