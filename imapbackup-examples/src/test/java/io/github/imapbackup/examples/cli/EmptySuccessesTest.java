package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.mbox.codec.Codecs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Nothing done is not a success: no backup to verify, an empty file to import, a --folder that is not there. */
@Timeout(30)
class EmptySuccessesTest {

    @TempDir
    Path tmp;

    private final byte[] m1 = MboxFiles.message("one@example.org", "One", "First.\r\n");

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void verifyOfADirectoryWithoutABackupFails() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun r = CliRun.run("verify", "--dir", empty.toString());
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains("no backup").contains(empty.toString());
        assertThat(r.out).doesNotContain("OK");

        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "hello");
        CliRun r2 = CliRun.run("verify", "--dir", other.toString(), "--quiet");
        assertThat(r2.status).as(r2.toString()).isEqualTo(2);
        assertThat(r2.err).contains("no backup");
    }

    @Test
    void exportOfADirectoryWithoutABackupFails() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun r = CliRun.run("export", "--dir", empty.toString(), "--eml", tmp.resolve("out").toString());
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains("no backup").contains(empty.toString());
    }

    @Test
    void importOfAnEmptyFileIsRefusedAndCreatesNothing() throws IOException {
        Path empty = Files.createFile(tmp.resolve("Old.mbox"));
        Path gz = tmp.resolve("Empty.mbox.gz");
        try (OutputStream out = Codecs.GZIP.compress(Files.newOutputStream(gz))) {
            out.flush();
        }
        Path backup = tmp.resolve("backup");
        for (Path f : List.of(empty, gz)) {
            CliRun r = CliRun.run("import", "--dir", backup.toString(), f.toString());
            assertThat(r.status).as(r.toString()).isEqualTo(2);
            assertThat(r.err).contains(f.getFileName().toString()).contains("empty");
            assertThat(filesUnder(backup)).isEmpty();
        }
    }

    @Test
    void anEmptyFileAmongOthersFailsAloneAndTheOthersAreImported() throws IOException {
        Path empty = Files.createFile(tmp.resolve("Old.mbox"));
        Path good = MboxFiles.mbox(tmp.resolve("Good.mbox"), List.of(m1));
        Path backup = tmp.resolve("backup");
        CliRun r = CliRun.run("import", "--dir", backup.toString(), empty.toString(), good.toString());
        assertThat(r.status).as(r.toString()).isEqualTo(1);
        assertThat(r.err).contains("Old.mbox").contains("empty");
        assertThat(backup.resolve("Good.mbox")).exists();
        assertThat(backup.resolve("Old.mbox")).doesNotExist();
    }

    @Test
    void aDirectoryThatIsNoAppleMailBundleIsNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("Folder"));
        CliRun r = CliRun.run("import", "--dir", tmp.resolve("backup").toString(), dir.toString());
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains("Folder").contains("not an Apple Mail .mbox bundle");
    }

    @Test
    void inboxInAnyCaseSelectsTheInboxOfABackup() throws IOException {
        Path inbox = MboxFiles.mbox(tmp.resolve("in.mbox"), List.of(m1));
        Path backup = tmp.resolve("backup");
        assertThat(CliRun.run("import", "--dir", backup.toString(), "--folder", "INBOX", inbox.toString()).status)
                .isZero();
        CliRun verify = CliRun.run("verify", "--dir", backup.toString(), "--folder", "Inbox");
        assertThat(verify.status).as(verify.toString()).isZero();
        assertThat(verify.out).contains("all 1 messages");
        CliRun export = CliRun.run("export", "--dir", backup.toString(), "--folder", "inbox", "--eml",
                tmp.resolve("eml").toString());
        assertThat(export.status).as(export.toString()).isZero();
        assertThat(filesUnder(tmp.resolve("eml"))).hasSize(1);
        CliRun excluded = CliRun.run("verify", "--dir", backup.toString(), "--exclude", "Inbox");
        assertThat(excluded.out).contains("all 0 messages");
    }

    @Test
    void importIntoInboxInAnyCaseGoesIntoTheInbox() throws IOException {
        Path backup = tmp.resolve("backup");
        Path one = MboxFiles.mbox(tmp.resolve("one.mbox"), List.of(m1));
        Path two = MboxFiles.mbox(tmp.resolve("two.mbox"), List.of(MboxFiles.message("two@example.org", "Two", "2\r\n")));
        assertThat(CliRun.run("import", "--dir", backup.toString(), "--folder", "INBOX", one.toString()).status).isZero();
        CliRun r = CliRun.run("import", "--dir", backup.toString(), "--folder", "inbox", two.toString());
        assertThat(r.status).as(r.toString()).isZero();
        assertThat(filesUnder(backup).stream().map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".mbox")))
                .containsExactly("INBOX.mbox");
        CliRun fresh = CliRun.run("import", "--dir", tmp.resolve("fresh").toString(), "--folder", "Inbox", one.toString());
        assertThat(fresh.status).as(fresh.toString()).isZero();
        assertThat(tmp.resolve("fresh").resolve("INBOX.mbox")).exists();
    }

    @Test
    void aMissingFolderNamesTheSimilarOnes() throws IOException {
        Path inbox = MboxFiles.mbox(tmp.resolve("in.mbox"), List.of(m1));
        Path backup = tmp.resolve("backup");
        assertThat(CliRun.run("import", "--dir", backup.toString(), "--folder", "Archive/2019", inbox.toString())
                .status).isZero();
        CliRun r = CliRun.run("verify", "--dir", backup.toString(), "--folder", "archive/2019");
        assertThat(r.status).as(r.toString()).isEqualTo(2);
        assertThat(r.err).contains("\"archive/2019\" not found").contains("similar: \"Archive/2019\"");
    }
}
