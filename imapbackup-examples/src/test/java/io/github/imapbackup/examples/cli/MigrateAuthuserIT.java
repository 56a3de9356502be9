package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code migrate --authuser1/2} against Dovecot's master users, imapsync's meaning: the
 * administrator named by {@code --authuser1} logs in with its own password and acts on the
 * mailbox of {@code --user1}; and {@code --justconnect} with it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MigrateAuthuserIT {

    private static final String ADMIN_PASSWORD = "Adm1n-s3cret";

    @RegisterExtension
    static final Dovecot SERVER = Dovecot.builder().user("alice", "Al1ce-s3cret").user("bob", "B0b-s3cret")
            .config("passdb {", "  driver = passwd-file", "  args = scheme=PLAIN username_format=%u " + masters(),
                    "  master = yes", "  pass = yes", "}")
            .build();

    private static Path masters() {
        try {
            Path dir = Files.createTempDirectory("masters");
            Path file = Files.writeString(dir.resolve("master-passwd"), "admin:{PLAIN}" + ADMIN_PASSWORD + "\n");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String[] migrate(String... more) {
        List<String> a = new ArrayList<>(List.of("migrate",
                "--host1", SERVER.host(), "--port1", Integer.toString(SERVER.port()), "--security1", "none",
                "--user1", "alice", "--authuser1", "admin", "--password-env1", "ADMIN",
                "--host2", SERVER.host(), "--port2", Integer.toString(SERVER.port()), "--security2", "none",
                "--user2", "bob", "--authuser2", "admin", "--password-env2", "ADMIN"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void theAdministratorMigratesAliceIntoBobAndJustconnectShowsBothHosts() throws Exception {
        try (ImapTestClient c = SERVER.login("alice")) {
            c.createFolder("Only-Alice");
            c.append("Only-Alice", "Message-ID: <a@authuser>\r\n\r\na\r\n".getBytes(StandardCharsets.US_ASCII),
                    Set.of(), Instant.parse("2021-01-01T00:00:00Z"));
        }
        Map<String, String> env = Map.of("ADMIN", ADMIN_PASSWORD);

        CliRun probe = CliRun.run(env, migrate("--justconnect"));
        assertThat(probe.status).as(probe.toString()).isZero();
        assertThat(probe.out).contains("Host1 greeting", "Host1 capabilities before login",
                "Host2 capabilities after login", "IMAP4rev1", "(as alice)", "(as bob)").doesNotContain(ADMIN_PASSWORD);

        CliRun r = CliRun.run(env, migrate());

        assertThat(r.status).as(r.toString()).isZero();
        try (ImapTestClient bob = SERVER.login("bob")) {
            assertThat(String.join("\n", bob.command("STATUS Only-Alice (MESSAGES)").stream()
                    .map(ImapTestClient.Response::text).toList())).contains("MESSAGES 1");
        }

        CliRun wrong = CliRun.run(Map.of("ADMIN", "wrong"), migrate("--justconnect"));
        assertThat(wrong.status).as(wrong.toString()).isEqualTo(3);
        assertThat(wrong.err).contains("host1 (" + SERVER.host() + ")");
    }
}
