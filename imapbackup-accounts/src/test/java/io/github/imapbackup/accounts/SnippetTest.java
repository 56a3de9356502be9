package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the Javadoc snippets of the configuration model, and docs/CONFIG.md's "From Java", compiling and true. */
@Timeout(30)
class SnippetTest {

    @TempDir
    Path dir;

    /** {@link BackupConfig}'s snippet. */
    @Test
    void backupConfig() {
        BackupConfig config = BackupConfig.builder()
                .destination(Path.of("/srv/mail-backup"))
                .compress("gzip")
                .account(AccountConfig.builder()
                        .email("alice@example.org")
                        .host("imap.example.org")
                        .credentials(Credentials.environment("ALICE_PASSWORD"))
                        .build())
                .build();
        for (AccountConfig account : config.accounts()) {
            int connections = config.connectionsFor(account);   // the account's, within the limits
            assertThat(connections).isEqualTo(2);
        }
    }

    /** {@link AccountConfig}'s and {@link Provider}'s snippets. */
    @Test
    void accountAndProvider() {
        AccountConfig alice = AccountConfig.builder()
                .email("alice@example.org")                  // also the user, the name and the directory
                .host("imap.example.org")                    // TLS on 993 unless said otherwise
                .credentials(Credentials.passwordFile(Path.of("/etc/imapbackup/alice.pass")))
                .build();
        AccountConfig gmail = AccountConfig.builder()
                .provider(Provider.GMAIL)                 // imap.gmail.com:993, TLS, 23,000 bytes/s
                .user("alice@gmail.com")
                .credentials(Credentials.passwordFile(Path.of("alice.pass")))   // an app password
                .build();
        assertThat(alice.port()).isEqualTo(993);
        assertThat(gmail.host()).isEqualTo("imap.gmail.com");
        assertThat(gmail.provider().rateLimit().bytesPerSecond()).isEqualTo(23_000);
    }

    /** {@link SecretFiles}' snippet. */
    @Test
    void secretFiles() throws Exception {
        Path file = ConfigFiles.secret(dir, "snippet.pass", "pw\n");
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(
                "rw-r--r--"));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        SecretFiles.exposure(file, "the password file").ifPresent(err::println);
        char[] password = SecretFiles.firstLine(file, "the password file");
        assertThat(password).containsExactly('p', 'w');
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("chmod 600 " + file);
    }

    /** {@link Credentials}' snippet. */
    @Test
    void credentials() throws Exception {
        Path file = ConfigFiles.secret(dir, "alice.pass", "pw\n");
        Credentials.SecretSource pw = Credentials.passwordFile(file);
        char[] secret = pw.read();            // the first line of the file
        try {
            assertThat(secret).containsExactly('p', 'w');
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /** {@link ConfigReader}'s snippet. */
    @Test
    void configReader() throws Exception {
        Path file = ConfigFiles.write(dir, "config.yaml", "destination: /b\naccounts:\n  - {email: a@example.org, "
                + "host: h, password: written-here}\n");
        BackupConfig config;
        try {
            config = ConfigReader.read(file);
        } catch (ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        assertThat(config.warnings()).hasSize(1);
    }

    /** The snippets of the small values. */
    @Test
    void values() {
        RateLimit gmail = new RateLimit(23_000, 0);          // about 2 GB a day, no cap on messages
        RateLimit both = gmail.stricter(new RateLimit(0, 5)); // 23,000 bytes/s and 5 messages/s
        assertThat(both).isEqualTo(new RateLimit(23_000, 5));
        List<FolderRule> ignore = List.of(FolderRule.name("Calendar"), FolderRule.regex("(?i).*spam.*"));
        boolean skip = ignore.stream().anyMatch(r -> r.matches("Calendar/Birthdays", "/"));
        assertThat(skip).isTrue();
        Notifications notify = new Notifications(URI.create("https://hc-ping.com/uuid"),
                URI.create("https://hc-ping.com/uuid/fail"), Duration.ofSeconds(10), 3);
        assertThat(notify.successUrl()).isPresent();
        ClientCertificateFiles p12 = ClientCertificateFiles.pkcs12(Path.of("me.p12"),
                Credentials.passwordFile(Path.of("me.p12.pass")));
        ClientCertificateFiles pem = ClientCertificateFiles.pem(Path.of("me.crt"), Path.of("me.key"));
        assertThat(p12).isNotEqualTo(pem);
    }

    /** docs/CONFIG.md, "From Java" (with gzip: the test has no zstd codec). */
    @Test
    void configMdFromJava() {
        BackupConfig config = BackupConfig.builder()
                .destination(Path.of("/srv/mail-backup"))
                .compress("gzip")
                .totalConnections(8)
                .ignoreFolders(List.of(FolderRule.name("Trash")))
                .notifications(Notifications.NONE.withSuccess(URI.create("https://hc-ping.com/your-uuid")))
                .account(AccountConfig.builder()
                        .email("alice@example.org")
                        .host("imap.example.org")
                        .credentials(Credentials.passwordFile(Path.of("/etc/imapbackup/alice.pass")))
                        .build())
                .account(AccountConfig.builder()
                        .provider(Provider.GMAIL)
                        .email("bob@gmail.com")
                        .credentials(Credentials.oauth2(Provider.GMAIL.tokenEndpoint().orElseThrow(),
                                "1234-abc.apps.googleusercontent.com",
                                Credentials.passwordFile(Path.of("/etc/imapbackup/bob.refresh"))))
                        .build())
                .build();
        assertThat(config.accounts()).hasSize(2);
    }
}
