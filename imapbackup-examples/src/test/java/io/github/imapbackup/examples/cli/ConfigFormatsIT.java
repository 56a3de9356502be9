package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.http.PingServer;
import io.github.imapbackup.testing.imap.Dovecot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup --config} with both file formats: the original script's README example as it is
 * (hosts, passwords and destination aside, plus a port), over TLS, in the program as users start it;
 * and this program's YAML with a limit per host, the three password sources and a failure URL.
 */
@Timeout(300)
class ConfigFormatsIT {

    private static final String JOHN = "J0hn-tls-pw";
    private static final String JILL = "J1ll-tls-pw";
    private static final String PW = "Pl41n-pw";

    @RegisterExtension
    static final Dovecot TLS = Dovecot.builder().tls(true).user("john@microsoft.com", JOHN)
            .user("jill@microsoft.com", JILL).build();

    @RegisterExtension
    static final Dovecot PLAIN = Dovecot.builder().user("ann", PW).user("ben", PW).user("cat", PW).user("dan", PW)
            .build();

    private static final CountingProxy.Counter ALL = new CountingProxy.Counter();
    private static CountingProxy first;
    private static CountingProxy second;
    private static PingServer ping;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        Instant t = Instant.parse("2026-02-01T00:00:00Z");
        for (String folder : List.of("INBOX", "INBOX", "Archive", "Calendar", "Sync Issues/Conflicts", "Contacts")) {
            TLS.append("john@microsoft.com", folder, MboxFiles.message("john-" + folder.hashCode() + t + "@x",
                    folder, "in " + folder + "\r\n"), Set.of(), t);
            t = t.plusSeconds(60);
        }
        TLS.append("jill@microsoft.com", "INBOX", MboxFiles.message("jill-1@x", "hi", "hi\r\n"), Set.of(), t);
        for (String user : List.of("ann", "ben", "cat", "dan")) {
            for (int i = 0; i < 4; i++) {
                PLAIN.append(user, i % 2 == 0 ? "INBOX" : "Work", MboxFiles.message(user + i + "@x", "s" + i,
                        "body\r\n"), Set.of(), t.plusSeconds(i));
            }
        }
        first = new CountingProxy("127.0.0.1", PLAIN.port(), ALL);
        second = new CountingProxy("127.0.0.2", PLAIN.port(), ALL);
        ping = PingServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        first.close();
        second.close();
        ping.close();
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(n -> n.endsWith(".mbox")).sorted().toList();
        }
    }

    @Test
    void theOriginalScriptsExampleRunsAsItIsOverTls() throws Exception {
        String example = Files.readString(Path.of("../imapbackup-accounts/src/test/resources/original/config.json"),
                StandardCharsets.UTF_8);
        Path dest = tmp.resolve("email_backup");
        String config = example.replace("/path/to/email_backup", dest.toString())
                .replace("john-secret-1", JOHN).replace("jill-secret-2", JILL)
                .replace("\"host\": \"localhost\"", "\"host\": \"localhost\", \"port\": " + TLS.tlsPort());
        assertThat(config).as("the example as the test needs it").contains("\"port\": " + TLS.tlsPort());
        Path file = Files.writeString(tmp.resolve("config.json"), config, StandardCharsets.UTF_8);
        Path report = tmp.resolve("report.json");

        ChildProgram child = ChildProgram.start(tmp, List.of("-Djavax.net.ssl.trustStore=" + TLS.trustStorePkcs12(),
                "-Djavax.net.ssl.trustStorePassword=" + Dovecot.TRUST_STORE_PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12"), Map.of(),
                "backup", "--config", file.toString(), "--report", report.toString());
        assertThat(child.process().waitFor(180, TimeUnit.SECONDS)).as(child.toString()).isTrue();

        assertThat(child.process().exitValue()).as(child.toString()).isZero();
        assertThat(child.out()).contains("john@microsoft.com: ok, 2 folders, 3 new messages")
                .contains("jill@microsoft.com: ok, 1 folder, 1 new message,")
                .contains("Total: 2 accounts, 2 ok, 0 failed; 4 new messages");
        assertThat(child.err()).as("the passwords written in the file are warned about, never shown")
                .contains("password").doesNotContain(JOHN).doesNotContain(JILL);
        assertThat(files(dest.resolve("john@microsoft.com"))).as("the folders to ignore, with their sub-folders, are not")
                .containsExactly("Archive.mbox", "INBOX.mbox");
        assertThat(files(dest.resolve("jill@microsoft.com"))).containsExactly("INBOX.mbox");
        assertThat(Files.readString(report)).contains("\"exitStatus\":0").contains("\"messagesCopied\":4");
    }

    @Test
    void theNativeFormatKeepsThePerHostLimitReadsEachPasswordSourceAndCallsTheFailureUrl() throws Exception {
        Path ann = Files.writeString(tmp.resolve("ann.pw"), PW + "\n");
        Path ben = Files.writeString(tmp.resolve("ben.pw"), PW + "\n");
        for (Path p : List.of(ann, ben)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
        Path dest = tmp.resolve("mail");
        String yaml = "destination: " + dest + "\n"
                + "connections: {total: 4, perAccount: 2, perHost: 2}\n"
                + "timeout: 30s\n"
                + "notify: {success: '" + ping.url("/ping/9d2e/ok") + "', failure: '" + ping.url("/ping/9d2e/fail")
                + "', retries: 0}\n"
                + "accounts:\n"
                + "  - {email: ann@example.org, user: ann, host: 127.0.0.1, port: " + first.port()
                + ", security: none, password: {file: ann.pw}}\n"
                + "  - {email: ben@example.org, user: ben, host: 127.0.0.1, port: " + first.port()
                + ", security: none, password: {command: [cat, " + ben + "]}}\n"
                + "  - {email: cat@example.org, user: cat, host: 127.0.0.2, port: " + second.port()
                + ", security: none, password: {command: [sh, -c, 'echo oops >&2; exit 3']}}\n"
                + "  - {email: dan@example.org, user: dan, host: 127.0.0.2, port: " + second.port()
                + ", security: none, password: {file: ann.pw}}\n";
        Path file = Files.writeString(tmp.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
        ping.clear();

        CliRun r = CliRun.run("backup", "--config", file.toString());

        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.out).contains("ann@example.org: ok, 2 folders, 4 new messages")
                .contains("ben@example.org: ok, 2 folders, 4 new messages")
                .contains("dan@example.org: ok, 2 folders, 4 new messages")
                .containsPattern("(?m)^cat@example.org: FAILED \\(.*command.*\\)$")
                .contains("failure notification to 127.0.0.1: sent");
        assertThat(r.out + r.err).doesNotContain(PW);
        assertThat(ping.requests()).containsExactly("GET /ping/9d2e/fail");
        assertThat(first.peak()).as("2 per host").isLessThanOrEqualTo(2);
        assertThat(second.peak()).as("2 per host").isLessThanOrEqualTo(2);
        assertThat(ALL.peak()).isLessThanOrEqualTo(4);
        assertThat(dest.resolve("cat@example.org")).doesNotExist();
    }
}
