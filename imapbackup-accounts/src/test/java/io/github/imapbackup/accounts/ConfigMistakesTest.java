package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of mistake, reported with the file, line, column and key, and what to do. */
class ConfigMistakesTest {

    @TempDir
    Path dir;

    @BeforeEach
    void passwordFile() {
        ConfigFiles.secret(dir, "pw", "secret\n");
    }

    private ConfigException mistakes(String name, String content) {
        Path file = ConfigFiles.write(dir, name, content);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigReader.read(file));
        assertThat(e).as("a mistake in\n" + content).isNotNull();
        assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo(file));
        return e;
    }

    private ConfigException.Problem only(String content) {
        ConfigException e = mistakes("c.yaml", content);
        assertThat(e.problems()).as(e.getMessage()).hasSize(1);
        return e.problems().get(0);
    }

    private static final String ACCOUNT = "accounts:\n  - {email: a@example.org, host: imap.example.org, "
            + "password: {file: pw}}\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown key, suggested | destination: /b\\nconections: {total: 2}\\n         | 2 | 1 | conections | did you mean connections?
            unknown key, snake case | destination: /b\\nconnections: {per_account: 2}\\n | 2 | 15 | connections.per_account | did you mean perAccount?
            unknown key, no match | destination: /b\\nfrobnicate: 1\\n                   | 2 | 1 | frobnicate | known: destination, compress
            wrong type, number | destination: /b\\ntimeout: soon\\n                       | 2 | 10 | timeout | a duration such as 120, 90s
            wrong type, map | destination: /b\\nconnections: 4\\n                        | 2 | 14 | connections | expected the connection limits
            out of range | destination: /b\\nconnections: {total: 0}\\n                   | 2 | 22 | connections.total | must be from 1 to 1000, not 0
            timeout out of range | destination: /b\\ntimeout: 0s\\n                     | 2 | 10 | timeout | must be from 1s to 1d, not 0s
            unknown codec | destination: /b\\ncompress: rar\\n                          | 2 | 11 | compress | rar
            unknown layout | destination: /b\\nlayout: tree\\n                          | 2 | 9 | layout | unknown layout "tree" (known: nested, flat)
            bad url | destination: /b\\nnotify: {success: 'ftp://x/y'}\\n              | 2 | 19 | notify.success | http or https URL
            retries | destination: /b\\nnotify: {retries: 11}\\n                      | 2 | 19 | notify.retries | from 0 to 10
            bad regex | destination: /b\\nignoreFolders: [{regex: '(['}]\\n          | 2 | 17 | ignoreFolders[0] | not a valid regular expression
            missing destination | accounts: []\\n                                    | 1 | 1 | destination | missing: the directory the backups go to
            """)
    void aMistakeAtTheTopIsReportedWithLineColumnAndKey(String title, String yaml, int line, int column, String key,
            String message) {
        ConfigException e = mistakes("c.yaml", yaml.replace("\\n", "\n") + (yaml.contains("accounts") ? "" : ACCOUNT));
        ConfigException.Problem p = e.problems().get(0);
        assertThat(p.line()).as(e.getMessage()).isEqualTo(line);
        assertThat(p.column()).as(e.getMessage()).isEqualTo(column);
        assertThat(p.key()).as(e.getMessage()).isEqualTo(key);
        assertThat(p.message()).as(e.getMessage()).contains(message);
        assertThat(e.getMessage()).startsWith(dir.resolve("c.yaml") + ":" + line + ":" + column + ": " + key + ": ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            port not a number | port: https                  | accounts[0].port | expected a whole number from 1 to 65535, not "https"
            port out of range | port: 70000                  | accounts[0].port | must be from 1 to 65535, not 70000
            port zero | port: 0                              | accounts[0].port | must be from 1 to 65535, not 0
            unknown security | security: ssl3                | accounts[0].security | unknown security "ssl3" (known: tls, starttls, none)
            unknown provider | provider: hotmale             | accounts[0].provider | unknown provider "hotmale" (known: gmail, office365
            unknown account key | pasword: x                 | accounts[0].pasword | did you mean password?
            connections | connections: 101                   | accounts[0].connections | must be from 1 to 100
            directory | directory: ../elsewhere              | accounts[0].directory | one name inside the destination
            insecure with none | security: none, insecure: true | accounts[0] | security none has no TLS
            oauth2 and password | oauth2: {tokenFile: pw}    | accounts[0].oauth2 | give a password or oauth2, not both
            http endpoint | oauth2: {endpoint: 'http://example.com/t', clientId: c, refreshToken: {file: pw}} | accounts[0].oauth2.endpoint | must be an https URL
            no endpoint | oauth2: {clientId: c, refreshToken: {file: pw}} | accounts[0].oauth2.endpoint | missing: the token endpoint
            tenant twice | oauth2: {endpoint: 'microsoft:a', tenant: b, clientId: c, refreshToken: {file: pw}} | accounts[0].oauth2.tenant | the tenant is given twice
            no client id | oauth2: {endpoint: google, refreshToken: {file: pw}} | accounts[0].oauth2.clientId | missing: the OAuth2 client's id
            """)
    void aMistakeInAnAccountNamesTheAccountsKey(String title, String extra, String key, String message) {
        ConfigException e = mistakes("c.yaml", "destination: /b\naccounts:\n  - {email: a@example.org, "
                + "host: imap.example.org, password: {file: pw}}\n  - {email: b@example.org, host: imap.example.org, "
                + (extra.startsWith("oauth2") && !title.contains("password") ? "" : "password: {file: pw}, ") + extra
                + "}\n");
        assertThat(e.problems()).as(e.getMessage()).hasSize(1);
        ConfigException.Problem p = e.problems().get(0);
        assertThat(p.key()).isEqualTo(key.replace("[0]", "[1]"));
        assertThat(p.line()).isEqualTo(4);
        assertThat(p.message()).contains(message);
    }

    @Test
    void missingRequiredKeysAreNamed() {
        ConfigException e = mistakes("c.yaml", """
                destination: /b
                accounts:
                  - {email: a@example.org, password: {file: pw}}
                  - {host: imap.example.org, password: {file: pw}}
                  - {email: c@example.org, host: imap.example.org}
                """);
        assertThat(e.problems()).extracting(ConfigException.Problem::key)
                .containsExactly("accounts[0].host", "accounts[1].user", "accounts[2].password");
        assertThat(e.problems()).extracting(ConfigException.Problem::line).containsExactly(3, 4, 5);
        assertThat(e.problems().get(0).message()).contains("or a provider (provider: gmail)");
        assertThat(e.problems().get(2).message()).contains("{file: PATH}");
        assertThat(mistakes("c.yaml", "destination: /b\n").problems().get(0).key()).isEqualTo("accounts");
    }

    @Test
    void twoAccountsWithOneNameOrDirectoryAreRefused() {
        ConfigException e = mistakes("c.yaml", """
                destination: /b
                accounts:
                  - {email: a@example.org, host: h, password: {file: pw}}
                  - {email: a@example.org, host: h2, password: {file: pw}}
                  - {name: x, directory: A@Example.org, user: u, host: h, password: {file: pw}}
                """);
        assertThat(e.problems()).extracting(ConfigException.Problem::key)
                .containsExactly("accounts[1]", "accounts[2]");
        assertThat(e.problems().get(0).message()).contains("a@example.org is also accounts[0] (line 3)")
                .contains("unique name");
        assertThat(e.problems().get(1).message()).contains("same directory as accounts[0] (line 3;");
        ConfigException original = mistakes("config.json", """
                {"destination": "/b", "total_processes": 2, "accounts": [
                  {"email": "a@example.org", "password": "x", "host": "h"},
                  {"email": "a@example.org", "password": "y", "host": "h"}]}
                """);
        assertThat(original.problems().get(0).message()).contains("unique email");
        assertThat(original.problems().get(0).line()).isEqualTo(3);
    }

    @Test
    void filesAndVariablesThatCannotBeReadAreFoundBeforeAnythingConnects() throws Exception {
        Files.createDirectories(dir.resolve("adir"));
        ConfigException e = mistakes("c.yaml", """
                destination: /b
                accounts:
                  - {email: a@example.org, host: h, password: {file: missing.pass}}
                  - {email: b@example.org, host: h, password: {file: adir}}
                  - {email: c@example.org, host: h, password: {env: IMAPBACKUP_TEST_SURELY_NOT_SET_42}}
                  - {email: d@example.org, host: h, password: {env: 'hunter2 is my password'}}
                  - {email: e@example.org, host: h, password: {file: pw}, trustStore: nope.pem}
                  - {email: f@example.org, host: h, password: {file: pw},
                     clientCertificate: {certificate: nope.crt, key: pw}}
                  - {email: g@example.org, host: h, password: {command: []}}
                  - {email: h@example.org, host: h, password: {file: pw, env: X}}
                  - {email: i@example.org, host: h, password: [hunter2]}
                """);
        assertThat(e.problems()).extracting(ConfigException.Problem::key).containsExactly(
                "accounts[0].password.file", "accounts[1].password.file", "accounts[2].password.env",
                "accounts[3].password.env", "accounts[4].trustStore", "accounts[5].clientCertificate.certificate",
                "accounts[6].password.command", "accounts[7].password", "accounts[8].password");
        assertThat(e.problems().get(0).message()).contains(dir.toAbsolutePath().resolve("missing.pass").toString())
                .contains("does not exist");
        assertThat(e.problems().get(1).message()).contains("is a directory");
        assertThat(e.problems().get(2).message()).doesNotContain("IMAPBACKUP_TEST").contains("no environment variable of that name is set for the password"
                + " (set it");
        assertThat(e.problems().get(3).message()).contains("not the name of an environment variable");
        assertThat(e.problems().get(6).message()).contains("no program given");
        assertThat(e.problems().get(7).message()).contains("give one of file, env");
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void everyMistakeIsReportedAtOnceInTheOrderOfTheFile() {
        ConfigException e = mistakes("c.yaml", """
                destination: /b
                compress: rar
                accounts:
                  - {email: a@example.org, host: h, port: 0, password: {file: pw}}
                  - {email: b@example.org, host: h, security: tls1, password: {file: pw}, colour: blue}
                timeout: never
                """);
        assertThat(e.problems()).extracting(ConfigException.Problem::line).containsExactly(2, 4, 5, 5, 6);
        assertThat(e.getMessage().lines()).hasSize(5);
    }

    @Test
    void syntaxErrorsHaveTheirLine() {
        ConfigException yaml = mistakes("c.yaml", "destination: /b\naccounts:\n  - email: a\n   host: h\n");
        assertThat(yaml.problems().get(0).line()).isEqualTo(4);
        assertThat(yaml.problems().get(0).message()).startsWith("not valid YAML: ");
        ConfigException json = mistakes("c.json", "{\n  \"destination\": \"/b\"\n  \"accounts\": []\n}\n");
        assertThat(json.problems().get(0).line()).isEqualTo(3);
        assertThat(json.problems().get(0).message()).startsWith("not valid JSON: ");
        ConfigException twice = mistakes("c.yaml", "destination: /a\ndestination: /b\n" + ACCOUNT);
        assertThat(twice.problems().get(0).message()).contains("given twice (also on line 1)");
        assertThat(twice.problems().get(0).line()).isEqualTo(2);
    }

    @Test
    void anAliasWithoutItsAnchorIsAMistakeNotAName() {
        // the YAML parser keeps no anchor on a single value: its alias must not become the text "h"
        ConfigException e = mistakes("c.yaml", """
                destination: /b
                accounts:
                  - {email: a@example.org, host: &h imap.example.org, password: {file: pw}}
                  - {email: b@example.org, host: *h, password: {file: pw}}
                  - {<<: *nothing, email: c@example.org}
                """);
        assertThat(e.problems()).extracting(ConfigException.Problem::key).startsWith("accounts[1].host",
                "accounts[2].<<");
        assertThat(e.problems().get(0).message()).contains("the alias *h names no anchor before it");
    }

    @Test
    void aFileThatIsNoConfigurationSaysSo() throws Exception {
        assertThat(mistakes("c.yaml", "").getMessage()).contains("the file is empty");
        assertThat(mistakes("c.yaml", "- a\n- b\n").getMessage()).contains("expected a map of keys");
        Path missing = dir.resolve("none.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigReader.read(missing));
        assertThat(e.getMessage()).isEqualTo(missing + ": the configuration file does not exist");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ConfigReader.read(dir)).getMessage())
                .contains("is a directory");
    }

    @Test
    void bothFormatsMixedAreRefused() {
        ConfigException e = mistakes("config.json", """
                {"destination": "/b", "total_processes": 2, "connections": {"total": 3},
                 "accounts": [{"email": "a@example.org", "password": "x", "host": "h"}]}
                """);
        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains("mixes the original script's config.json keys (total_processes (line 1))"
                + " with this program's format (connections (line 1))");
    }

    @Test
    void theOriginalsMistakesUseItsKeys() {
        ConfigException e = mistakes("config.json", """
                {"destination": "/b", "total_processes": "many",
                 "accounts": [{"password": "x", "host": "h", "ssl": "maybe"},
                              {"email": "j@example.com", "host": "outlook.office365.com", "oauth2": "john"},
                              {"email": "k@example.com", "host": "h", "pasword": "x"}],
                 "oauth2": {"john": {"type": "o365", "client_id": "c", "tenant_id": "t"}}}
                """);
        assertThat(e.problems()).extracting(ConfigException.Problem::key).containsExactly("total_processes",
                "accounts[0].email", "accounts[0].ssl", "accounts[2].password", "accounts[2].pasword",
                "oauth2.john.refresh_token_file");
        assertThat(e.problems().get(5).message()).contains("needs a refresh token instead");
        assertThat(e.problems().get(4).message()).contains("did you mean password?");
    }

    @Test
    void aPasswordFileOthersCanReadIsWarnedAbout() throws Exception {
        Path pw = ConfigFiles.secret(dir, "open.pass", "secret");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r--r--"));
        BackupConfig c = ConfigReader.read(ConfigFiles.write(dir, "c.yaml",
                "destination: /b\naccounts:\n  - {email: a@example.org, host: h, password: {file: open.pass}}\n"));
        assertThat(c.warnings()).singleElement().asString().contains("c.yaml:3: accounts[0].password.file: ")
                .contains("the file for the password " + pw + " is readable by every user of this machine (rw-r--r--):"
                        + " run chmod 600 " + pw);
    }

    @Test
    void aSecretFileItsGroupCanReadIsWarnedAboutOnceWithAQuotedPath() throws Exception {
        Path pw = ConfigFiles.secret(dir, "group's.pass", "secret");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(SecretFiles.exposure(pw, "the password file")).contains("the password file " + pw
                + " is readable by the users of its group (rw-r-----): run chmod 600 '"
                + pw.toString().replace("'", "'\\''") + "'");
        assertThat(SecretFiles.exposure(pw, "the password file")).as("once a run").isEmpty();
        Path own = ConfigFiles.secret(dir, "own.pass", "secret");
        assertThat(SecretFiles.exposure(own, "the password file")).isEmpty();
        assertThat(SecretFiles.firstLine(pw, "the password file")).containsExactly("secret".toCharArray());
    }

    @Test
    void plainImapAndPasswordsInTheFileAreWarnedAbout() throws Exception {
        Path file = ConfigFiles.write(dir, "c.yaml", """
                destination: /b
                accounts:
                  - {email: a@example.org, host: h, security: none, password: {file: pw}}
                  - {email: b@example.org, host: h, password: hunter2, insecure: true}
                """);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        BackupConfig c = ConfigReader.read(file);
        assertThat(c.warnings()).hasSize(2);
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("accounts[1].password: the password is written"
                + " in the configuration file").endsWith("instead; meanwhile, the configuration file " + file
                + " is readable by every user of this machine (rw-r--r--): run chmod 600 " + file));
        assertThat(String.join("\n", c.warnings())).doesNotContain("hunter2").contains("accounts[1].password")
                .contains("accounts[1].insecure");
        assertThat(List.copyOf(c.warnings())).isEqualTo(c.warnings());
    }
}
