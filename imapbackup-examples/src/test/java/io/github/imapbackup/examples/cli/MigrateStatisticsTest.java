package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.AccountSizes;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code migrate}'s statistics block, verdict and JSON fields: the golden file
 * {@code report/migrate.json}, and a verdict naming each folder where something is missing.
 */
@Timeout(20)
class MigrateStatisticsTest {

    private static final Instant T = Instant.parse("2026-11-22T00:00:00Z");
    private static final MigrateStatistics.Memory MEMORY = new MigrateStatistics.Memory(50L << 20, "peak RSS");

    /** A migration where INBOX is complete and one message of Sent failed. */
    static BackupReport sample(boolean failure) {
        FolderReport inbox = new FolderReport("INBOX", null, Counters.builder().messagesOnSource(10).messagesCopied(4)
                .messagesSkipped(6).bytesCopied(4096).build(), List.of());
        FolderReport sent = failure
                ? new FolderReport("Sent", null, Counters.builder().messagesOnSource(3).messagesCopied(2)
                        .bytesCopied(100).errors(1).build(), List.of(new ReportError("Sent", 7, "host2 refused it: too big")))
                : new FolderReport("Sent", null, Counters.builder().messagesOnSource(3).messagesCopied(3)
                        .bytesCopied(150).build(), List.of());
        return new BackupReport("migrate", T, T.plusSeconds(4), false, Outcome.COMPLETED, List.of(inbox, sent), List.of());
    }

    private static String golden(String name) throws Exception {
        try (InputStream in = MigrateStatisticsTest.class.getResourceAsStream("/report/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theJsonReportOfAMigrationIsTheGoldenFile() throws Exception {
        BackupReport r = sample(true);
        MigrateStatistics stats = new MigrateStatistics(r, new AccountSizes(2, 13, 10_000, 2_000),
                new AccountSizes(1, 6, 5_000, 1_000), MEMORY);
        String json = ReportJson.toJson(r, ExitStatus.of(r), stats::json) + "\n";
        assertThat(json).isEqualTo(golden("migrate.json"));
    }

    @Test
    void theVerdictSaysAllIsThereOrWhatIsMissingAndWhere() {
        MigrateStatistics complete = new MigrateStatistics(sample(false), null, null, MEMORY);
        assertThat(complete.verdict(null)).isEqualTo("All 13 identified messages on host1 are on host2.");
        MigrateStatistics partial = new MigrateStatistics(sample(true), null, null, MEMORY);
        assertThat(partial.verdict(Path.of("r.json"))).startsWith("NOT all messages of host1 are on host2: "
                + "folder \"Sent\": 1 missing. Each failure is listed under \"failures\" in r.json");
    }

    @Test
    void deletionsHaveImapsyncsLinesAndADeletedFolderIsNotASyncedOne() {
        Instant t = T;
        BackupReport r = new BackupReport("migrate", t, t.plusSeconds(1), false, Outcome.COMPLETED, List.of(
                new FolderReport("INBOX", null, Counters.builder().messagesOnSource(2).messagesSkipped(2).onlyOnTarget(1)
                        .duplicatesOnTarget(2).deletedFromTarget(3).deletedFromSource(4).build(), List.of()),
                new FolderReport("Old", null, Counters.builder().foldersDeletedFromTarget(1).build(), List.of())),
                List.of());
        MigrateStatistics stats = new MigrateStatistics(r, null, null, MEMORY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MigrateStatistics.print("Statistics", stats.lines(), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern("Folders synced +: 1/1 synced")
                .containsPattern("Messages found in host2 not in host1 +: 1\\n")
                .containsPattern("Messages found duplicate on host2 +: 2\\n")
                .containsPattern("Messages deleted on host2 +: 3\\n")
                .containsPattern("Messages deleted on host1 +: 4\\n")
                .containsPattern("Folders deleted on host2 +: 1\\n");
        Json j = new Json();
        j.beginObject();
        stats.json(j);
        j.endObject();
        assertThat(j.toString()).contains("\"foldersSynced\":1,\"folders\":1,", "\"duplicatesOnHost2\":2",
                "\"onlyOnHost2\":1", "\"deletedOnHost1\":4", "\"deletedOnHost2\":3", "\"foldersDeletedOnHost2\":1");
        assertThat(stats.verdict(null)).isEqualTo("All 2 identified messages on host1 are on host2.");
    }

    @Test
    void messagesExpungedOnHost1DuringTheRunAreNeitherMissingNorFailures() {
        BackupReport r = new BackupReport("migrate", T, T.plusSeconds(1), false, Outcome.COMPLETED, List.of(
                new FolderReport("INBOX", null, Counters.builder().messagesOnSource(5).messagesCopied(3)
                        .expungedBeforeCopy(2).build(), List.of())), List.of());
        MigrateStatistics stats = new MigrateStatistics(r, null, null, MEMORY);
        assertThat(block(stats)).containsPattern("Messages expunged on host1 during the run +: 2 \\(not copied\\)\\n")
                .containsPattern("Messages found in host1 not in host2 +: 0\\n");
        assertThat(json(stats)).contains("\"missingOnHost2\":0", "\"expungedOnHost1DuringRun\":2");
        assertThat(stats.verdict(null)).isEqualTo("All 3 identified messages on host1 are on host2.");
        MigrateStatistics none = new MigrateStatistics(sample(false), null, null, MEMORY);
        assertThat(block(none)).doesNotContain("expunged on host1");
        assertThat(json(none)).doesNotContain("expungedOnHost1DuringRun");
    }

    @Test
    void reconnectionsToEachHostAreCounted() {
        BackupReport r = new BackupReport("migrate", T, T.plusSeconds(1), false, Outcome.COMPLETED, List.of(
                new FolderReport("INBOX", null, Counters.builder().messagesOnSource(2).messagesCopied(2)
                        .reconnectsToSource(2).build(), List.of()),
                new FolderReport("Sent", null, Counters.builder().reconnectsToSource(1).build(), List.of())),
                List.of());
        MigrateStatistics stats = new MigrateStatistics(r, null, null, MEMORY);
        assertThat(block(stats)).containsPattern("Reconnections to host1 +: 3\\n")
                .containsPattern("Reconnections to host2 +: 0\\n");
        assertThat(json(stats)).contains("\"reconnectsToHost1\":3,\"reconnectsToHost2\":0");
    }

    private static String block(MigrateStatistics stats) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MigrateStatistics.print("Statistics", stats.lines(), new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String json(MigrateStatistics stats) {
        Json j = new Json();
        j.beginObject();
        stats.json(j);
        j.endObject();
        return j.toString();
    }

    @Test
    void theBlockHasImapsyncsLines() {
        MigrateStatistics stats = new MigrateStatistics(sample(false), new AccountSizes(2, 13, 10_000, 2_000), null, MEMORY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MigrateStatistics.print("Statistics", stats.lines(), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("++++ Statistics", "Transfer time", "Folders synced",
                "2/2 synced", "Messages transferred", ": 7", "Messages skipped (already on host2)",
                "Messages found duplicate on host1", "Messages found in host1 not in host2 : 0",
                "Total bytes transferred", "Total bytes skipped", "5754 bytes", "Message rate", "1.8 messages/s",
                "Average bandwidth rate", "Memory consumption at the end", "50.0 MB (peak RSS)", "Biggest message",
                "2000 bytes", "Detected errors");
    }
}
