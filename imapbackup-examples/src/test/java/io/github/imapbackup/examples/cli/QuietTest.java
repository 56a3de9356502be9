package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --quiet} silences progress and the statistics, never a failure: each one still reaches stderr. */
@Timeout(30)
class QuietTest {

    @TempDir
    Path tmp;

    private final byte[] m1 = MboxFiles.message("one@example.org", "One", "First.\r\n");
    private final byte[] m2 = MboxFiles.message("two@example.org", "Two", "Second.\r\n");

    /** A backup directory whose second message has one byte flipped. */
    private Path damagedBackup() throws IOException {
        Path inbox = MboxFiles.mbox(tmp.resolve("Inbox.mbox"), List.of(m1, m2));
        Path backup = tmp.resolve("backup");
        CliRun r = CliRun.run("import", "--dir", backup.toString(), inbox.toString());
        assertThat(r.status).as(r.toString()).isZero();
        Path mbox = backup.resolve("Inbox.mbox");
        byte[] bytes = Files.readAllBytes(mbox);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("Second.");
        bytes[at] ^= 0x20;
        Files.write(mbox, bytes);
        return backup;
    }

    @Test
    void aFailingImportSaysWhatFailedOnStderrWithQuiet() throws IOException {
        Path bad = tmp.resolve("bad.mbox");
        Files.write(bad, m1); // no From_ line: not an mbox
        CliRun r = CliRun.run("import", "--quiet", "--dir", tmp.resolve("backup").toString(), bad.toString());
        assertThat(r.status).as(r.toString()).isEqualTo(1);
        assertThat(r.out).as(r.toString()).isEmpty();
        assertThat(r.err).as(r.toString()).contains("bad.mbox").contains("at byte 0");
    }

    @Test
    void aFailingVerifySaysWhatFailedOnStderrWithQuiet() throws IOException {
        Path backup = damagedBackup();
        CliRun r = CliRun.run("verify", "-q", "--dir", backup.toString());
        assertThat(r.status).as(r.toString()).isEqualTo(1);
        assertThat(r.out).as(r.toString()).isEmpty();
        assertThat(r.err).as(r.toString()).contains("Inbox.mbox").contains("SHA-256");
    }

    @Test
    void aFailingExportSaysWhatFailedOnStderrWithQuiet() throws IOException {
        Path backup = damagedBackup();
        CliRun r = CliRun.run("export", "--quiet", "--dir", backup.toString(), "--eml", tmp.resolve("eml").toString());
        assertThat(r.status).as(r.toString()).isEqualTo(1);
        assertThat(r.out).as(r.toString()).isEmpty();
        assertThat(r.err).as(r.toString()).contains("Inbox").contains("SHA-256");
    }

    @Test
    void withoutQuietFailuresReachStderrToo() throws IOException {
        // cron jobs that send stdout to /dev/null still see every failure
        Path backup = damagedBackup();
        CliRun verify = CliRun.run("verify", "--dir", backup.toString());
        assertThat(verify.status).isEqualTo(1);
        assertThat(verify.err).as(verify.toString()).contains("Inbox.mbox").contains("SHA-256");
        CliRun export = CliRun.run("export", "--dir", backup.toString(), "--eml", tmp.resolve("eml").toString());
        assertThat(export.status).isEqualTo(1);
        assertThat(export.err).as(export.toString()).contains("Inbox").contains("SHA-256");
    }

    @Test
    void aSuccessWithQuietPrintsNothing() throws IOException {
        Path inbox = MboxFiles.mbox(tmp.resolve("Inbox.mbox"), List.of(m1, m2));
        CliRun r = CliRun.run("import", "--quiet", "--dir", tmp.resolve("backup").toString(), inbox.toString());
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(r.out).isEmpty();
        assertThat(r.err).isEmpty();
    }
}
