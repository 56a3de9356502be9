package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.format.Dialect;
import io.github.imapbackup.mbox.format.MboxEntry;
import io.github.imapbackup.mbox.format.MboxReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class ImportExportTest {

    @TempDir
    Path tmp;

    private final byte[] m1 = MboxFiles.message("one@example.org", "One", "First.\r\nFrom the start of a line.\r\n");
    private final byte[] m2 = MboxFiles.message("two@example.org", "Two", "Second.\r\n>From quoted.\r\n");
    private final byte[] m3 = MboxFiles.message(null, "Three", "No Message-ID.\r\n");
    private final byte[] m4a = MboxFiles.message("shared@example.org", "Four A", "One text.\r\n");
    private final byte[] m4b = MboxFiles.message("shared@example.org", "Four B", "Another text.\r\n");
    private final byte[] m5 = MboxFiles.message("five@example.org", "Five", "LF only.\nSecond line.\n");

    private CliRun importFiles(String... args) {
        List<String> all = new ArrayList<>(List.of("import", "--dir", tmp.resolve("backup").toString()));
        all.addAll(List.of(args));
        return CliRun.run(all.toArray(String[]::new));
    }

    private static long count(String json, String field) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(field + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Import adds what is new, never twice, and names what it cannot read. */
    @Nested
    class Importing {

        @Test
        void aSeparatorTheReaderIsUnsureAboutIsShownWithFileAndOffsetAndFailsTheRun() throws IOException {
            String first = "From a@example.org Mon Jan  1 00:00:00 2001\nSubject: 1\n\ntext\n";
            String rest = "From b@example.org Mon, 1 Jan 2001 00:00:00 +0000\nmore\n\n"
                    + "From c@example.org Tue Jan  2 00:00:00 2001\nSubject: 2\n\nx\n";
            Path file = Files.writeString(tmp.resolve("odd.mbox"), first + rest, StandardCharsets.ISO_8859_1);
            CliRun r = importFiles(file.toString());
            assertThat(r.status).as(r.toString()).isEqualTo(1);
            assertThat(r.out + r.err).as(r.toString()).contains("odd.mbox at byte " + first.length());
        }

        @Test
        void importingTheSameFileTwiceAddsNothing() throws IOException {
            Path inbox = MboxFiles.mbox(tmp.resolve("Inbox.mbox"), List.of(m1, m2, m2, m3, m4a, m4b));
            Path report = tmp.resolve("r.json");
            CliRun first = importFiles("--report", report.toString(), inbox.toString());
            assertThat(first.status).as(first.toString()).isZero();
            String json = Files.readString(report);
            assertThat(count(json, "messagesOnSource")).isEqualTo(6);
            assertThat(count(json, "messagesCopied")).isEqualTo(6);
            assertThat(count(json, "duplicatesOnSource")).isEqualTo(1);
            assertThat(json).contains("\"name\":\"Inbox\"").contains("\"command\":\"import\"");

            CliRun second = importFiles("--report", report.toString(), inbox.toString());
            assertThat(second.status).as(second.toString()).isZero();
            json = Files.readString(report);
            assertThat(count(json, "messagesCopied")).isZero();
            assertThat(count(json, "messagesSkipped")).isEqualTo(6);
            assertThat(messagesIn(tmp.resolve("backup").resolve("Inbox.mbox"))).hasSize(6);
        }

        @Test
        void overlappingFilesMergeWithoutDuplicatesAndKeepDistinctMessagesSharingAMessageId() throws IOException {
            Path a = MboxFiles.mbox(tmp.resolve("a.mbox"), List.of(m1, m2, m3, m4a));
            Path b = MboxFiles.mbox(tmp.resolve("b.mbox.gz"), Codecs.GZIP, List.of(m2, m3, m4b, m5));
            CliRun r = importFiles("--folder", "Merged", a.toString(), b.toString());
            assertThat(r.status).as(r.toString()).isZero();
            List<String> stored = messagesIn(tmp.resolve("backup").resolve("Merged.mbox"));
            assertThat(stored).containsExactlyInAnyOrder(MboxFiles.sha256(m1), MboxFiles.sha256(m2), MboxFiles.sha256(m3),
                    MboxFiles.sha256(m4a), MboxFiles.sha256(m4b), MboxFiles.sha256(m5));
        }

        @Test
        void copiesAreCountedAcrossImports() throws IOException {
            Path once = MboxFiles.mbox(tmp.resolve("once.mbox"), List.of(m1, m2));
            Path twice = MboxFiles.mbox(tmp.resolve("twice.mbox"), List.of(m1, m1, m2));
            assertThat(importFiles("--folder", "F", once.toString()).status).isZero();
            assertThat(importFiles("--folder", "F", twice.toString()).status).isZero();
            assertThat(importFiles("--folder", "F", twice.toString(), once.toString()).status).isZero();
            // m1 is held twice by one file: two copies, never a third; m2 once.
            assertThat(messagesIn(tmp.resolve("backup").resolve("F.mbox"))).containsExactly(MboxFiles.sha256(m1),
                    MboxFiles.sha256(m2), MboxFiles.sha256(m1));
        }

        @Test
        void folderNameComesFromTheFileName() throws IOException {
            Path gz = MboxFiles.mbox(tmp.resolve("Old Mail.mbox.gz"), Codecs.GZIP, List.of(m1));
            CliRun r = importFiles(gz.toString());
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(r.out).contains("Old Mail");
            assertThat(tmp.resolve("backup").resolve("Old Mail.mbox")).exists();
        }

        @Test
        void dryRunImportWritesNothing() throws IOException {
            Path inbox = MboxFiles.mbox(tmp.resolve("Inbox.mbox"), List.of(m1, m2));
            CliRun r = importFiles("--dry-run", inbox.toString());
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(r.out).containsPattern("Inbox\\s+2\\s+2\\s+0");
            assertThat(tmp.resolve("backup").resolve("Inbox.mbox")).doesNotExist();
        }

        @Test
        void malformedFileAddsNothingAndNamesTheOffset() throws IOException {
            Path bad = tmp.resolve("bad.mbox");
            Files.write(bad, m1);
            Path good = MboxFiles.mbox(tmp.resolve("good.mbox"), List.of(m2));
            CliRun r = importFiles(bad.toString(), good.toString());
            assertThat(r.status).as(r.toString()).isEqualTo(1);
            assertThat(r.out).contains("bad.mbox").contains("at byte 0");
            assertThat(tmp.resolve("backup").resolve("bad.mbox")).doesNotExist();
            assertThat(messagesIn(tmp.resolve("backup").resolve("good.mbox"))).containsExactly(MboxFiles.sha256(m2));
        }

        @Test
        void appleMailBundleImportsIntoAFolderNamedAfterIt() throws IOException {
            Path bundle = Files.createDirectories(tmp.resolve("Work.mbox"));
            MboxFiles.mbox(bundle.resolve("mbox"), List.of(m1, m5));
            Files.writeString(bundle.resolve("table_of_contents"), "binary index Apple Mail keeps");
            CliRun r = importFiles(bundle.toString());
            assertThat(r.status).as(r.toString()).isZero();
            assertThat(messagesIn(tmp.resolve("backup").resolve("Work.mbox"))).hasSize(2);
        }

        @Test
        void missingFileIsAUsageError() {
            CliRun r = importFiles(tmp.resolve("nope.mbox").toString());
            assertThat(r.status).isEqualTo(2);
            assertThat(r.err).contains("does not exist");
        }
    }

    /** Export writes the exact bytes, as .eml files or mbox files of each dialect. */
    @Nested
    class Exporting {

        @Test
        void exportedEmlFilesHoldTheExactBytes() throws IOException {
            Path inbox = MboxFiles.mbox(tmp.resolve("Inbox.mbox"), List.of(m1, m2, m2, m3, m5));
            assertThat(importFiles("--folder", "Archive/2019", inbox.toString()).status).isZero();
            Path out = tmp.resolve("eml");
            CliRun r = CliRun.run("export", "--dir", tmp.resolve("backup").toString(), "--eml", out.toString());
            assertThat(r.status).as(r.toString()).isZero();
            Path dir = out.resolve("Archive").resolve("2019");
            assertThat(dir.resolve("000001-0.eml")).hasBinaryContent(m1);
            assertThat(dir.resolve("000002-0.eml")).hasBinaryContent(m2);
            assertThat(dir.resolve("000003-0.eml")).hasBinaryContent(m2);
            assertThat(dir.resolve("000004-0.eml")).hasBinaryContent(m3);
            assertThat(dir.resolve("000005-0.eml")).hasBinaryContent(m5);
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s.count()).isEqualTo(5);
            }
            CliRun again = CliRun.run("export", "--dir", tmp.resolve("backup").toString(), "--eml", out.toString());
            assertThat(again.status).as(again.toString()).isZero();
            assertThat(again.out).containsPattern("Archive/2019\\s+5\\s+0\\s+5");
        }

        @ParameterizedTest
        @ValueSource(strings = {"mboxrd", "mboxo", "mboxcl2"})
        void exportedMboxFilesReadBack(String dialect) throws IOException {
            Path inbox = MboxFiles.mbox(tmp.resolve("Inbox.mbox"), List.of(m1, m3, m4a, m5));
            // Only ">From " lines: mboxo or mboxrd; detection reads it as mboxrd, which it is.
            assertThat(importFiles(inbox.toString()).status).isZero();
            Path out = tmp.resolve("out");
            CliRun r = CliRun.run("export", "--dir", tmp.resolve("backup").toString(), "--mbox", out.toString(),
                    "--dialect", dialect, "--compress", "gzip");
            assertThat(r.status).as(r.toString()).isZero();
            Path file = out.resolve("Inbox.mbox.gz");
            assertThat(Codecs.detect(file)).isEqualTo(Codecs.GZIP);
            Dialect d = Dialect.valueOf(dialect.toUpperCase(java.util.Locale.ROOT));
            // mboxo quoting cannot be undone: a body line "From " reads back as ">From ".
            byte[] first = d == Dialect.MBOXO
                    ? new String(m1, StandardCharsets.UTF_8).replace("\nFrom ", "\n>From ").getBytes(StandardCharsets.UTF_8)
                    : m1;
            // With mboxcl2 the Content-Length the writer put in front is the file's: the reader drops it.
            List<String> read = messagesIn(file, d);
            assertThat(read).containsExactly(MboxFiles.sha256(first), MboxFiles.sha256(m3),
                    MboxFiles.sha256(m4a), MboxFiles.sha256(m5));
        }
    }

    /** Verify checks a backup; verify and export refuse a folder the backup does not hold. */
    @Nested
    class Verifying {

        @Test
        void verifyAndExportOfAFolderTheBackupDoesNotHoldAreUsageErrors() throws IOException {
            assertThat(importFiles(MboxFiles.mbox(tmp.resolve("Inbox.mbox"), List.of(m1)).toString()).status).isZero();
            String backup = tmp.resolve("backup").toString();
            CliRun verify = CliRun.run("verify", "--dir", backup, "--folder", "Nope");
            assertThat(verify.status).isEqualTo(2);
            assertThat(verify.err).contains("folder \"Nope\" not found").contains("Inbox");
            CliRun export = CliRun.run("export", "--dir", backup, "--folder", "Nope", "--eml", tmp.resolve("e").toString());
            assertThat(export.status).isEqualTo(2);
            CliRun one = CliRun.run("verify", "--dir", backup, "--folder", "Inbox");
            assertThat(one.status).as(one.toString()).isZero();
            assertThat(one.out).contains("all 1 messages");
        }

        @Test
        void verifyPassesOnAGoodBackupAndNamesFileAndOffsetOfAFlippedByte() throws IOException {
            Path inbox = MboxFiles.mbox(tmp.resolve("Inbox.mbox"), List.of(m1, m2, m3));
            assertThat(importFiles(inbox.toString()).status).isZero();
            Path backup = tmp.resolve("backup");
            CliRun ok = CliRun.run("verify", "--dir", backup.toString());
            assertThat(ok.status).as(ok.toString()).isZero();
            assertThat(ok.out).contains("OK");

            Path mbox = backup.resolve("Inbox.mbox");
            byte[] bytes = Files.readAllBytes(mbox);
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int at = text.indexOf("Second.");
            long offsetOfSecond = text.lastIndexOf("From ", at);
            bytes[at] ^= 0x20;
            Files.write(mbox, bytes);
            Path report = tmp.resolve("verify.json");
            CliRun bad = CliRun.run("verify", "--dir", backup.toString(), "--report", report.toString());
            assertThat(bad.status).as(bad.toString()).isEqualTo(1);
            assertThat(bad.out).contains("Inbox.mbox").contains("byte " + offsetOfSecond);
            assertThat(Files.readString(report)).contains("\"exitStatus\":1").contains("Inbox.mbox");
        }
    }

    /** Returns the SHA-256 of each message of an mbox file, read back with the library's reader. */
    private static List<String> messagesIn(Path file) throws IOException {
        return messagesIn(file, Dialect.MBOXRD);
    }

    /** With dropContentLength, the Content-Length field mboxcl2 adds before the first header field is removed. */
    private static List<String> messagesIn(Path file, Dialect dialect) throws IOException {
        List<String> result = new ArrayList<>();
        try (MboxReader reader = MboxReader.open(file, dialect)) {
            for (MboxEntry e = reader.next(); e != null; e = reader.next()) {
                try (InputStream in = e.content()) {
                    result.add(MboxFiles.sha256(in.readAllBytes()));
                }
            }
        }
        return result;
    }
}
