package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.mbox.ArchiveSelection;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point in time and undelete against Dovecot: an account backed up in three runs at known times
 * (the store's clock), with mail expunged and added between the runs (one message expunged and
 * later appended again); restoring {@code asOf(T)} into fresh accounts gives exactly what the
 * account held at T, {@code expungedOnly} exactly what was expunged.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DovecotAsOfIT {

    static final String SOURCE = "history";
    static final String PASSWORD = "Hist-s3cret";
    static final List<String> TARGETS = List.of("before", "first", "second", "third", "last", "undelete",
            "atsecond");
    static final Instant T1 = Instant.parse("2024-01-10T12:00:00Z");
    static final Instant T2 = Instant.parse("2024-02-10T12:00:00Z");
    static final Instant T3 = Instant.parse("2024-03-10T12:00:00Z");
    static final String OLD = "Work/Old";
    static final String BACK = "Back";

    @RegisterExtension
    static final Dovecot DOVECOT = users(Dovecot.builder().separator('/').user(SOURCE, PASSWORD)).build();

    @TempDir
    static Path backup;

    /** Message name → "folder | SHA-256" as {@link #held(String)} gives it. */
    static final Map<String, String> LINES = new HashMap<>();

    /** The target accounts, added up front: Dovecot rereads its password file once a second at most. */
    static Dovecot.Builder users(Dovecot.Builder b) {
        TARGETS.forEach(u -> b.user(u, PASSWORD));
        return b;
    }

    @BeforeAll
    static void backUpThreeTimesWithExpungesAndNewMailBetween() throws Exception {
        Map<String, Long> uids = new HashMap<>();
        add(uids, "INBOX", "a", "b", "c");
        add(uids, OLD, "p", "q");
        add(uids, BACK, "x");
        run(T1);
        Restores.expunge(DOVECOT, SOURCE, "INBOX", uids.get("b"));
        Restores.expunge(DOVECOT, SOURCE, OLD, uids.get("p"));
        Restores.expunge(DOVECOT, SOURCE, BACK, uids.get("x"));
        add(uids, "INBOX", "d");
        run(T2);
        Restores.expunge(DOVECOT, SOURCE, "INBOX", uids.get("c"));
        add(uids, "INBOX", "e");
        add(uids, OLD, "r");
        add(uids, BACK, "x"); // x is back on the server (a new UID, the same bytes)
        run(T3);
    }

    private static void add(Map<String, Long> uids, String folder, String... names) throws Exception {
        try (ImapTestClient c = DOVECOT.login(SOURCE)) {
            c.createFolder(folder);
            for (String n : names) {
                byte[] bytes = VariedMail.bytes("Message-ID: <" + n + "@history>\r\nSubject: " + n + "\r\n\r\n" + n + "\r\n");
                uids.put(n, c.append(folder, bytes, Set.of("\\Seen"), Instant.parse("2023-12-01T00:00:00Z")));
                LINES.put(n, Restores.segments(folder, "/").stream().reduce((x, y) -> x + " > " + y).orElseThrow()
                        + " | " + Interop.sha256(bytes));
            }
        }
    }

    private static void run(Instant now) throws Exception {
        BackupReport report = Restores.backup(DOVECOT, SOURCE, backup, now);
        assertThat(report.allErrors()).isEmpty();
    }

    /** Restores {@code selection} into {@code user}; returns what the account then holds. */
    static List<String> restore(ArchiveSelection selection, String user, int copied) throws Exception {
        BackupReport report = Restores.restore(backup, selection, ImapTarget.builder(Restores.account(DOVECOT, user))
                .build());
        assertThat(report.allErrors()).as(selection.toString()).isEmpty();
        assertThat(report.totals().messagesCopied()).as(selection.toString()).isEqualTo(copied);
        return held(user);
    }

    /** Returns "folder | SHA-256" of each message the account holds, sorted, copies kept. */
    static List<String> held(String user) throws Exception {
        Path dir = Files.createTempDirectory(backup.getParent(), user);
        assertThat(Restores.backup(DOVECOT, user, dir).allErrors()).isEmpty();
        List<String> result = new ArrayList<>();
        for (String l : Restores.contents(dir)) {
            result.add(l.substring(0, l.indexOf(" | ", l.indexOf(" | ") + 3)));
        }
        return result;
    }

    static List<String> lines(String... names) {
        return java.util.Arrays.stream(names).map(LINES::get).sorted().toList();
    }

    static ArchiveSelection asOf(Instant t) {
        return ArchiveSelection.builder().asOf(t).build();
    }

    @Test
    void asOfBeforeTheFirstBackupRestoresNothing() throws Exception {
        assertThat(restore(asOf(T1.minus(Duration.ofDays(1))), "before", 0)).isEmpty();
    }

    @Test
    void asOfBetweenTheRunsRestoresEachFolderAsItWasThen() throws Exception {
        assertThat(restore(asOf(T1.plus(Duration.ofDays(1))), "first", 6)).containsExactlyElementsOf(
                lines("a", "b", "c", "p", "q", "x"));
        // x was expunged then, but it is back on the server: the backup adopted the archived copy,
        // which clears its expunge mark and time (docs/FORMAT-index.md, "Times"), so it counts as
        // present throughout; one mail too many rather than one too few
        assertThat(restore(asOf(T2.plus(Duration.ofDays(1))), "second", 5)).containsExactlyElementsOf(
                lines("a", "c", "d", "q", "x"));
        assertThat(restore(asOf(T2), "atsecond", 5)).as("at the very time of a run: what that run saw")
                .containsExactlyElementsOf(lines("a", "c", "d", "q", "x"));
    }

    @Test
    void asOfAfterTheLastRunRestoresTheLastBackupsStateAndAllRestoresEveryArchivedMessage() throws Exception {
        assertThat(restore(asOf(T3.plus(Duration.ofDays(1))), "third", 6)).containsExactlyElementsOf(
                lines("a", "d", "e", "q", "r", "x"));
        assertThat(restore(ArchiveSelection.all(), "last", 9)).as("all() offers the expunged ones too")
                .containsExactlyElementsOf(lines("a", "b", "c", "d", "e", "p", "q", "r", "x"));
    }

    @Test
    void expungedOnlyRestoresExactlyTheExpungedMessages() throws Exception {
        assertThat(restore(ArchiveSelection.builder().expungedOnly(true).build(), "undelete", 3))
                .as("x is on the server again").containsExactlyElementsOf(lines("b", "c", "p"));
    }
}
