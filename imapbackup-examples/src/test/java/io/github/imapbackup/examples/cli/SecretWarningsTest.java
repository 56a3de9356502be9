package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The warnings about secrets that others can see: a secret file readable by its group or by every
 * user (naming the file and the chmod that mends it), a password on the command line (it shows in
 * {@code ps} and the shell's history), and a password in a URL or address, which is redacted too.
 */
@Timeout(60)
class SecretWarningsTest {

    private static final String CANARY = SecretsTest.CANARY;

    @TempDir
    Path tmp;

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Path secretFile(String name, String mode) throws IOException {
        Path f = Files.writeString(tmp.resolve(name), CANARY + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private CliRun folders(String... secretArgs) throws IOException {
        List<String> a = new ArrayList<>(List.of("folders", "--host", "127.0.0.1", "--port",
                Integer.toString(closedPort()), "--security", "none", "--user", "alice", "--report",
                tmp.resolve("r.json").toString()));
        a.addAll(List.of(secretArgs));
        return CliRun.run(Map.of(), a.toArray(String[]::new));
    }

    private void assertNoCanary(CliRun r) throws IOException {
        assertThat(r.out + r.err).as(r.toString()).doesNotContain("s3cr3t");
        if (Files.exists(tmp.resolve("r.json"))) {
            assertThat(Files.readString(tmp.resolve("r.json"))).doesNotContain("s3cr3t");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "r--r--r--"})
    void aPasswordFileOthersCanReadIsNamedWithTheChmodThatMendsIt(String mode) throws IOException {
        Path pw = secretFile("pw-" + mode.replace('-', '_'), mode);
        CliRun r = folders("--password-file", pw.toString());
        assertThat(r.status).as(r.toString()).isEqualTo(3);
        assertThat(r.err).as(r.toString()).contains("WARNING: --password-file: the file " + pw + " is readable by "
                + (mode.charAt(6) == 'r' ? "every user of this machine" : "the users of its group") + " (" + mode
                + "): run chmod 600 " + pw + ".");
        assertNoCanary(r);
    }

    @Test
    void aPasswordFileOnlyItsOwnerCanReadIsNotWarnedAbout() throws IOException {
        CliRun r = folders("--password-file", secretFile("own", "rw-------").toString());
        assertThat(r.err).as(r.toString()).doesNotContain("WARNING");
    }

    @Test
    void theOAuth2SecretFilesAreCheckedToo() throws IOException {
        Path refresh = secretFile("refresh", "rw-r--r--");
        Path client = secretFile("client", "rw-r-----");
        CliRun r = folders("--oauth2-refresh-token-file", refresh.toString(), "--oauth2-client-secret-file",
                client.toString(), "--oauth2-token-endpoint", "http://127.0.0.1:" + closedPort() + "/token",
                "--oauth2-client-id", "c", "--oauth2-token-cache", tmp.resolve("cache.json").toString());
        assertThat(r.err).as(r.toString())
                .contains("WARNING: --oauth2-refresh-token-file: the file " + refresh + " is readable by every user")
                .contains("WARNING: --oauth2-client-secret-file: the file " + client + " is readable by the users of"
                        + " its group (rw-r-----): run chmod 600 " + client);
        assertNoCanary(r);
    }

    @Test
    void anAccountsFileOthersCanReadIsWarnedAbout() throws IOException {
        Path accounts = Files.writeString(tmp.resolve("accounts.txt"), "alice;" + CANARY + ";bob;" + CANARY + "\n");
        Files.setPosixFilePermissions(accounts, PosixFilePermissions.fromString("rw-r--r--"));
        CliRun r = CliRun.run("migrate", "--host1", "127.0.0.1", "--port1", Integer.toString(closedPort()),
                "--security1", "none", "--host2", "127.0.0.1", "--port2", Integer.toString(closedPort()),
                "--security2", "none", "--accounts", accounts.toString());
        assertThat(r.err).as(r.toString()).contains("WARNING: --accounts: the file " + accounts
                + " is readable by every user of this machine (rw-r--r--): run chmod 600 " + accounts
                + " (it holds passwords).");
        assertThat(r.out + r.err).doesNotContain("s3cr3t");
    }

    @Test
    void aPasswordOnTheCommandLineIsWarnedAboutWithWhatToUseInstead() throws IOException {
        CliRun r = CliRun.run("backup", "--host", "127.0.0.1", "--port", Integer.toString(closedPort()), "--security",
                "none", "--user", "alice", "-p", CANARY, "--dir", tmp.resolve("b").toString());
        assertThat(r.err).as(r.toString()).contains("WARNING: a password given with -p/--pass shows in the process"
                + " list (ps) of every user on this machine and in your shell's history; use --password-file FILE");
        assertNoCanary(r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--host=alice:%s@127.0.0.1", "imaps://alice:%s@127.0.0.1",
        "--oauth2-token-endpoint=https://client:%s@127.0.0.1/token"})
    void aPasswordInAUrlIsWarnedAboutAndShownNowhere(String form) throws IOException {
        String arg = String.format(form, CANARY);
        List<String> a = new ArrayList<>(List.of("folders", "--port", Integer.toString(closedPort()), "--security",
                "none", "--user", "alice", "--password-env", "PW", "--report", tmp.resolve("r.json").toString()));
        if (arg.startsWith("--host=")) {
            a.add(arg);
        } else {
            a.addAll(List.of("--host", "127.0.0.1", arg));
        }
        CliRun r = CliRun.run(Map.of("PW", "x"), a.toArray(String[]::new));
        assertThat(r.status).as(r.toString()).isNotZero();
        assertThat(r.err).as(r.toString()).contains("WARNING: an argument holds a password (user:password@...)")
                .contains("shows in the process list (ps)").contains("--password-file FILE");
        assertNoCanary(r);
    }

    @Test
    void anAddressWithoutAPasswordIsNoWarning() throws IOException {
        CliRun r = CliRun.run(Map.of("PW", "x"), "backup", "--host", "127.0.0.1", "--port",
                Integer.toString(closedPort()), "--security", "none", "--user", "alice@example.org", "--password-env",
                "PW", "--folder", "a:b", "--dir", tmp.resolve("b").toString());
        assertThat(r.err).as(r.toString()).doesNotContain("user:password");
    }
}
