package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import jakarta.mail.Flags;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MigrateSession} between real servers: Dovecot with delimiter {@code /} to Dovecot with
 * {@code .}, and GreenMail to Dovecot. Each host is backed up before and after and the two
 * compared: the same folders (by segments), the same bytes (SHA-256), INTERNALDATE, flags and
 * keywords, copies counted (messages held twice and Message-ID-less ones included); a rerun
 * transfers nothing; host1 is never written (its \Seen flags stay as they were).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DovecotMigrateIT {

    static final String PASSWORD = "Migr8-s3cret";

    @RegisterExtension
    static final Dovecot SLASH = Dovecot.builder().separator('/').user("host1", PASSWORD).build();

    @RegisterExtension
    static final Dovecot DOT = Dovecot.builder().separator('.').user("host2", PASSWORD).user("fromgreenmail", PASSWORD)
            .build();

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @TempDir
    static Path dir;

    static List<String> before;

    @BeforeAll
    static void fillHost1() throws Exception {
        try (ImapTestClient c = SLASH.login("host1")) {
            for (String folder : List.of("INBOX", "Work/Projects/2024", "Lists")) {
                if (!folder.equals("INBOX")) {
                    c.createFolder(folder);
                }
                List<ImapTestClient.Message> batch = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    byte[] m = KilledRestoreIT.message(folder, i, 300 + 97 * i);
                    Set<String> flags = i % 3 == 0 ? Set.of("\\Seen") : i % 7 == 0 ? Set.of("\\Flagged", "Todo") : Set.of();
                    Instant date = Instant.parse("2016-01-01T00:00:00Z").plusSeconds(86_400L * i + folder.length());
                    batch.add(new ImapTestClient.Message(m, flags, date));
                    if (i % 10 == 0) { // held twice on host1, with another flag
                        batch.add(new ImapTestClient.Message(m, Set.of("\\Answered"), date));
                    }
                }
                c.appendAll(folder, batch);
            }
        }
        before = Restores.contents(backup(SLASH, "host1", "before"));
    }

    private static Path backup(Dovecot d, String user, String name) throws Exception {
        Path to = dir.resolve(name);
        assertThat(Restores.backup(d, user, to).allErrors()).isEmpty();
        return to;
    }

    private static MigrateSession migrate(ImapSource from, Dovecot to, String user) {
        return MigrateSession.builder().source(from).target(ImapTarget.builder(Restores.account(to, user)).build())
                .build();
    }

    @Test
    void slashToDotMirrorsHost1ExactlyAndARerunTransfersNothing() throws Exception {
        BackupReport report = migrate(Restores.account(SLASH, "host1"), DOT, "host2").run();

        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(before.size());
        assertThat(Restores.contents(backup(DOT, "host2", "after"))).containsExactlyElementsOf(before);
        assertThat(Restores.counts(DOT, "host2")).containsKeys("INBOX", "Work.Projects.2024", "Lists");
        assertThat(Restores.contents(backup(SLASH, "host1", "host1-after"))).as("host1 untouched")
                .containsExactlyElementsOf(before);

        BackupReport again = migrate(Restores.account(SLASH, "host1"), DOT, "host2").run();
        assertThat(again.totals().messagesCopied()).isZero();
        assertThat(again.totals().messagesSkipped()).isEqualTo(before.size());
        assertThat(Restores.contents(backup(DOT, "host2", "again"))).containsExactlyElementsOf(before);
    }

    @Test
    void greenMailToDovecotCopiesEveryMessageWithItsCopiesAndNoMessageId() throws Exception {
        var alice = Fixtures.user(greenMail);
        byte[] one = Fixtures.message("<one@example.org>", "carol@example.org", "one", "Hello\n");
        byte[] noId = Fixtures.message(null, "dave@example.org", "no id", "none\n");
        Instant date = Instant.parse("2019-07-14T10:15:30Z");
        Fixtures.append(greenMail, alice, "INBOX", one, new Flags(Flags.Flag.SEEN), date);
        Fixtures.append(greenMail, alice, "INBOX", one, null, date);
        Fixtures.append(greenMail, alice, "INBOX", noId, null, date);
        Fixtures.append(greenMail, alice, "INBOX", noId, null, date);
        Fixtures.append(greenMail, alice, "Archive.2019", noId, null, date);

        BackupReport report = migrate(Fixtures.plain(greenMail).build(), DOT, "fromgreenmail").run();

        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(5);
        assertThat(Restores.counts(DOT, "fromgreenmail")).containsEntry("INBOX", 4L).containsEntry("Archive.2019", 1L);
        List<String> host2 = Restores.contents(backup(DOT, "fromgreenmail", "greenmail-after"));
        assertThat(host2).hasSize(5);
        assertThat(new TreeSet<>(host2)).hasSize(4); // the copies without flags of the Message-ID-less one are equal lines
        assertThat(migrate(Fixtures.plain(greenMail).build(), DOT, "fromgreenmail").run().totals().messagesCopied())
                .isZero();
    }
}
