package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup --config}: the single-account options do not go with it, and {@code --account} and
 * {@code --shard} do not go without it; each mistake is exit status 2 before anything connects.
 */
@Timeout(30)
class ConfigOptionsTest {

    @TempDir
    Path tmp;

    @Test
    void singleAccountOptionsBesideConfigAreRefusedByName() throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), "destination: " + tmp.resolve("mail") + "\naccounts: []\n");
        CliRun r = CliRun.run("backup", "--config", config.toString(), "--host", "imap.example.org", "--dir", "x",
                "--quiet");
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains("--host, --dir are for a single account").contains("docs/CONFIG.md");
        assertThat(tmp.resolve("mail")).doesNotExist();
        assertThat(Files.exists(Path.of("x"))).isFalse();
    }

    @Test
    void accountAndShardNeedConfig() {
        CliRun a = CliRun.run("backup", "--host", "imap.example.org", "--user", "alice", "--account", "alice");
        assertThat(a.status).as(a.toString()).isEqualTo(2);
        assertThat(a.err).contains("--account chooses accounts of a configuration file: give --config FILE");
        CliRun s = CliRun.run("backup", "--shard", "0/2");
        assertThat(s.status).as(s.toString()).isEqualTo(2);
        assertThat(s.err).contains("--shard chooses accounts");
    }

    @Test
    void aMalformedShardIsBadUsage() throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), "destination: " + tmp.resolve("mail") + "\naccounts: []\n");
        CliRun r = CliRun.run("backup", "--config", config.toString(), "--shard", "4/4");
        assertThat(r.status).as(r.toString()).isEqualTo(2);
    }

    @Test
    void aConfigurationMistakeIsExit2WithFileLineAndKeyBeforeAnythingConnects() throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), "destination: " + tmp.resolve("mail") + "\n"
                + "accounts:\n"
                + "  - {email: alice@example.org, host: 127.0.0.1, port: 99999, password: {env: NO_SUCH_VARIABLE_X}}\n");
        Path report = tmp.resolve("r.json");
        CliRun r = CliRun.run("backup", "--config", config.toString(), "--report", report.toString());
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains(config + ":3").contains("accounts[0].port");
        assertThat(Files.readString(report)).contains("\"exitStatus\":2");
        assertThat(tmp.resolve("mail")).doesNotExist();
        CliRun missing = CliRun.run("backup", "--config", tmp.resolve("nowhere.yaml").toString());
        assertThat(missing.status).as(missing.toString()).isEqualTo(2);
        assertThat(missing.err).contains("nowhere.yaml");
    }

    @Test
    void anUnknownAccountIsExit2WithTheNames() throws Exception {
        Path config = Files.writeString(tmp.resolve("c.yaml"), "destination: " + tmp.resolve("mail") + "\n"
                + "accounts:\n  - {email: alice@example.org, host: 127.0.0.1, security: none, password: {file: c.yaml}}\n");
        CliRun r = CliRun.run("backup", "--config", config.toString(), "--account", "bob@example.org");
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains("no account named \"bob@example.org\"").contains("alice@example.org");
    }
}
