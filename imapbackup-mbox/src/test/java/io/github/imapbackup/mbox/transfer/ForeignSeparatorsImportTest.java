package io.github.imapbackup.mbox.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.StoreFixtures;
import io.github.imapbackup.spi.MailboxStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Importing files whose From_ lines other programs wrote: every message arrives, doubts are reported. */
@Timeout(30)
class ForeignSeparatorsImportTest {

    /** Separators as Mail::Box, MimeKit and GMime test folders, list archives, git and Thunderbird have them. */
    private static final List<String> SEPARATORS = List.of(
            "From mx@example.de Mon Jan  1 12:00:00 MET 2001", "From mx@example.de Sun Jul  1 12:00:00 MEST 2001",
            "From jp@example.jp Mon Jan  1 12:00:00 JST 2001", "From fi@example.fi Mon Jan  1 12:00:00 EET 2001",
            "From au@example.au Mon Jan  1 12:00:00 AEST 2001", "From in@example.in Mon Jan  1 12:00:00 IST 2001",
            "From kr@example.kr Mon Jan  1 12:00:00 KST 2001", "From nz@example.nz Mon Jan  1 12:00:00 NZDT 2001",
            "From n@example.org Mon Jan  1 12:00:00 +0900 2001", "From n@example.org Mon, 1 Jan 2001 12:00:00 +0100",
            "From uucp Mon Jan  1 12:00:00 2001 remote from gateway", "From 1844347792267117879@xxx",
            "From odd@example.org Mon Jan  1 12:00:00 WEIRD 2001", "From - Mon Jan  1 00:00:00 2001",
            "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001", "From -");

    @TempDir
    Path dir;

    private BackupReport importFile(Path file) throws IOException {
        MailboxStore store = MboxStore.builder(dir.resolve("backup")).build();
        return MboxImporter.builder(store).extractor(StoreFixtures.EXTRACTOR).build().importFiles(List.of(file), "INBOX");
    }

    @Test
    void thirtySevenMessagesWithForeignSeparatorsAreThirtySevenMessages() throws IOException {
        ByteArrayOutputStream mbox = new ByteArrayOutputStream();
        for (int i = 0; i < 37; i++) {
            String sep = SEPARATORS.get(i % SEPARATORS.size());
            boolean strict = sep.startsWith("From -") || sep.contains(" 2001") && !sep.contains(",")
                    && !sep.contains("WEIRD") || sep.contains(" MET ");
            // Strict separators (git, Thunderbird) also come without an empty line before them.
            String before = i == 0 || strict && i % 2 == 0 ? "" : "\n";
            mbox.writeBytes((before + sep + "\nMessage-ID: <m" + i + "@example.org>\nSubject: " + i
                    + "\n\nFrom the desk of message " + i + "\nFrom me to you\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        Path file = Files.write(dir.resolve("foreign.mbox"), mbox.toByteArray());
        BackupReport r = importFile(file);
        assertThat(r.allErrors()).isEmpty();
        assertThat(r.totals().messagesOnSource()).isEqualTo(37);
        assertThat(r.totals().messagesCopied()).isEqualTo(37);
        assertThat(r.hasFailures()).isFalse();
    }

    @Test
    void aFromLineTheReaderIsUnsureAboutIsReportedWithFileAndOffset() throws IOException {
        String first = "From a@example.org Mon Jan  1 00:00:00 2001\nSubject: 1\n\ntext\n";
        String doubtful = "From b@example.org Mon, 1 Jan 2001 00:00:00 +0000\n";
        String rest = "more text\n\nFrom c@example.org Tue Jan  2 00:00:00 2001\nSubject: 2\n\nx\n";
        Path file = Files.writeString(dir.resolve("doubt.mbox"), first + doubtful + rest, StandardCharsets.ISO_8859_1);
        BackupReport r = importFile(file);
        assertThat(r.totals().messagesCopied()).isEqualTo(2);
        assertThat(r.hasFailures()).isTrue();
        assertThat(r.allErrors()).extracting(ReportError::message).singleElement().asString()
                .contains(file.toString()).contains("at byte " + first.length()).contains("From_ line");
    }

}
