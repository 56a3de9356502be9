package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.imap.Security;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

@Timeout(20)
class OptionsTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    /** Parses a backup command line and resolves its settings, as {@code backup} would. */
    private BackupSettings backupSettings(Map<String, String> env, String... args) {
        Context ctx = new Context(new PrintStream(PrintStream.nullOutputStream()), err, Environment.of(env));
        CommandLine cmd = Main.commandLine(ctx);
        CommandLine.ParseResult parsed = cmd.parseArgs(args);
        BackupCommand backup = (BackupCommand) parsed.subcommand().commandSpec().userObject();
        return backup.settings();
    }

    private Path passwordFile(String content) throws IOException {
        Path f = tmp.resolve("pw");
        Files.writeString(f, content);
        return f;
    }

    /** Server and backup options, in the original script's spellings too, give the same settings. */
    @Nested
    class Settings {

        @Test
        void originalScriptSpellingsGiveTheSameSettings() throws IOException {
            Path pw = passwordFile("s3cret\n");
            BackupSettings modern = backupSettings(Map.of(), "backup", "--host", "imap.example.org", "--port", "993",
                    "--security", "tls", "--user", "alice", "--password-file", pw.toString(), "--dir", "/backup",
                    "--folder", "INBOX", "--folder", "Sent", "--exclude", "\\QTrash\\E", "--timeout", "30",
                    "--compress", "gzip", "--quiet");
            BackupSettings original = backupSettings(Map.of(), "backup", "-s", "imap.example.org:993", "-e", "-u",
                    "alice", "-p", "@" + pw, "-d", "/backup", "-f", "INBOX,Sent", "--exclude-folders", "Trash",
                    "-t", "30", "-z", "--nospinner");
            assertThat(original.server().host()).isEqualTo("imap.example.org");
            assertThat(original.server().port()).isEqualTo(993);
            assertThat(original.server().security()).isEqualTo(Security.TLS);
            assertThat(original.server().timeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(((Credential.Password) original.server().credential()).secret()).isEqualTo("s3cret".toCharArray());
            assertThat(original.store().codec()).isEqualTo("gzip");
            assertThat(original.folders()).containsExactly("INBOX", "Sent");
            assertThat(original.excludes()).hasSize(1);
            assertThat(List.of("Trash")).allMatch(n -> n.matches(original.excludes().get(0)));
            assertThat("Trash2".matches(original.excludes().get(0))).isFalse();
            assertThat(original.quiet()).isTrue();
            // The same settings, apart from where the password came from.
            assertThat(original.server().host()).isEqualTo(modern.server().host());
            assertThat(original.server().port()).isEqualTo(modern.server().port());
            assertThat(original.server().security()).isEqualTo(modern.server().security());
            assertThat(original.server().user()).isEqualTo(modern.server().user());
            assertThat(original.server().timeout()).isEqualTo(modern.server().timeout());
            assertThat(original.store()).isEqualTo(modern.store());
            assertThat(original.folders()).isEqualTo(modern.folders());
            assertThat(original.excludes()).isEqualTo(modern.excludes());
            assertThat(original.quiet()).isEqualTo(modern.quiet());
            assertThat(((Credential.Password) original.server().credential()).secret())
                    .isEqualTo(((Credential.Password) modern.server().credential()).secret());
        }

        @Test
        void portDefaultsFollowSecurity() {
            Map<String, String> env = Map.of("PW", "x");
            assertThat(backupSettings(env, "backup", "--host", "h", "--user", "u", "--password-env", "PW").server().port())
                    .isEqualTo(993);
            assertThat(backupSettings(env, "backup", "--host", "h", "--user", "u", "--password-env", "PW",
                    "--security", "starttls").server().port()).isEqualTo(143);
            assertThat(backupSettings(env, "backup", "--host", "h", "--user", "u", "--password-env", "PW",
                    "--security", "NONE").server().port()).isEqualTo(143);
            assertThat(backupSettings(env, "backup", "-s", "h:1993", "-u", "u", "--password-env", "PW").server().port())
                    .isEqualTo(1993);
            assertThat(backupSettings(env, "backup", "-s", "[::1]:144", "-u", "u", "--password-env", "PW").server().host())
                    .isEqualTo("::1");
        }

        @Test
        void compressAloneMeansGzipAndNeverSwallowsAFile() {
            Map<String, String> env = Map.of("PW", "x");
            String[] base = {"backup", "--host", "h", "--user", "u", "--password-env", "PW"};
            assertThat(backupSettings(env, concat(base, "-z")).store().codec()).isEqualTo("gzip");
            assertThat(backupSettings(env, concat(base, "--compress")).store().codec()).isEqualTo("gzip");
            assertThat(backupSettings(env, concat(base, "--compress", "xz")).store().codec()).isEqualTo("xz");
            assertThat(backupSettings(env, concat(base, "-z", "zstd")).store().codec()).isEqualTo("zstd");
            assertThat(backupSettings(env, concat(base, "--compress=bzip2")).store().codec()).isEqualTo("bzip2");
            assertThat(backupSettings(env, base).store().codec()).isNull();

            Context ctx = new Context(new PrintStream(PrintStream.nullOutputStream()), err, Environment.of(Map.of()));
            CommandLine.ParseResult parsed = Main.commandLine(ctx).parseArgs("import", "-z", "inbox.mbox");
            ImportCommand imp = (ImportCommand) parsed.subcommand().commandSpec().userObject();
            assertThat(imp.dir.compress).isEqualTo("gzip");
            assertThat(imp.files).containsExactly(Path.of("inbox.mbox"));
        }

        @Test
        void insecureWarnsLoudly() {
            backupSettings(Map.of("PW", "x"), "backup", "--host", "h", "--user", "u", "--password-env", "PW", "--insecure");
            assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("WARNING").contains("NOT checked");
        }

        @Test
        void legacyServerAndHostTogetherIsAUsageError() {
            assertThatThrownBy(() -> backupSettings(Map.of("PW", "x"), "backup", "--host", "a", "-s", "b", "-u", "u",
                    "--password-env", "PW")).isInstanceOf(UsageException.class);
        }
    }

    /** Where the password comes from, and what is refused. */
    @Nested
    class Passwords {

        @Test
        void passwordFromEnvironmentVariable() {
            BackupSettings s = backupSettings(Map.of("IMAP_PW", "from-env"), "backup", "--host", "h", "--user", "u",
                    "--password-env", "IMAP_PW");
            assertThat(((Credential.Password) s.server().credential()).secret()).isEqualTo("from-env".toCharArray());
            assertThat(s.server().toString()).doesNotContain("from-env");
        }

        @Test
        void passwordFileKeepsOnlyTheFirstLineWithoutItsLineEnd() throws IOException {
            Path pw = passwordFile("pass word\r\nsecond line\n");
            BackupSettings s = backupSettings(Map.of(), "backup", "--host", "h", "--user", "u", "--password-file",
                    pw.toString());
            assertThat(((Credential.Password) s.server().credential()).secret()).isEqualTo("pass word".toCharArray());
        }

        @Test
        void oauth2TokenFromFile() throws IOException {
            Path token = tmp.resolve("token");
            Files.writeString(token, "ya29.token\n");
            BackupSettings s = backupSettings(Map.of(), "backup", "--host", "h", "--user", "u", "--oauth2-token-file",
                    token.toString());
            assertThat(s.server().credential()).isEqualTo(new Credential.OAuth2Token("ya29.token", "file " + token));
            assertThat(s.server().credential().toString()).doesNotContain("ya29");
        }

        @Test
        void passOnTheCommandLineWarnsAboutPs() {
            BackupSettings s = backupSettings(Map.of(), "backup", "-s", "h", "-u", "u", "-p", "hunter2");
            assertThat(((Credential.Password) s.server().credential()).secret()).isEqualTo("hunter2".toCharArray());
            assertThat(errBytes.toString(StandardCharsets.UTF_8)).contains("ps").doesNotContain("hunter2");
        }

        @Test
        void withoutPasswordOptionsATerminalIsAskedWithoutEcho() {
            String[] prompts = new String[1];
            Environment terminal = new Environment() {
                @Override
                public String getenv(String name) {
                    return null;
                }

                @Override
                public boolean interactive() {
                    return true;
                }

                @Override
                public char[] readPassword(String prompt) {
                    prompts[0] = prompt;
                    return "typed".toCharArray();
                }
            };
            Context ctx = new Context(new PrintStream(PrintStream.nullOutputStream()), err, terminal);
            CommandLine.ParseResult parsed = Main.commandLine(ctx).parseArgs("backup", "--host", "imap.example.org",
                    "--user", "alice");
            BackupSettings s = ((BackupCommand) parsed.subcommand().commandSpec().userObject()).settings();
            assertThat(prompts[0]).isEqualTo("Password for alice@imap.example.org: ");
            assertThat(((Credential.Password) s.server().credential()).secret()).isEqualTo("typed".toCharArray());
        }

        @Test
        void missingPasswordWithoutTerminalIsAUsageError() {
            CliRun r = CliRun.run("backup", "--host", "127.0.0.1", "--user", "alice", "--dir", tmp.toString());
            assertThat(r.status).as(r.toString()).isEqualTo(2);
            assertThat(r.err).contains("no password given").contains("--password-file");
        }

        @Test
        void twoPasswordSourcesAreAUsageError() throws IOException {
            Path pw = passwordFile("x");
            CliRun r = CliRun.run(Map.of("PW", "y"), "backup", "--host", "h", "--user", "u", "--password-file",
                    pw.toString(), "--password-env", "PW");
            assertThat(r.status).as(r.toString()).isEqualTo(2);
            CliRun r2 = CliRun.run(Map.of("PW", "y"), "backup", "--host", "h", "--user", "u", "-p", "a",
                    "--password-env", "PW");
            assertThat(r2.status).as(r2.toString()).isEqualTo(2);
            assertThat(r2.err).contains("one password source");
        }

        @Test
        void unsetEnvironmentVariableIsAUsageError() {
            CliRun r = CliRun.run("folders", "--host", "h", "--user", "u", "--password-env", "NOT_SET_ANYWHERE");
            assertThat(r.status).as(r.toString()).isEqualTo(2);
            // the name is not echoed: it may be the password given where its name belongs
            assertThat(r.err).contains("--password-env").contains("NAME").doesNotContain("NOT_SET_ANYWHERE");
        }
    }

    /** Bad usage exits with 2; every command has help. */
    @Nested
    class Usage {

        @ParameterizedTest
        @ValueSource(strings = {"backup --bogus", "backup --security ssl", "backup --port abc", "export --dir x",
            "import", "verify --layout diagonal", "nonsense", "backup --host h --user u --password-env X --exclude ["})
        void badUsageExitsWith2(String line) {
            CliRun r = CliRun.run(Map.of("X", "pw"), line.split(" "));
            assertThat(r.status).as(r.toString()).isEqualTo(2);
            assertThat(r.err).isNotBlank();
        }

        @Test
        void noCommandExitsWith2AndShowsTheCommands() {
            CliRun r = CliRun.run();
            assertThat(r.status).isEqualTo(2);
            assertThat(r.err).contains("backup").contains("verify").contains("demo");
        }

        @ParameterizedTest
        @ValueSource(strings = {"backup", "folders", "import", "export", "verify", "demo", "restore", "migrate"})
        void everyCommandHasHelp(String command) {
            CliRun r = CliRun.run(command, "--help");
            assertThat(r.status).isZero();
            assertThat(r.out).contains("Usage: imapbackup " + command).contains("--report").contains("--dry-run")
                    .contains("--quiet");
        }

        @Test
        void serverCommandsShowTheServerOptions() {
            for (String command : List.of("backup", "folders", "restore")) {
                CliRun r = CliRun.run(command, "--help");
                assertThat(r.out).contains("--host", "--port", "--security", "--user", "--password-file", "--password-env",
                        "--oauth2-token-file", "--trust-store", "--insecure", "--timeout", "--connections");
            }
            assertThat(CliRun.run("migrate", "--help").out).contains("--host1", "--port1", "--security1", "--user1",
                    "--password-file1", "--passfile1", "--password-env1", "--oauth2-token-file1", "--trust-store1",
                    "--insecure1", "--timeout1", "--password1", "--ssl1", "--tls1", "--host2", "--user2",
                    "--password-file2", "--passfile2", "--timeout2", "--connections", "--folder", "--include",
                    "--exclude", "--dry").doesNotContain("--host ", "--user ");
            assertThat(CliRun.run("backup", "--help").out).contains("--dir", "--compress", "--layout", "--folder",
                    "--exclude");
        }

        @Test
        void usageErrorWritesTheReportWithStatus2() throws IOException {
            Path report = tmp.resolve("r.json");
            CliRun r = CliRun.run("backup", "--host", "h", "--user", "u", "--report", report.toString());
            assertThat(r.status).isEqualTo(2);
            assertThat(Files.readString(report)).contains("\"exitStatus\":2").contains("\"command\":\"backup\"");
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
