package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A value given to a secret option is never echoed: not on stdout, not on stderr, not in the report. */
@Timeout(30)
class SecretsTest {

    static final String CANARY = "Canary-s3cr3t-Zq7";
    static final String NAME_LIKE_CANARY = "CanaryS3cr3tZq7";

    @TempDir
    Path tmp;

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Stream<Arguments> secretOptions() {
        return Stream.of(
                Arguments.of(List.of("--password-env", CANARY), "NAME"),
                Arguments.of(List.of("--password-env", NAME_LIKE_CANARY), "NAME"),
                Arguments.of(List.of("--password-env=" + CANARY), "NAME"),
                Arguments.of(List.of("--password-env", "-" + CANARY), "NAME"),
                Arguments.of(List.of("--password-file", CANARY), "does not exist"),
                Arguments.of(List.of("--oauth2-token-file", CANARY), "does not exist"),
                Arguments.of(List.of("-p", "@" + CANARY), "does not exist"),
                Arguments.of(List.of("--password-env=" + CANARY, "--password-env=PW"), "only one of"),
                Arguments.of(List.of("--password-env", CANARY, "--password-file", "pw"), "only one of"),
                Arguments.of(List.of("-p", CANARY, "--port", "x"), "--port"),
                Arguments.of(List.of("-p" + CANARY, "-p", CANARY), "once"),
                Arguments.of(List.of("-ep", CANARY, "--timeout", "0"), "--timeout"));
    }

    @ParameterizedTest
    @MethodSource("secretOptions")
    void aSecretOptionsValueIsNeverEchoed(List<String> secretArgs, String expected) throws IOException {
        Path report = tmp.resolve("report.json");
        List<String> args = new ArrayList<>(List.of("backup", "--host", "127.0.0.1", "--port",
                Integer.toString(closedPort()), "--user", "alice", "--dir", tmp.resolve("b").toString(),
                "--report", report.toString()));
        args.addAll(secretArgs);
        CliRun r = CliRun.run(Map.of("PW", "x"), args.toArray(String[]::new));
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err).as(r.toString()).contains(expected);
        assertNoCanary(r, report);
    }

    @Test
    void aPasswordGivenWithDashPIsNotEchoedWhenTheConnectionFails() throws IOException {
        Path report = tmp.resolve("report.json");
        CliRun r = CliRun.run("backup", "--host", "127.0.0.1", "--port", Integer.toString(closedPort()),
                "--security", "none", "--user", "alice", "-p", CANARY, "--dir", tmp.resolve("b").toString(),
                "--report", report.toString());
        assertThat(r.status).as(r.toString()).isEqualTo(3);
        assertNoCanary(r, report);
    }

    @Test
    void anEmptyVariableIsNamedAsEmpty() {
        CliRun r = CliRun.run(Map.of("IMAP_PW", ""), "folders", "--host", "127.0.0.1", "--user", "alice",
                "--password-env", "IMAP_PW");
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains("--password-env").contains("empty");
    }

    @Test
    void onlySecretOptionsAreMasked() {
        Secrets s = Secrets.of(List.of("backup", "--exclude", "-import", "--user", "alice", "-ep", "pass-one",
                "--password-file=/home/alice/pw-file", "-pAttached", "--", "-p", "after-dashes"));
        assertThat(s.redact("report of alice")).isEqualTo("report of alice");
        assertThat(s.redact("pass-one /home/alice/pw-file Attached after-dashes"))
                .isEqualTo("*** *** *** after-dashes");
    }

    private static void assertNoCanary(CliRun r, Path report) throws IOException {
        assertThat(r.out).doesNotContain("s3cr3t");
        assertThat(r.err).doesNotContain("s3cr3t");
        if (Files.exists(report)) {
            assertThat(Files.readString(report)).doesNotContain("s3cr3t");
        }
    }

    /**
     * An internal error whose message holds a password the run read from the environment or a file
     * (as a library's exception might) shows it neither in its message nor, with --debug or
     * --trace, in its stack trace, nor in the report.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "--debug", "--trace"})
    void anInternalErrorShowsNoSecretTheRunRead(String level) throws IOException {
        Path pw = Files.writeString(tmp.resolve("pw"), CANARY + "\n");
        Files.setPosixFilePermissions(pw, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        for (List<String> source : List.of(List.of("--password-env", "IMAP_PW"), List.of("--password-file", pw.toString()))) {
            Environment env = new Environment() {
                @Override
                public String getenv(String name) {
                    return name.equals("IMAP_PW") ? CANARY : null;
                }

                @Override
                public boolean interactive() {
                    throw new IllegalStateException("no terminal to ask for " + CANARY);
                }

                @Override
                public char[] readPassword(String prompt) {
                    return null;
                }
            };
            Path report = tmp.resolve("report.json");
            List<String> args = new ArrayList<>(List.of("backup", "--host", "127.0.0.1", "--port",
                    Integer.toString(closedPort()), "--security", "none", "--user", "alice", "--dir",
                    tmp.resolve("b").toString(), "--report", report.toString()));
            args.addAll(source);
            if (!level.isEmpty()) {
                args.add(level);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int status = Main.run(args.toArray(String[]::new), new java.io.PrintStream(out, true, "UTF-8"),
                    new java.io.PrintStream(err, true, "UTF-8"), env);
            CliRun r = CliRun.of(status, out.toString("UTF-8"), err.toString("UTF-8"));
            assertThat(r.status).as(r.toString()).isEqualTo(1);
            assertThat(r.err).as(r.toString()).contains("internal error: java.lang.IllegalStateException: no terminal"
                    + " to ask for ***");
            if (!level.isEmpty()) {
                assertThat(r.err).as("the stack trace").contains("\tat io.github.imapbackup.examples.cli.");
            }
            assertNoCanary(r, report);
        }
    }
}
