package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.MemoryStore;
import io.github.imapbackup.testing.TinyJson;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON report of {@code --report} (a contract: docs/FORMAT.md): its shape after a real run, and
 * its exact bytes, compared with files the library wrote before the report moved to the program.
 */
@Timeout(20)
class ReportJsonTest {

    private final MemorySource source = new MemorySource();
    private final MemoryStore store = new MemoryStore();
    private int serial;

    @TempDir
    Path dir;

    private String message(String id) {
        serial++;
        return "Message-ID: <" + id + "@example.org>\r\nSubject: message " + serial
                + "\r\n\r\nbody " + serial + "\r\n";
    }

    private BackupSession.Builder session() {
        return BackupSession.builder().source(source).target(store);
    }

    /** Every counter non-zero somewhere, a dry run, a file-less folder, quoting and control characters. */
    static BackupReport sample() {
        Instant t = Instant.parse("2026-11-22T00:00:00Z");
        String sent = "Sent \"quoted\" \u00e9\t";
        return new BackupReport("backup", t, t.plusSeconds(5), true, Outcome.COMPLETED, List.of(
                new FolderReport("INBOX", "INBOX.mbox", Counters.builder().messagesOnSource(10).messagesCopied(4)
                        .messagesSkipped(6).duplicatesOnSource(1).bytesCopied(4096).flagsUpdated(2)
                        .messagesExpunged(1).build(), List.of()),
                new FolderReport(sent, null, Counters.builder().messagesOnSource(3).messagesCopied(2)
                        .bytesCopied(100).errors(1).build(),
                        List.of(new ReportError(sent, 7, "fetch failed\n\\ \u0001")))),
                List.of(new ReportError(null, -1, "connection lost")));
    }

