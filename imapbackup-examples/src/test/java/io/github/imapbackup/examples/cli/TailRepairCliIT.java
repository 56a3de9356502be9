package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes a user appended to an mbox (a complete message, then a torn rest) survive the next
 * {@code backup --quiet} as a user runs it, in its own JVM: the message is kept, the rest is moved
 * to a {@code .torn-} file, and stderr names that file although the run is quiet.
 */
@Timeout(120)
class TailRepairCliIT {

    private static final String PASSWORD = "tail-repair-pw";
    private static DemoServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        server = DemoServer.start("demo", PASSWORD);
        server.load(SampleAccount.generate(3, 8 * 1024, 7));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Runs the program in a JVM of its own: {exit status, stdout, stderr}. */
    private Object[] run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("IMAP_PW", PASSWORD);
        Process p = pb.start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Object[] {p.exitValue(), Files.readString(out), Files.readString(err)};
    }

    private Object[] backup(Path dir) throws IOException, InterruptedException {
        return run("backup", "--host", DemoServer.HOST, "--port", Integer.toString(server.port()), "--security",
                "none", "--user", "demo", "--password-env", "IMAP_PW", "--dir", dir.toString(), "--quiet");
    }

    @Test
    void aQuietBackupKeepsAnAppendedMessageAndNamesTheFileTheTornRestWentTo() throws Exception {
        Path dir = tmp.resolve("backup");
        Object[] first = backup(dir);
        assertThat(first[0]).as("%s", first[2]).isEqualTo(0);
        Path inbox = dir.resolve("INBOX.mbox");
        long committed = Files.size(inbox);
        String appended = "From user@example.org Mon Dec  1 10:00:00 2025\n"
                + "From: user@example.org\nSubject: kept by the user\nMessage-ID: <appended@example.org>\n\n"
                + "only in the file\n\n";
        String torn = "From user@example.org Mon Dec  1 10:00:01 2025\nSubject: torn\n\npart of a bo";
        Files.writeString(inbox, appended + torn, StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        Object[] second = backup(dir);

        String stderr = (String) second[2];
        assertThat(second[0]).as(stderr).isEqualTo(0);
        assertThat((String) second[1]).as("quiet: nothing on stdout").isEmpty();
        List<Path> setAside;
        try (Stream<Path> files = Files.list(dir)) {
            setAside = files.filter(f -> f.getFileName().toString().startsWith("INBOX.mbox.torn-")).toList();
        }
        assertThat(setAside).hasSize(1);
        assertThat(Files.readString(setAside.get(0))).isEqualTo(torn);
        assertThat(stderr).contains(setAside.get(0).getFileName().toString());
        assertThat(Files.readString(inbox)).contains("only in the file").doesNotContain("part of a bo");
        assertThat(Files.size(inbox)).isEqualTo(committed + appended.length());

        Object[] verify = run("verify", "--dir", dir.toString());
        assertThat(verify[0]).as("%s%s", verify[1], verify[2]).isEqualTo(0);
    }
}
