package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.imap.Security;
import io.github.imapbackup.mbox.Layout;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every key of this program's format and of the original script's config.json, read into the model. */
class ConfigReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsEveryKeyOfTheYamlFormat() throws Exception {
        BackupConfig c = ConfigReader.read(ConfigFiles.resource(dir, "config/complete.yaml"));
        Path d = dir.toAbsolutePath().normalize();
        assertThat(c.destination()).isEqualTo(d.resolve("backups"));
        assertThat(c.compress()).isEqualTo("bzip2");
        assertThat(c.layout()).contains(Layout.FLAT);
        assertThat(c.totalConnections()).isEqualTo(8);
        assertThat(c.connectionsPerAccount()).isEqualTo(3);
        assertThat(c.connectionsPerHost()).isEqualTo(6);
        assertThat(c.ignoreFolders()).containsExactly(FolderRule.name("Trash"), FolderRule.regex("(?i).*spam.*"));
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.metadataBatch()).isEqualTo(250);
        assertThat(c.fetchSize()).isEqualTo(256 * 1024);
        assertThat(c.rateLimit()).isEqualTo(new RateLimit(5_000_000, 20));
        assertThat(c.notifications()).isEqualTo(new Notifications(URI.create("https://hc-ping.example.org/1234"),
                URI.create("https://hc-ping.example.org/1234/fail"), Duration.ofSeconds(5), 2));
        assertThat(c.file()).isPresent();
        assertThat(c.accounts()).extracting(AccountConfig::name).containsExactly("alice", "bob@gmail.com",
                "carol@example.com", "dave@mail.example.net", "erin@example.com", "frank@example.com");

        AccountConfig alice = c.accounts().get(0);
        assertThat(alice.email()).contains("alice@example.org");
        assertThat(alice.host()).isEqualTo("imap.example.org");
        assertThat(alice.port()).isEqualTo(1993);
        assertThat(alice.security()).isEqualTo(Security.TLS);
        assertThat(alice.user()).isEqualTo("alice");
        assertThat(alice.credentials()).isEqualTo(Credentials.passwordFile(d.resolve("secrets/alice.pass")));
        assertThat(alice.clientCertificate()).contains(ClientCertificateFiles.pkcs12(d.resolve("secrets/alice.p12"),
                Credentials.environment("HOME")));
        assertThat(alice.trustStore()).contains(d.resolve("certs/ca.pem"));
        assertThat(alice.connections()).isEqualTo(1);
        assertThat(alice.ignoreFolders()).containsExactly(FolderRule.name("Archive/Old"));
        assertThat(alice.includeFolders()).containsExactly(FolderRule.name("INBOX"), FolderRule.regex("Projects/.*"));
        assertThat(alice.rateLimit()).contains(new RateLimit(1 << 20, 0));
        assertThat(alice.directory()).isEqualTo("alice-mail");
        assertThat(alice.provider()).isEqualTo(Provider.NONE);

        AccountConfig bob = c.accounts().get(1);
        assertThat(bob.provider()).isEqualTo(Provider.GMAIL);
        assertThat(bob.host()).isEqualTo("imap.gmail.com");
        assertThat(bob.user()).isEqualTo("bob@gmail.com");
        assertThat(bob.gmailLabelCopies()).isTrue();
        assertThat(bob.credentials()).isEqualTo(new Credentials.OAuth2(URI.create("https://oauth2.googleapis.com/token"),
                "bob-client.apps.googleusercontent.com", Credentials.passwordFile(d.resolve("secrets/google-client.secret")),
                new Credentials.Command(List.of("cat", "secrets/bob.refresh"), Duration.ofSeconds(10)),
                null, d.resolve("cache/bob.json")));
        assertThat(c.rateLimitFor(bob)).isEqualTo(new RateLimit(Provider.GMAIL_BYTES_PER_SECOND, 20));

        AccountConfig carol = c.accounts().get(2);
        assertThat(carol.host()).isEqualTo("outlook.office365.com");
        assertThat(carol.credentials()).isEqualTo(Credentials.environment("HOME"));
        assertThat(c.ignoreFoldersFor(carol)).contains(FolderRule.name("Calendar"), FolderRule.name("Trash"));

        AccountConfig dave = c.accounts().get(3);
        assertThat(dave.security()).isEqualTo(Security.STARTTLS);
        assertThat(dave.port()).isEqualTo(143);
        assertThat(dave.credentials()).isEqualTo(Credentials.command(List.of("pass", "show", "mail/dave")));
        assertThat(dave.clientCertificate()).contains(ClientCertificateFiles.pem(d.resolve("certs/dave.crt"),
                d.resolve("secrets/dave.key")));
        assertThat(dave.insecure()).isFalse();

        AccountConfig erin = c.accounts().get(4);
        assertThat(erin.credentials()).isEqualTo(new Credentials.OAuth2(
                URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"),
                "00000000-1111-2222-3333-444444444444", null, Credentials.passwordFile(d.resolve("secrets/erin.refresh")),
                "https://outlook.office.com/IMAP.AccessAsUser.All offline_access", null));

        AccountConfig frank = c.accounts().get(5);
        assertThat(frank.credentials()).isEqualTo(Credentials.oauth2TokenFile(d.resolve("secrets/frank.token")));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void theJsonEquivalentGivesAnEqualModel() throws Exception {
        Path yamlDir = dir.resolve("y");
        Path jsonDir = dir.resolve("j");
        java.nio.file.Files.createDirectories(yamlDir);
        java.nio.file.Files.createDirectories(jsonDir);
        BackupConfig yaml = ConfigReader.read(ConfigFiles.resource(yamlDir, "config/complete.yaml"));
        BackupConfig json = ConfigReader.read(ConfigFiles.resource(jsonDir, "config/complete.json"));
        // the same but for the directory each file is in
        BackupConfig moved = json.toBuilder().destination(yamlDir.toAbsolutePath().resolve("backups")).accounts(
                json.accounts().stream().map(a -> move(a, jsonDir, yamlDir)).toList()).build();
        assertThat(moved).isEqualTo(yaml);
        // and the same file with another name is sniffed by its first character
        Path noSuffix = ConfigFiles.write(jsonDir, "config", java.nio.file.Files.readString(jsonDir.resolve("complete.json")));
        assertThat(ConfigReader.read(noSuffix)).isEqualTo(json);
    }

    private static AccountConfig move(AccountConfig a, Path from, Path to) {
        String f = from.toAbsolutePath().toString();
        String t = to.toAbsolutePath().toString();
        String text = a.toString();
        assertThat(text).isNotNull();
        AccountConfig.Builder b = a.toBuilder();
        a.trustStore().ifPresent(p -> b.trustStore(Path.of(p.toString().replace(f, t))));
        a.clientCertificate().ifPresent(c -> b.clientCertificate(c instanceof ClientCertificateFiles.Pem pem
                ? ClientCertificateFiles.pem(Path.of(pem.certificate().toString().replace(f, t)),
                        Path.of(pem.key().toString().replace(f, t)))
                : ClientCertificateFiles.pkcs12(Path.of(((ClientCertificateFiles.Pkcs12) c).file().toString()
                        .replace(f, t)), ((ClientCertificateFiles.Pkcs12) c).password())));
        b.credentials(moveCredentials(a.credentials(), f, t));
        return b.build();
    }

    private static Credentials moveCredentials(Credentials c, String f, String t) {
        if (c instanceof Credentials.PasswordFile p) {
            return Credentials.passwordFile(Path.of(p.file().toString().replace(f, t)));
        }
        if (c instanceof Credentials.OAuth2TokenFile p) {
            return Credentials.oauth2TokenFile(Path.of(p.file().toString().replace(f, t)));
        }
        if (c instanceof Credentials.OAuth2 o) {
            return new Credentials.OAuth2(o.tokenEndpoint(), o.clientId(),
                    o.clientSecret() == null ? null : (Credentials.SecretSource) moveCredentials(o.clientSecret(), f, t),
                    (Credentials.SecretSource) moveCredentials(o.refreshToken(), f, t), o.scope(),
                    o.cacheFile() == null ? null : Path.of(o.cacheFile().toString().replace(f, t)));
        }
        return c;
    }

    @Test
    void readsTheOriginalScriptsExampleAsItIs() throws Exception {
        BackupConfig c = ConfigReader.read(ConfigFiles.resource(dir, "original/config.json"));
        assertThat(c.destination()).isEqualTo(Path.of("/path/to/email_backup"));
        assertThat(c.totalConnections()).isEqualTo(3);
        assertThat(c.connectionsPerAccount()).isEqualTo(2);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.ignoreFolders()).extracting(FolderRule::text).containsExactly("Calendar", "Contacts",
                "Conversation History", "Journal", "Quick Step Settings", "RSS Feeds", "Suggested Contacts",
                "Sync Issues", "Tasks", "Working Set");
        assertThat(c.accounts()).hasSize(2);
        AccountConfig john = c.accounts().get(0);
        assertThat(john.name()).isEqualTo("john@microsoft.com");
        assertThat(john.user()).isEqualTo("john@microsoft.com");
        assertThat(john.directory()).isEqualTo("john@microsoft.com");
        assertThat(john.host()).isEqualTo("localhost");
        assertThat(john.security()).isEqualTo(Security.TLS);
        assertThat(john.port()).isEqualTo(993);
        assertThat(john.connections()).isEqualTo(1);
        assertThat(c.connectionsFor(john)).isEqualTo(1);
        assertThat(c.connectionsFor(c.accounts().get(1))).isEqualTo(2);
        assertThat(((Credentials.SecretSource) john.credentials()).read()).containsExactly("john-secret-1".toCharArray());
        assertThat(c.warnings()).hasSize(2).allSatisfy(w -> assertThat(w)
                .contains("config.json:").contains("the password is written in the configuration file")
                .contains("{\"file\": \"PATH\"}").doesNotContain("secret-1").doesNotContain("secret-2"));
        assertThat(c.warnings().get(0)).contains(":20: accounts[0].password");
    }

    @Test
    void readsEveryKeyOfTheOriginal() throws Exception {
        ConfigFiles.secret(dir, "john.crt", "cert");
        ConfigFiles.secret(dir, "john.key", "key");
        ConfigFiles.secret(dir, "jill.refresh", "rt");
        Path file = ConfigFiles.write(dir, "config.json", """
                {
                  "destination": "mail",
                  "total_processes": 6,
                  "processes_per_account": 3,
                  "success_url": "https://hc-ping.example.org/abc",
                  "ignore_mailboxes": ["Junk"],
                  "timeout": 30,
                  "header_batch_size": 200,
                  "email_batch_size": 20,
                  "oauth2_cache": "cache",
                  "oauth2": {"jill": {"type": "o365", "client_id": "cid", "tenant_id": "tid",
                                      "email": "jill@example.com", "refresh_token_file": "jill.refresh"}},
                  "accounts": [
                    {"email": "john@example.com", "username": "john", "password": "pw", "host": "mail.example.com",
                     "port": 1143, "ssl": false, "processes_per_account": 1, "ignore_mailboxes": ["Spam"]},
                    {"email": "jill@example.com", "host": "outlook.office365.com", "oauth2": "jill"},
                    {"email": "joe@example.com", "password": "pw", "host": "127.0.0.1", "ssl": false,
                     "certfile": "john.crt"},
                    {"email": "jack@example.com", "password": "pw", "host": "mail.example.com", "ssl": true,
                     "keyfile": "john.key", "certfile": "john.crt"}
                  ]
                }
                """);
        BackupConfig c = ConfigReader.read(file);
        Path d = dir.toAbsolutePath().normalize();
        assertThat(c.destination()).isEqualTo(d.resolve("mail"));
        assertThat(c.totalConnections()).isEqualTo(6);
        assertThat(c.connectionsPerAccount()).isEqualTo(3);
        assertThat(c.notifications().successUrl()).contains(URI.create("https://hc-ping.example.org/abc"));
        assertThat(c.notifications().failureUrl()).isEmpty();
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.metadataBatch()).isEqualTo(200);
        AccountConfig john = c.accounts().get(0);
        assertThat(john.user()).isEqualTo("john");
        assertThat(john.security()).isEqualTo(Security.NONE);
        assertThat(john.port()).isEqualTo(1143);
        assertThat(john.connections()).isEqualTo(1);
        assertThat(c.accounts().get(3).clientCertificate()).contains(ClientCertificateFiles.pem(d.resolve("john.crt"),
                d.resolve("john.key")));
        assertThat(c.ignoreFoldersFor(john)).containsExactly(FolderRule.name("Junk"), FolderRule.name("Spam"));
        AccountConfig jill = c.accounts().get(1);
        assertThat(jill.credentials()).isEqualTo(new Credentials.OAuth2(
                URI.create("https://login.microsoftonline.com/tid/oauth2/v2.0/token"), "cid", null,
                Credentials.passwordFile(d.resolve("jill.refresh")),
                "https://outlook.office.com/IMAP.AccessAsUser.All offline_access",
                d.resolve("cache/oauth2_o365_jill.imapbackup.json")));
        assertThat(jill.provider()).isEqualTo(Provider.OFFICE365);
        AccountConfig joe = c.accounts().get(2);
        assertThat(joe.security()).isEqualTo(Security.NONE);
        assertThat(joe.port()).isEqualTo(143);
        assertThat(joe.clientCertificate()).isEmpty();
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("accounts[2].certfile").contains("needs TLS"));
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("email_batch_size").contains("no effect"));
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("accounts[0].ssl").contains("unencrypted"));
        assertThat(c.warnings()).noneSatisfy(w -> assertThat(w).contains("accounts[2].ssl"));
    }

    @Test
    void anAccountOverridesItsPreset() throws Exception {
        ConfigFiles.secret(dir, "pw", "x");
        BackupConfig c = ConfigReader.read(ConfigFiles.write(dir, "c.yaml", """
                destination: /b
                accounts:
                  - {email: a@gmail.com, provider: gmail, password: {file: pw}}
                  - {email: b@gmail.com, provider: google, host: imap.googlemail.com, port: 1993,
                     rateLimit: {messagesPerSecond: 1.5}, password: {file: pw}}
                  - {email: c@icloud.com, provider: iCloud, password: {file: pw}}
                  - {email: d@fastmail.com, provider: fastmail, password: {file: pw}}
                  - {email: e@yahoo.com, provider: yahoo, password: {file: pw}}
                  - {email: f@example.org, provider: none, host: imap.gmail.com, password: {file: pw}}
                """));
        List<AccountConfig> a = c.accounts();
        assertThat(a).extracting(AccountConfig::host).containsExactly("imap.gmail.com", "imap.googlemail.com",
                "imap.mail.me.com", "imap.fastmail.com", "imap.mail.yahoo.com", "imap.gmail.com");
        assertThat(a).extracting(AccountConfig::port).containsExactly(993, 1993, 993, 993, 993, 993);
        assertThat(c.rateLimitFor(a.get(0))).isEqualTo(new RateLimit(23_000, 0));
        assertThat(c.rateLimitFor(a.get(1))).isEqualTo(new RateLimit(0, 1.5));
        assertThat(a.get(5).provider()).isEqualTo(Provider.NONE);
        assertThat(c.rateLimitFor(a.get(5))).isEqualTo(RateLimit.NONE);
        assertThat(c.warnings()).isEmpty();
        // a preset found by the host, with a cap the account did not ask for, is said
        BackupConfig found = ConfigReader.read(ConfigFiles.write(dir, "found.json", """
                {"destination": "/b", "total_processes": 2,
                 "accounts": [{"email": "a@gmail.com", "password": "x", "host": "imap.gmail.com", "ssl": 1}]}
                """));
        assertThat(found.accounts().get(0).provider()).isEqualTo(Provider.GMAIL);
        assertThat(found.warnings()).anySatisfy(w -> assertThat(w).contains("found.json:2: accounts[0]: the Gmail "
                + "preset applies to imap.gmail.com, with its cap of 23000 bytes/s"));
    }

    @Test
    void anOAuth2EndpointIsNamedAsOnTheCommandLine() throws Exception {
        ConfigFiles.secret(dir, "rt", "refresh");
        BackupConfig c = ConfigReader.read(ConfigFiles.write(dir, "c.yaml", """
                destination: /b
                accounts:
                  - {email: a@example.org, host: h, oauth2: {endpoint: gmail, clientId: c, refreshToken: {file: rt}}}
                  - {email: b@example.org, host: h, oauth2: {endpoint: 'microsoft:contoso.com', clientId: c,
                     refreshToken: {file: rt}}}
                  - {email: c@example.org, host: h, oauth2: {endpoint: 'http://127.0.0.1:9999/token', clientId: c,
                     refreshToken: {file: rt}, scope: imap}}
                """));
        List<Credentials.OAuth2> o = c.accounts().stream().map(a -> (Credentials.OAuth2) a.credentials()).toList();
        assertThat(o.get(0).tokenEndpoint()).isEqualTo(URI.create("https://oauth2.googleapis.com/token"));
        assertThat(o.get(0).scope()).isNull();
        assertThat(o.get(1).tokenEndpoint())
                .isEqualTo(URI.create("https://login.microsoftonline.com/contoso.com/oauth2/v2.0/token"));
        assertThat(o.get(1).scope()).isEqualTo("https://outlook.office.com/IMAP.AccessAsUser.All offline_access");
        assertThat(o.get(2).tokenEndpoint()).isEqualTo(URI.create("http://127.0.0.1:9999/token"));
        assertThat(o.get(2).scope()).isEqualTo("imap");
    }

    @Test
    void yamlAnchorsAndMergeKeysShareSettingsBetweenAccounts() throws Exception {
        ConfigFiles.secret(dir, "pw", "x");
        BackupConfig c = ConfigReader.read(ConfigFiles.write(dir, "c.yaml", """
                destination: /b
                accounts:
                  - &office
                    email: a@example.com
                    provider: office365
                    password: {file: pw}
                    ignoreFolders: &junk [Junk]
                  - <<: *office
                    email: b@example.com
                  - {<<: [*office], email: c@example.com, ignoreFolders: *junk, connections: 1}
                """));
        assertThat(c.accounts()).extracting(AccountConfig::name).containsExactly("a@example.com", "b@example.com",
                "c@example.com");
        assertThat(c.accounts()).allSatisfy(a -> {
            assertThat(a.host()).isEqualTo("outlook.office365.com");
            assertThat(a.ignoreFolders()).containsExactly(FolderRule.name("Junk"));
        });
        assertThat(c.accounts().get(2).connections()).isEqualTo(1);
    }
}
