package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The password never reaches stdout, stderr (the log included, at --debug) or the report: the
 * program runs as a user runs it, in its own JVM, against a server whose password is a canary.
 */
@Timeout(120)
class SecretsIT {

    private static final String CANARY = "Canary-s3cr3t-Zq7";
    private static DemoServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        server = DemoServer.start("demo", CANARY);
        server.load(SampleAccount.generate(5, 16 * 1024, 10));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Runs the program in a JVM of its own; returns its exit status and everything it printed. */
    private static Object[] runJvm(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Object[] {p.exitValue(), new String(output, StandardCharsets.UTF_8)};
    }

    private List<String> backup(Path report, String... more) {
        List<String> a = new ArrayList<>(List.of("backup", "--host", DemoServer.HOST, "--port",
                Integer.toString(server.port()), "--security", "none", "--user", "demo", "--dir",
                tmp.resolve("b").toString(), "--report", report.toString(), "--debug"));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void aDebugRunWithThePasswordOnTheCommandLineShowsItNowhere() throws Exception {
        Path report = tmp.resolve("r.json");
        Object[] r = runJvm(Map.of(), backup(report, "-p", CANARY).toArray(String[]::new));
        assertThat(r[0]).as((String) r[1]).isEqualTo(0);
        assertThat((String) r[1]).contains("DEBUG").doesNotContain("s3cr3t");
        assertThat(Files.readString(report)).contains("\"exitStatus\":0").doesNotContain("s3cr3t");
    }

    @Test
    void thePasswordGivenWhereItsVariableNameBelongsShowsNowhere() throws Exception {
        Path report = tmp.resolve("r.json");
        Object[] r = runJvm(Map.of("IMAP_PW", CANARY),
                backup(report, "--password-env", CANARY).toArray(String[]::new));
        assertThat(r[0]).as((String) r[1]).isEqualTo(2);
        assertThat((String) r[1]).contains("--password-env").doesNotContain("s3cr3t");
        assertThat(Files.readString(report)).contains("\"exitStatus\":2").doesNotContain("s3cr3t");
    }

    @Test
    void aWrongPasswordFromAFileShowsNeitherItNorTheRightOne() throws Exception {
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "Wrong-s3cr3t-Zq7\n");
        Path report = tmp.resolve("r.json");
        Object[] r = runJvm(Map.of(), backup(report, "--password-file", pw.toString()).toArray(String[]::new));
        assertThat(r[0]).as((String) r[1]).isEqualTo(3);
        assertThat((String) r[1]).contains("authentication").doesNotContain("s3cr3t");
        assertThat(Files.readString(report)).contains("\"exitStatus\":3").doesNotContain("s3cr3t");
    }
}
