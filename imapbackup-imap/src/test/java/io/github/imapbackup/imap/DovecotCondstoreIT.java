package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental runs against Dovecot's CONDSTORE: a second run fetches no body, and a flag change is
 * picked up with {@code CHANGEDSINCE}. Each test uses its own folder of the shared server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotCondstoreIT {

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD).rawlog(true).build();

    private static long[] load(String folder, int n) throws Exception {
        long[] uids = new long[n];
        try (ImapTestClient c = DOVECOT.login(USER)) {
            c.createFolder(folder);
            for (int i = 0; i < n; i++) {
                byte[] m = Interop.ascii("Message-ID: <" + folder + i + "@x>\r\nSubject: " + i
                        + "\r\n\r\nbody " + i + "\r\n");
                uids[i] = c.append(folder, m, i % 2 == 0 ? Set.of("\\Seen") : Set.of(),
                        Instant.parse("2022-02-02T02:02:02Z"));
            }
        }
        return uids;
    }

    @Test
    void dovecotAnnouncesCondstoreAndSourceSeesHighestModSeq() throws Exception {
        load("Modseq", 2);
        try (SourceConnection c = Interop.source(DOVECOT).build().connect()) {
            assertThat(c.hasCapability("CONDSTORE")).isTrue();
            FolderInfo f = c.folders().stream().filter(x -> x.name().equals("Modseq")).findFirst().orElseThrow();
            assertThat(c.status(f).highestModSeq()).isPositive();
            long modSeq;
            try (SourceFolder open = c.open(f)) {
                modSeq = open.status().highestModSeq();
                assertThat(open.flags(modSeq)).isEmpty();
            }
            try (ImapTestClient raw = DOVECOT.login(USER)) {
                raw.store("Modseq", 1, "+FLAGS", List.of("\\Flagged"));
            }
            try (SourceFolder open = c.open(f)) {
                assertThat(open.status().highestModSeq()).isGreaterThan(modSeq);
                assertThat(open.flags(modSeq)).containsOnlyKeys(1L);
                assertThat(open.flags(modSeq).get(1L)).containsExactlyInAnyOrder("\\Seen", "\\Flagged");
                assertThat(open.flags(0)).containsOnlyKeys(1L, 2L);
            }
        }
    }

    @Test
    void expungedSinceNamesWhatWasExpungedAfterTheModSeq() throws Exception {
        long[] uids = load("Vanishing", 5);
        try (SourceConnection c = Interop.source(DOVECOT).build().connect()) {
            assertThat(c.hasCapability("QRESYNC")).isTrue();
            FolderInfo f = c.folders().stream().filter(x -> x.name().equals("Vanishing")).findFirst().orElseThrow();
            long modSeq;
            try (SourceFolder open = c.open(f)) {
                modSeq = open.status().highestModSeq();
                assertThat(open.expungedSince(modSeq, uids[4])).hasValueSatisfying(v -> assertThat(v).isEmpty());
            }
            try (ImapTestClient raw = DOVECOT.login(USER)) {
                raw.store("Vanishing", uids[1], "+FLAGS", List.of("\\Deleted"));
                raw.store("Vanishing", uids[4], "+FLAGS", List.of("\\Deleted"));
                raw.command("SELECT Vanishing");
                raw.command("EXPUNGE");
            }
            try (SourceFolder open = c.open(f)) {
                assertThat(open.expungedSince(modSeq, uids[4])).hasValueSatisfying(v -> assertThat(v)
                        .containsExactly(uids[1], uids[4]));
                assertThat(open.expungedSince(modSeq, uids[3])).hasValueSatisfying(v -> assertThat(v)
                        .containsExactly(uids[1]));
                assertThat(open.expungedSince(open.status().highestModSeq(), uids[4]))
                        .hasValueSatisfying(v -> assertThat(v).isEmpty());
            }
        }
    }

    /**
     * Another session expunges several messages of a folder this connection has open: with QRESYNC
     * enabled the server tells it with an untagged {@code VANISHED} of several UIDs, which Angus Mail
     * 2.0.5's own handling turns into a NullPointerException (every other message of its array is
     * left null). The folder reads on, and closes, without one.
     */
    @Test
    void anotherSessionExpungingSeveralMessagesOfTheOpenFolderIsNoFailure() throws Exception {
        long[] uids = load("Expunging", 6);
        try (SourceConnection c = Interop.source(DOVECOT).build().connect()) {
            FolderInfo f = c.folders().stream().filter(x -> x.name().equals("Expunging")).findFirst().orElseThrow();
            try (SourceFolder open = c.open(f)) {
                long modSeq = open.status().highestModSeq();
                try (ImapTestClient raw = DOVECOT.login(USER)) {
                    for (int i : new int[] {0, 1, 2, 4}) {
                        raw.store("Expunging", uids[i], "+FLAGS", List.of("\\Deleted"));
                    }
                    raw.command("SELECT Expunging");
                    raw.command("EXPUNGE");
                }
                // each command may bring the server's news: "* VANISHED 1:3,5"
                assertThat(open.flags(modSeq)).doesNotContainKeys(uids[0], uids[1], uids[2], uids[4]);
                assertThat(open.expungedSince(modSeq, uids[5])).hasValueSatisfying(v -> assertThat(v)
                        .containsExactly(uids[0], uids[1], uids[2], uids[4]));
                assertThat(open.messages(1)).extracting(m -> m.uid()).containsExactly(uids[3], uids[5]);
            }
            try (SourceFolder again = c.open(f)) {
                assertThat(again.status().messages()).isEqualTo(2);
                try (ImapTestClient raw = DOVECOT.login(USER)) {
                    raw.store("Expunging", uids[3], "+FLAGS", List.of("\\Deleted"));
                    raw.store("Expunging", uids[5], "+FLAGS", List.of("\\Deleted"));
                    raw.command("SELECT Expunging");
                    raw.command("EXPUNGE");
                }
                // idle for over a second, Angus's check that the folder is open sends a NOOP
                // (migrate --delete1 closed its reading folder so, after its deleting connection)
                Thread.sleep(1_100);
            }
        }
    }

    /**
     * Right after another session expunged messages of the open folder, before this session sent
     * any command: asked about them and others, the folder names exactly those gone.
     */
    @Test
    void theOpenFolderTellsWhichMessagesAnotherSessionExpunged() throws Exception {
        long[] uids = load("Asked", 5);
        try (SourceConnection c = Interop.source(DOVECOT).build().connect()) {
            FolderInfo f = c.folders().stream().filter(x -> x.name().equals("Asked")).findFirst().orElseThrow();
            try (SourceFolder open = c.open(f)) {
                try (ImapTestClient raw = DOVECOT.login(USER)) {
                    raw.store("Asked", uids[1], "+FLAGS", List.of("\\Deleted"));
                    raw.store("Asked", uids[3], "+FLAGS", List.of("\\Deleted"));
                    raw.command("SELECT Asked");
                    raw.command("EXPUNGE");
                }
                assertThat(open.expungedOf(uids)).hasValueSatisfying(gone -> assertThat(gone)
                        .containsExactly(uids[1], uids[3]));
                assertThat(open.expungedOf(new long[] {uids[0], uids[2], uids[4]}))
                        .hasValueSatisfying(gone -> assertThat(gone).isEmpty());
            }
        }
    }

    /**
     * A backup while another session expunges ten messages of the folder at once (a mail client
     * emptying it) after the folder was listed: the folder is not failed by the server's news; every
     * message that was not expunged is stored, and the expunged ones, which the server confirms are
     * gone, are counted as such and are no failure.
     */
    @Test
    void aBackupWhileAnotherSessionExpungesSeveralMessagesStoresTheRest(@TempDir Path dir) throws Exception {
        long[] uids = load("Emptied", 40);
        Set<Long> expunged = new TreeSet<>();
        for (int i = 10; i < 20; i++) {
            expunged.add(uids[i]);
        }
        AtomicBoolean done = new AtomicBoolean();
        BackupListener client = new BackupListener() {
            @Override
            public void folderStarted(RunInfo run, FolderInfo folder, long messagesOnSource,
                    long messagesToCopy, long bytesToCopy) {
                // listed, no body fetched yet
                if (done.compareAndSet(false, true)) {
                    try (ImapTestClient raw = DOVECOT.login(USER)) {
                        for (long u : expunged) {
                            raw.store("Emptied", u, "+FLAGS", List.of("\\Deleted"));
                        }
                        raw.command("SELECT Emptied");
                        raw.command("EXPUNGE");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
        BackupReport r = BackupSession.builder().source(Interop.source(DOVECOT).build())
                .target(Interop.store(dir)).folders("Emptied").listener(client).build().run();
        assertThat(done).isTrue();
        assertThat(r.allErrors()).as("an expunged message is no failure").isEmpty();
        Set<Long> stored = new TreeSet<>();
        for (ArchivedMessage m : Interop.archived(dir, "Emptied", "/")) {
            stored.add(m.uid());
        }
        for (long u : uids) {
            if (!expunged.contains(u)) {
                assertThat(stored).contains(u);
            }
        }
        assertThat(stored).doesNotContainAnyElementsOf(expunged);
        assertThat(r.totals().expungedBeforeCopy()).isEqualTo(expunged.size());
        assertThat(r.totals().messagesCopied()).isEqualTo(uids.length - expunged.size());
        // the next run finds the expunged ones gone and nothing to copy
        BackupReport next = Interop.backup(Interop.source(DOVECOT).build(), dir, "Emptied");
        assertThat(next.hasFailures()).as(next.allErrors().toString()).isFalse();
        assertThat(next.totals().messagesCopied()).isZero();
    }

    @Test
    void secondRunFetchesNoBodyAndPicksUpFlagChanges(@TempDir Path dir) throws Exception {
        long[] uids = load("Incremental", 5);
        BackupReport first = Interop.backup(Interop.source(DOVECOT).build(), dir, "Incremental");
        assertThat(first.hasFailures()).isFalse();
        assertThat(first.totals().messagesCopied()).isEqualTo(5);

        try (ImapTestClient c = DOVECOT.login(USER)) {
            c.store("Incremental", uids[1], "+FLAGS", List.of("\\Flagged", "$Important"));
            c.store("Incremental", uids[2], "-FLAGS", List.of("\\Seen"));
        }
        DOVECOT.clearClientCommands(USER);
        BackupReport second = Interop.backup(Interop.source(DOVECOT).build(), dir, "Incremental");
        assertThat(second.hasFailures()).isFalse();
        assertThat(second.totals().messagesCopied()).isZero();
        assertThat(second.totals().flagsUpdated()).isEqualTo(2);

        List<String> commands = DOVECOT.clientCommands(USER);
        assertThat(commands).as("no body fetched on the second run").noneMatch(c -> c.contains("BODY.PEEK[]"));
        assertThat(commands).anyMatch(c -> c.toUpperCase(java.util.Locale.ROOT).contains("CHANGEDSINCE"));

        Map<Long, Set<String>> archived = new java.util.TreeMap<>();
        for (ArchivedMessage m : Interop.archived(dir, "Incremental", "/")) {
            archived.put(m.uid(), m.flags());
        }
        assertThat(archived.get(uids[1])).contains("\\Flagged", "$Important");
        assertThat(archived.get(uids[2])).doesNotContain("\\Seen");
        assertThat(archived.get(uids[0])).containsExactly("\\Seen");
    }

    @Test
    void folderRecreatedWithANewUidValidityStoresNoDuplicate(@TempDir Path dir) throws Exception {
        load("Recreated", 4);
        assertThat(Interop.backup(Interop.source(DOVECOT).build(), dir, "Recreated").totals().messagesCopied())
                .isEqualTo(4);
        long before = Interop.archived(dir, "Recreated", "/").get(0).uidValidity();
        try (ImapTestClient c = DOVECOT.login(USER)) {
            c.command("DELETE Recreated");
        }
        load("Recreated", 5); // the same four messages again, plus one
        BackupReport report = Interop.backup(Interop.source(DOVECOT).build(), dir, "Recreated");
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(1);
        List<ArchivedMessage> archived = Interop.archived(dir, "Recreated", "/");
        assertThat(archived).hasSize(5);
        assertThat(archived).extracting(ArchivedMessage::uidValidity).doesNotContain(before);
        assertThat(Interop.backup(Interop.source(DOVECOT).build(), dir, "Recreated").totals().messagesCopied())
                .isZero();
    }

    @Test
    void newMessagesAndExpungesAreSeenIncrementally(@TempDir Path dir) throws Exception {
        long[] uids = load("Growing", 3);
        assertThat(Interop.backup(Interop.source(DOVECOT).build(), dir, "Growing").hasFailures()).isFalse();
        long newUid;
        try (ImapTestClient c = DOVECOT.login(USER)) {
            newUid = c.append("Growing", Interop.ascii("Message-ID: <new@x>\r\n\r\nnew\r\n"), Set.of(), null);
            c.store("Growing", uids[0], "+FLAGS", List.of("\\Deleted"));
            c.command("SELECT Growing");
            c.command("EXPUNGE");
        }
        DOVECOT.clearClientCommands(USER);
        BackupReport report = Interop.backup(Interop.source(DOVECOT).build(), dir, "Growing");
        assertThat(report.hasFailures()).isFalse();
        assertThat(report.totals().messagesCopied()).isEqualTo(1);
        assertThat(report.totals().messagesExpunged()).isEqualTo(1);
        assertThat(DOVECOT.clientCommands(USER)).filteredOn(c -> c.contains("BODY.PEEK[]"))
                .allMatch(c -> c.contains("UID FETCH " + newUid + " "));
        assertThat(DOVECOT.clientCommands(USER)).as("QRESYNC: the expunge comes from VANISHED (EARLIER)")
                .anyMatch(c -> c.contains("ENABLE QRESYNC"))
                .anyMatch(c -> c.contains("VANISHED)"))
                .noneMatch(c -> c.contains("UID SEARCH ALL"));
        List<ArchivedMessage> archived = Interop.archived(dir, "Growing", "/");
        assertThat(archived).hasSize(4);
        assertThat(archived).filteredOn(ArchivedMessage::expunged).extracting(ArchivedMessage::uid)
                .containsExactly(uids[0]);
    }
}
