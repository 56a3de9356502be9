package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.RunInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FormatTest {

    @Test
    void bytesArePrintedInBinaryUnits() {
        assertThat(Format.bytes(0)).isEqualTo("0 B");
        assertThat(Format.bytes(1023)).isEqualTo("1023 B");
        assertThat(Format.bytes(1536)).isEqualTo("1.5 KB");
        assertThat(Format.bytes(5L * 1024 * 1024)).isEqualTo("5.0 MB");
        assertThat(Format.bytes(300L * 1024 * 1024 * 1024)).isEqualTo("300 GB");
        assertThat(Format.duration(Duration.ofSeconds(3723))).isEqualTo("1:02:03");
        assertThat(Format.duration(Duration.ofSeconds(65))).isEqualTo("1:05");
    }

    @Test
    void jsonIsIndentedButStringsAreLeftAlone() {
        assertThat(Format.prettyJson("{\"a\":1,\"b\":[],\"c\":[{\"d\":\"x,{y}\\\"z\"}]}"))
                .isEqualTo("{\n  \"a\": 1,\n  \"b\": [],\n  \"c\": [\n    {\n      \"d\": \"x,{y}\\\"z\"\n    }\n  ]\n}");
    }

    @Test
    void progressLineShowsCountsRateAndEta() {
        String line = ProgressDisplay.describe("INBOX", 45, 120, 3L << 20, 12L << 20, 2_000_000_000L);
        assertThat(line).isEqualTo("INBOX 45/120 msgs 3.0 MB/12.0 MB 1.5 MB/s ETA 0:06");
    }

    @Test
    void progressIsRedrawnInPlaceAndFinishedFoldersLeaveALine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressDisplay p = new ProgressDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), now::get);
        RunInfo run = RunInfo.start("backup", false, Instant.EPOCH);
        FolderInfo inbox = new FolderInfo("INBOX", "/", Set.of(), true);
        p.folderStarted(run, inbox, 3, 3, 300);
        now.addAndGet(1_000_000_000L);
        p.messageCopied(run, inbox, 1, 100);
        now.addAndGet(1_000_000_000L);
        p.messageCopied(run, inbox, 2, 100);
        p.folderFinished(run, inbox, new FolderReport("INBOX", "INBOX.mbox", Counters.builder().messagesOnSource(3).messagesCopied(2).messagesSkipped(1).bytesCopied(200).build(), List.of()));
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertThat(s).contains("\rINBOX 1/3 msgs 100 B/300 B").contains("\rINBOX 2/3 msgs 200 B/300 B")
                .contains("INBOX: 2 new, 200 B");
    }

    @Test
    void statisticsBlockListsFoldersTotalsAndFailures() {
        Instant t = Instant.parse("2026-11-22T00:00:00Z");
        BackupReport r = new BackupReport("backup", t, t.plusSeconds(5), false, Outcome.COMPLETED, List.of(
                new FolderReport("INBOX", "INBOX.mbox", Counters.builder().messagesOnSource(10).messagesCopied(4)
                        .messagesSkipped(6).duplicatesOnSource(1).bytesCopied(4096).build(), List.of()),
                new FolderReport("Sent", "Sent.mbox", Counters.builder().messagesOnSource(3).messagesCopied(2)
                        .bytesCopied(100).errors(1).build(),
                        List.of(new ReportError("Sent", 7, "fetch failed")))), List.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Statistics.print(r, "On server", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertThat(s).contains("On server").contains("Copied").contains("Skipped").contains("Identical")
                .contains("Bytes").contains("Errors");
        assertThat(s).containsPattern("INBOX\\s+10\\s+4\\s+6\\s+1\\s+4.0 KB\\s+0");
        assertThat(s).containsPattern("Total\\s+13\\s+6\\s+6\\s+1\\s+4.1 KB\\s+1");
        assertThat(s).contains("folder \"Sent\", UID 7: fetch failed");
        assertThat(s).doesNotContain("expunged");
    }

    @Test
    void statisticsSayHowManyMessagesWereExpungedBeforeTheirCopy() {
        Instant t = Instant.parse("2026-11-22T00:00:00Z");
        BackupReport r = new BackupReport("backup", t, t.plusSeconds(3), false, Outcome.COMPLETED, List.of(
                new FolderReport("INBOX", null, Counters.builder().messagesOnSource(10).messagesCopied(8)
                        .expungedBeforeCopy(2).build(), List.of())), List.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Statistics.print(r, "On server", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains(
                "2 messages were expunged on the server during the run, before their copy: not copied (no failure).");
    }

    @Test
    void statisticsTableIsLaidOutAsItsColumnsSayForNamesShortLongAndWide() {
        // the table as the program has always printed it: "%-Ns %10s %8s %8s %10s %10s %7s%n", N the
        // longest name (at least "Total", at most 40), a longer name cut with an ellipsis, wide numbers not cut
        Instant t = Instant.parse("2026-11-22T00:00:00Z");
        List<FolderReport> folders = new java.util.ArrayList<>();
        String[] names = {"INBOX", "A", "Ünïcödé/Ordner", "Archive/2019/very/deep/folder/name/that/goes/on", "x".repeat(40)};
        for (int i = 0; i < names.length; i++) {
            folders.add(new FolderReport(names[i], null, Counters.builder().messagesOnSource(12_345_678_901L * i)
                    .messagesCopied(i).messagesSkipped(123_456_789L * i).duplicatesOnSource(i)
                    .bytesCopied(1L << (10 * i)).errors(i == 3 ? 1_234_567 : 0).build(), List.of()));
        }
        for (int count : new int[] {0, 1, 2, names.length}) {
            List<FolderReport> some = folders.subList(0, count);
            BackupReport r = new BackupReport("backup", t, t.plusSeconds(65), false, Outcome.COMPLETED, some, List.of());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Statistics.print(r, "On server", new PrintStream(bytes, true, StandardCharsets.UTF_8));

            int width = "Total".length();
            for (FolderReport f : some) {
                width = Math.max(width, f.name().length());
            }
            width = Math.min(width, 40);
            String fmt = "%-" + width + "s %10s %8s %8s %10s %10s %7s%n";
            StringBuilder expected = new StringBuilder(String.format(java.util.Locale.ROOT, fmt, "Folder", "On server",
                    "Copied", "Skipped", "Identical", "Bytes", "Errors"));
            for (FolderReport f : some) {
                Counters c = f.counters();
                expected.append(String.format(java.util.Locale.ROOT, fmt, Format.fit(f.name(), width), c.messagesOnSource(),
                        c.messagesCopied(), c.messagesSkipped(), c.duplicatesOnSource(), Format.bytes(c.bytesCopied()),
                        c.errors()));
            }
            expected.append("-".repeat(width + 60)).append(System.lineSeparator());
            Counters c = r.totals();
            expected.append(String.format(java.util.Locale.ROOT, fmt, "Total", c.messagesOnSource(), c.messagesCopied(),
                    c.messagesSkipped(), c.duplicatesOnSource(), Format.bytes(c.bytesCopied()), c.errors()));
            expected.append(count).append(count == 1 ? " folder" : " folders").append(" in 1:05.").append(System.lineSeparator());
            assertThat(bytes.toString(StandardCharsets.UTF_8)).as("%d folders", count).isEqualTo(expected.toString());
        }
    }

    @Test
    void statisticsTableOfManyFoldersIsWhole() {
        Instant t = Instant.parse("2026-11-22T00:00:00Z");
        List<FolderReport> folders = new java.util.ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            folders.add(new FolderReport("Folder " + i, null, Counters.builder().messagesOnSource(i).build(), List.of()));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Statistics.print(new BackupReport("backup", t, t, false, Outcome.COMPLETED, folders, List.of()), "On server",
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(5_000 + 4);
        assertThat(lines.get(1)).isEqualTo("Folder 0" + " ".repeat(3) + " ".repeat(10) + "0" + "        0        0"
                + "          0        0 B       0");
        assertThat(lines.get(5_000)).startsWith("Folder 4999 ").contains(" 4999 ");
        assertThat(lines.get(5_002)).startsWith("Total").contains(" 12497500 ");
    }
}
