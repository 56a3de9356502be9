package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class DemoIT {

    @TempDir
    Path tmp;

    @Test
    void demoBacksUpTwiceAndTheSecondRunCopiesNothing() throws IOException {
        Path dir = tmp.resolve("imapbackup-demo");
        Path report = tmp.resolve("demo.json");
        CliRun r = CliRun.run("demo", "--dir", dir.toString(), "--messages", "40", "--report", report.toString());
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).contains("== First run").contains("== Second run")
                .contains("The second run copied nothing").contains("\"command\": \"backup\"")
                .contains("INBOX.mbox ").as("only mbox files are listed").doesNotContain(".isum ").doesNotContain(".index ");
        assertThat(dir.resolve("INBOX.mbox")).isRegularFile();
        assertThat(dir.resolve("Archive/2019/Q3.mbox")).isRegularFile();
        assertThat(dir.resolve("Entwürfe.mbox")).isRegularFile();
        assertThat(Files.size(dir.resolve("Archive.mbox"))).isGreaterThan(5L * 1024 * 1024);
        assertThat(Files.readString(report)).contains("\"command\":\"demo\"").contains("\"exitStatus\":0");

        CliRun verify = CliRun.run("verify", "--dir", dir.toString());
        assertThat(verify.status).as(verify.toString()).isZero();

        // Running it again into the same directory starts afresh.
        CliRun again = CliRun.run("demo", "--dir", dir.toString(), "--messages", "5", "--quiet");
        assertThat(again.status).as(again.toString()).isZero();
        assertThat(again.out).isEmpty();
    }

    @Test
    void demoRefusesADirectoryThatHoldsSomethingElse() throws IOException {
        Files.writeString(tmp.resolve("precious.txt"), "keep me");
        CliRun r = CliRun.run("demo", "--dir", tmp.toString());
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("not empty");
        assertThat(tmp.resolve("precious.txt")).hasContent("keep me");
    }
}
