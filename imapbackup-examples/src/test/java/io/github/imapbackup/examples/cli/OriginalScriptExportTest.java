package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A directory of the original script (flat mbox files, no index) is read, not written, by export and verify. */
@Timeout(30)
class OriginalScriptExportTest {

    @TempDir
    Path tmp;

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void exportWritesEveryMessageOfFilesWithoutIndexAndVerifyNamesThem() throws IOException {
        Path backup = Files.createDirectory(tmp.resolve("backup"));
        Files.writeString(backup.resolve("INBOX.mbox"), "From nobody Sat Nov 21 23:39:50 2026\nMessage-Id: <a@x>\n\n"
                + "one\n\nFrom nobody Sat Nov 21 23:39:51 2026\nMessage-Id: <b@x>\n\ntwo\n\n", StandardCharsets.ISO_8859_1);
        Files.writeString(backup.resolve("INBOX.Sent.mbox"), "From nobody Sat Nov 21 23:39:52 2026\n"
                + "Message-Id: <c@x>\n\nthree\n\n", StandardCharsets.ISO_8859_1);
        List<String> before = files(backup);

        Path out = tmp.resolve("out");
        CliRun export = CliRun.run("export", "--dir", backup.toString(), "--eml", out.toString());
        assertThat(export.status).as(export.toString()).isZero();
        assertThat(files(out)).containsExactly("INBOX.Sent/000001-0.eml", "INBOX/000001-0.eml",
                "INBOX/000002-0.eml"); // the store's file names, as for any flat backup
        assertThat(Files.readString(out.resolve("INBOX.Sent/000001-0.eml"))).isEqualTo("Message-Id: <c@x>\n\nthree\n");

        CliRun one = CliRun.run("export", "--dir", backup.toString(), "--folder", "INBOX/Sent", "--mbox",
                tmp.resolve("mbox").toString());
        assertThat(one.status).as(one.toString()).isZero();
        assertThat(files(tmp.resolve("mbox"))).containsExactly("INBOX.Sent.mbox");

        CliRun verify = CliRun.run("verify", "--dir", backup.toString(), "--folder", "INBOX/Sent");
        assertThat(verify.status).as(verify.toString()).isEqualTo(1);
        assertThat(verify.out).contains("INBOX.Sent.mbox: mbox file without an index");
        assertThat(files(backup)).as("read-only").isEqualTo(before);
    }
}
