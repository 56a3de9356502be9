package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with nothing new over CONDSTORE opens each unchanged folder by the summary beside its index
 * (docs/ARCHITECTURE.md, "Nothing new without reading the index"); its report must be the report
 * of the same run reading every index: the same counters per folder, duplicates, several
 * UIDVALIDITY generations and messages the server expunged included.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DovecotNothingNewIT {

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD).build();

    private static final Instant DATE = Instant.parse("2023-03-03T03:03:03Z");

    private static byte[] message(String id, String body) {
        return Interop.ascii("Message-ID: <" + id + "@x>\r\nSubject: " + body + "\r\n\r\n" + body + "\r\n");
    }

    @Test
    void nothingNewReportsTheSameWithAndWithoutTheSummaries(@TempDir Path dir) throws Exception {
        String[] folders = {"Twice", "Generations", "Expunged"};
        long expungedUid;
        try (ImapTestClient c = DOVECOT.login(USER)) {
            for (String f : folders) {
                c.createFolder(f);
            }
            // the same bytes three times and another message twice: 3 duplicates
            for (int i = 0; i < 3; i++) {
                c.append("Twice", message("same", "same body"), Set.of("\\Seen"), DATE);
            }
            c.append("Twice", message("other", "other"), Set.of(), DATE);
            c.append("Twice", message("other", "other"), Set.of("\\Flagged"), DATE);
            c.append("Twice", message("single", "single"), Set.of(), DATE);
            for (int i = 0; i < 4; i++) {
                c.append("Generations", message("g" + i, "gen " + i), Set.of(), DATE);
            }
            c.append("Expunged", message("x0", "kept"), Set.of(), DATE);
            c.append("Expunged", message("x1", "gone"), Set.of(), DATE);
            c.append("Expunged", message("x0", "kept"), Set.of(), DATE);
            expungedUid = c.append("Expunged", message("x2", "also kept"), Set.of(), DATE);
        }
        assertThat(backup(dir).totals().messagesCopied()).isEqualTo(6 + 4 + 4);

        try (ImapTestClient c = DOVECOT.login(USER)) {
            // a new UIDVALIDITY: two of the four again, one new, one of them twice; two stay behind
            c.command("DELETE Generations");
            c.createFolder("Generations");
            c.append("Generations", message("g0", "gen 0"), Set.of(), DATE);
            c.append("Generations", message("g1", "gen 1"), Set.of(), DATE);
            c.append("Generations", message("g1", "gen 1"), Set.of(), DATE);
            c.append("Generations", message("g9", "gen 9"), Set.of(), DATE);
            c.store("Expunged", expungedUid, "+FLAGS", List.of("\\Deleted"));
            c.command("SELECT Expunged");
            c.command("EXPUNGE");
        }
        BackupReport changed = backup(dir);
        assertThat(changed.allErrors()).isEmpty();
        assertThat(changed.totals().messagesExpunged()).isEqualTo(1);
        List<ArchivedMessage> generations = Interop.archived(dir, "Generations", "/");
        assertThat(generations.stream().map(ArchivedMessage::uidValidity).distinct()).hasSize(2);
        assertThat(Interop.archived(dir, "Expunged", "/")).filteredOn(ArchivedMessage::expunged).hasSize(1);

        // nothing new: first reading every index (no summary), then by the summaries that run wrote
        deleteSummaries(dir);
        BackupReport full = backup(dir);
        Map<Path, FileTime> indexes = indexTimes(dir);
        assertThat(summaries(dir)).hasSize(folders.length);
        BackupReport bySummary = backup(dir);
        BackupReport again = backup(dir);

        assertThat(full.allErrors()).isEmpty();
        assertThat(full.totals().messagesCopied()).isZero();
        assertThat(full.totals().duplicatesOnSource()).isEqualTo(3 + 1 + 1);
        Map<String, FolderReport> byName = byName(full);
        assertThat(byName.get("Twice").counters().duplicatesOnSource()).isEqualTo(3);
        assertThat(byName.get("Generations").counters().duplicatesOnSource()).isEqualTo(1);
        assertThat(byName.get("Expunged").counters().duplicatesOnSource()).isEqualTo(1);
        for (BackupReport r : List.of(bySummary, again)) {
            assertThat(r.totals()).isEqualTo(full.totals());
            assertThat(byName(r)).isEqualTo(byName);
            assertThat(r.hasFailures()).isEqualTo(full.hasFailures());
        }
        assertThat(indexTimes(dir)).as("a run with nothing new writes no index").isEqualTo(indexes);
        assertThat(Interop.verify(dir)).as("verify accepts the summary files").isEmpty();
    }

    private static BackupReport backup(Path dir) throws Exception {
        return Interop.backup(Interop.source(DOVECOT).build(), dir, "Twice", "Generations", "Expunged");
    }

    private static Map<String, FolderReport> byName(BackupReport r) {
        Map<String, FolderReport> out = new TreeMap<>();
        r.folders().forEach(f -> out.put(f.name(), f));
        return out;
    }

    private static List<Path> summaries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".mbox.isum")).toList();
        }
    }

    private static void deleteSummaries(Path dir) throws Exception {
        for (Path p : summaries(dir)) {
            Files.delete(p);
        }
    }

    private static Map<Path, FileTime> indexTimes(Path dir) throws Exception {
        Map<Path, FileTime> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".mbox.index")).toList()) {
                out.put(p, Files.getLastModifiedTime(p));
            }
        }
        return out;
    }
}