    private static String golden(String name) throws Exception {
        try (InputStream in = ReportJsonTest.class.getResourceAsStream("/report/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void jsonIsByteForByteWhatTheLibraryWroteBefore() throws Exception {
        BackupReport r = sample();

        assertThat(ReportJson.toJson(r, ExitStatus.of(r))).isEqualTo(golden("exit1-no-newline.json"));
        Path file = dir.resolve("report.json");
        ReportJson.write(r, ExitStatus.CONNECT, file);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(golden("exit3.json"));
    }

    @Test
    void reportJsonHasTheDocumentedShape() throws Exception {
        source.folder("INBOX").add(message("a"));
        source.folder("INBOX").add(message("b"));
        source.folder("INBOX").failMessage(2, true);
        source.folder("Sent \"quoted\"").add(message("s"));
        BackupReport r = session().folders("INBOX", "Sent \"quoted\"", "Nope").build().run();
        Object parsed = TinyJson.parse(ReportJson.toJson(r, ExitStatus.of(r)));
        assertThat(parsed).isInstanceOf(Map.class);
        Map<?, ?> root = (Map<?, ?>) parsed;
        assertThat(keys(root)).contains("command", "startedAt", "finishedAt", "exitStatus", "messagesOnSource",
                "messagesCopied", "messagesSkipped", "duplicatesOnSource", "bytesCopied", "errors", "folders");
        assertThat(root.get("command")).isEqualTo("backup");
        assertThat(root.get("exitStatus")).isEqualTo(1L);
        assertThat(root.get("messagesCopied")).isEqualTo(2L);
        assertThat(root.get("errors")).isEqualTo(2L);
        assertThat(Instant.parse((String) root.get("startedAt"))).isNotNull();
        List<?> folders = (List<?>) root.get("folders");
        assertThat(folders).hasSize(3);
        List<String> names = new ArrayList<>();
        for (Object o : folders) {
            Map<?, ?> f = (Map<?, ?>) o;
            names.add((String) f.get("name"));
            assertThat(keys(f)).contains("name", "messagesOnSource", "messagesCopied", "messagesSkipped",
                    "duplicatesOnSource", "bytesCopied", "errors");
            assertThat(f.get("errors")).isInstanceOf(List.class);
        }
        assertThat(names).containsExactly("Nope", "INBOX", "Sent \"quoted\"");
        Map<?, ?> inbox = (Map<?, ?>) folders.get(1);
        assertThat(inbox.get("file")).isEqualTo("INBOX.mbox");
        Map<?, ?> error = (Map<?, ?>) ((List<?>) inbox.get("errors")).get(0);
        assertThat(error.get("folder")).isEqualTo("INBOX");
        assertThat(error.get("uid")).isEqualTo(2L);
        assertThat((String) error.get("message")).contains("injected");
        Map<?, ?> nope = (Map<?, ?>) folders.get(0);
        assertThat(nope.containsKey("file")).isFalse();
        assertThat(((Map<?, ?>) ((List<?>) nope.get("errors")).get(0)).containsKey("uid")).isFalse();
    }

    /** A restore's target may drop flags: the count appears where it is not zero, and only there. */
    @Test
    void flagsDroppedIsWrittenOnlyWhereNotZero() throws Exception {
        Instant t = Instant.parse("2026-11-22T00:00:00Z");
        BackupReport r = new BackupReport("restore", t, t.plusSeconds(1), false, Outcome.COMPLETED, List.of(
                new FolderReport("INBOX", null, Counters.builder().messagesOnSource(2).messagesCopied(2)
                        .flagsDropped(3).build(), List.of()),
                new FolderReport("Sent", null, Counters.builder().messagesOnSource(1).messagesCopied(1).build(),
                        List.of())), List.of());

        Map<?, ?> root = (Map<?, ?>) TinyJson.parse(ReportJson.toJson(r, ExitStatus.of(r)));

        assertThat(root.get("flagsDropped")).isEqualTo(3L);
        assertThat(((Map<?, ?>) root.get("totals")).get("flagsDropped")).isEqualTo(3L);
        List<?> folders = (List<?>) root.get("folders");
        assertThat(((Map<?, ?>) folders.get(0)).get("flagsDropped")).isEqualTo(3L);
        assertThat(((Map<?, ?>) folders.get(1)).containsKey("flagsDropped")).isFalse();
        assertThat(ReportJson.toJson(sample(), 1)).doesNotContain("flagsDropped");
    }

    /** What only the target holds and a migration's deletions appear where not zero, and only there. */
    @Test
    void targetAndDeletionCountersAreWrittenOnlyWhereNotZero() throws Exception {
        Instant t = Instant.parse("2026-11-22T00:00:00Z");
        BackupReport r = new BackupReport("migrate", t, t.plusSeconds(1), false, Outcome.COMPLETED, List.of(
                new FolderReport("INBOX", null, Counters.builder().messagesOnSource(2).onlyOnTarget(1)
                        .duplicatesOnTarget(2).deletedFromTarget(3).deletedFromSource(4).build(), List.of()),
                new FolderReport("Old", null, Counters.builder().foldersDeletedFromTarget(1).reconnectsToSource(2)
                        .build(), List.of())),
                List.of());

        Map<?, ?> totals = (Map<?, ?>) ((Map<?, ?>) TinyJson.parse(ReportJson.toJson(r, 0))).get("totals");

        assertThat(List.of(totals.get("onlyOnTarget"), totals.get("duplicatesOnTarget"),
                totals.get("deletedFromTarget"), totals.get("deletedFromSource"), totals.get("foldersDeletedFromTarget")))
                .containsExactly(1L, 2L, 3L, 4L, 1L);
        assertThat(totals.get("reconnectsToSource")).isEqualTo(2L);
        assertThat(keys(totals)).doesNotContain("reconnectsToTarget");
        String sample = ReportJson.toJson(sample(), 1);
        for (String name : List.of("onlyOnTarget", "duplicatesOnTarget", "deletedFromTarget", "deletedFromSource",
                "foldersDeletedFromTarget", "reconnectsToSource", "reconnectsToTarget")) {
            assertThat(sample).doesNotContain(name);
        }
    }

    /** Messages listed, then expunged before their copy: counted where not zero, and only there. */
    @Test
    void expungedBeforeCopyIsWrittenOnlyWhereNotZero() throws Exception {
        Instant t = Instant.parse("2026-11-22T00:00:00Z");
        BackupReport r = new BackupReport("backup", t, t.plusSeconds(1), false, Outcome.COMPLETED, List.of(
                new FolderReport("INBOX", null, Counters.builder().messagesOnSource(5).messagesCopied(3)
                        .expungedBeforeCopy(2).build(), List.of()),
                new FolderReport("Sent", null, Counters.builder().messagesOnSource(1).messagesCopied(1).build(),
                        List.of())), List.of());

        Map<?, ?> root = (Map<?, ?>) TinyJson.parse(ReportJson.toJson(r, ExitStatus.of(r)));

        assertThat(root.get("exitStatus")).isEqualTo(0L);
        assertThat(((Map<?, ?>) root.get("totals")).get("expungedBeforeCopy")).isEqualTo(2L);
        List<?> folders = (List<?>) root.get("folders");
        assertThat(((Map<?, ?>) folders.get(0)).get("expungedBeforeCopy")).isEqualTo(2L);
        assertThat(keys((Map<?, ?>) folders.get(1))).doesNotContain("expungedBeforeCopy");
        assertThat(ReportJson.toJson(sample(), 1)).doesNotContain("expungedBeforeCopy");
    }

    private static List<String> keys(Map<?, ?> m) {
        return m.keySet().stream().map(String::valueOf).toList();
    }
}
