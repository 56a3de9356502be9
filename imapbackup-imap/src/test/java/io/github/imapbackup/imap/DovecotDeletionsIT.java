package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A migration's opt-in deletions from one Dovecot account (host1, an {@link ImapSource}) to another
 * (host2, an {@link ImapTarget}) through {@link MigrateSession}'s public builder: {@code --delete2} expunges exactly host2's
 * surplus (not a message a user flagged {@code \Deleted}), {@code --delete1} expunges from host1
 * by UID what host2 holds, {@code --delete2folders} deletes host2's folders host1 has not; and a
 * migration without {@code --delete1} sends host1 no SELECT, STORE or EXPUNGE (its raw log).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DovecotDeletionsIT {

    /** The accounts, host1 and host2 of each test, known from the start (Dovecot rereads its users only by mtime). */
    private static final List<String> ACCOUNTS = List.of("delete2", "delete1", "folders");

    @RegisterExtension
    static final Dovecot DOVECOT = users(Dovecot.builder().separator('/').rawlog(true)).build();

    private static final Instant DATE = Instant.parse("2020-05-06T07:08:09Z");

    private String host1;
    private String host2;

    private static Dovecot.Builder users(Dovecot.Builder b) {
        for (String a : ACCOUNTS) {
            b.user(a + "-host1", "One-s3cret").user(a + "-host2", "Two-s3cret");
        }
        return b;
    }

    private void accounts(String test) {
        host1 = test + "-host1";
        host2 = test + "-host2";
    }

    private static byte[] message(String id) {
        return ("Message-ID: <" + id + "@example.org>\r\nSubject: " + id + "\r\n\r\nbody of " + id + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static void put(String user, String folder, String... ids) throws Exception {
        for (String id : ids) {
            DOVECOT.append(user, folder, message(id), Set.of(), DATE);
        }
    }

    private BackupReport migrate(boolean fromTarget, boolean fromSource, boolean targetFolders, boolean dryRun)
            throws BackupException {
        MigrateSession session = MigrateSession.builder().source(Restores.account(DOVECOT, host1))
                .target(ImapTarget.builder(Restores.account(DOVECOT, host2)).build()).connections(2)
                .deleteFromTarget(fromTarget).deleteFromSource(fromSource).deleteTargetFolders(targetFolders).build();
        return dryRun ? session.plan() : session.run();
    }

    private static List<String> upper(List<String> commands) {
        return commands.stream().map(c -> c.toUpperCase(Locale.ROOT)).toList();
    }

    @Test
    void delete2ExpungesExactlyTheSurplusOfHost2AndHost1IsOnlyRead() throws Exception {
        accounts("delete2");
        put(host1, "INBOX", "a", "b", "d");
        put(host2, "INBOX", "a", "b", "b", "c");
        DOVECOT.append(host2, "INBOX", message("d"), Set.of("\\Deleted"), DATE); // a user's, matched: stays
        DOVECOT.clearClientCommands(host1);

        BackupReport r = migrate(true, false, true, false);

        assertThat(r.hasFailures()).as(r.allErrors().toString()).isFalse();
        assertThat(r.totals().onlyOnTarget()).isEqualTo(1);
        assertThat(r.totals().duplicatesOnTarget()).isEqualTo(1);
        assertThat(r.totals().deletedFromTarget()).isEqualTo(2);
        assertThat(Restores.counts(DOVECOT, host2)).containsEntry("INBOX", 3L);
        try (ImapTestClient c = DOVECOT.login(host2)) {
            assertThat(c.flags("INBOX").values()).as("the message flagged \\Deleted by a user is not expunged")
                    .anyMatch(f -> f.contains("\\Deleted"));
        }
        assertThat(Restores.counts(DOVECOT, host1)).containsEntry("INBOX", 3L);
        List<String> sent = upper(DOVECOT.clientCommands(host1));
        assertThat(sent).isNotEmpty().anyMatch(c -> c.startsWith("EXAMINE"))
                .noneMatch(c -> c.matches("^(UID )?(SELECT|STORE|EXPUNGE|DELETE|COPY|MOVE|APPEND)\\b.*"));
        assertThat(migrate(true, false, false, false).totals().deletedFromTarget()).isZero();
    }

    @Test
    void delete1ExpungesFromHost1ByUidWhatHost2HoldsAfterTheCopy() throws Exception {
        accounts("delete1");
        put(host1, "INBOX", "a", "b", "c");
        put(host1, "Archive/2019", "old");
        put(host2, "INBOX", "a");
        DOVECOT.clearClientCommands(host1);

        BackupReport dry = migrate(true, true, true, true);
        assertThat(dry.totals().deletedFromSource()).isEqualTo(4);
        assertThat(Restores.counts(DOVECOT, host1)).containsEntry("INBOX", 3L);

        BackupReport r = migrate(false, true, false, false);

        assertThat(r.hasFailures()).as(r.allErrors().toString()).isFalse();
        assertThat(r.totals().messagesCopied()).isEqualTo(3);
        assertThat(r.totals().deletedFromSource()).isEqualTo(4);
        assertThat(Restores.counts(DOVECOT, host1)).containsEntry("INBOX", 0L).containsEntry("Archive/2019", 0L);
        assertThat(Restores.counts(DOVECOT, host2)).containsEntry("INBOX", 3L).containsEntry("Archive/2019", 1L);
        List<String> sent = upper(DOVECOT.clientCommands(host1));
        assertThat(sent).anyMatch(c -> c.startsWith("UID STORE") && c.contains("+FLAGS.SILENT (\\DELETED)"))
                .anyMatch(c -> c.startsWith("UID EXPUNGE"))
                .noneMatch(c -> c.equals("EXPUNGE"));
    }

    @Test
    void delete2foldersDeletesHost2FoldersHost1HasNotButNeverInboxNorAParentThatStays() throws Exception {
        accounts("folders");
        put(host1, "INBOX", "i");
        put(host1, "Keep/Sub", "k");
        put(host2, "Old", "o");
        put(host2, "Old/Child", "oc");
        put(host2, "Keep/Sub", "k");

        BackupReport r = migrate(false, false, true, false);

        assertThat(r.hasFailures()).as(r.allErrors().toString()).isFalse();
        assertThat(r.totals().foldersDeletedFromTarget()).isEqualTo(2);
        assertThat(Restores.counts(DOVECOT, host2).keySet()).contains("INBOX", "Keep/Sub")
                .doesNotContain("Old", "Old/Child");
        assertThat(Restores.counts(DOVECOT, host1).keySet()).contains("INBOX", "Keep/Sub");
    }
}
