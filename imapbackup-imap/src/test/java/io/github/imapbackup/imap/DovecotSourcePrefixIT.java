package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * host1's personal namespace prefix is stripped by default in a migration: host1 laid out as
 * Courier or Cyrus ({@code .} and every folder under {@code INBOX.}), host2 a Dovecot with {@code /}
 * and no prefix; {@code INBOX.Sent} arrives as {@code Sent}, not {@code INBOX/Sent}, and INBOX as
 * INBOX; an explicit empty source prefix ({@code --prefix1 ''}) keeps the old names; a library
 * migration whose target was not told about host1 ({@code ImapTarget.Builder.source}) strips it too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotSourcePrefixIT {

    static final String USER = "prefixed";
    static final String PLAIN = "plain";
    static final String LIBRARY = "library";

    @RegisterExtension
    static final Dovecot HOST1 = Dovecot.builder().separator('.').user(USER, "Pre-s3cret").user(LIBRARY, "Pre-s3cret")
            .namespaceConfig("prefix = INBOX.").build();

    @RegisterExtension
    static final Dovecot HOST2 = Dovecot.builder().separator('/').user(USER, "Pre-s3cret").user(PLAIN, "Pre-s3cret")
            .user(LIBRARY, "Pre-s3cret")
            .build();

    @Test
    void host1sPrefixIsStrippedByDefaultAndINBOXStaysINBOX() throws Exception {
        try (ImapTestClient c = HOST1.login(USER)) {
            append(c, "INBOX", "i");
            for (String f : new String[] {"INBOX.Sent", "INBOX.Archive", "INBOX.Archive.2019"}) {
                c.createFolder(f);
                append(c, f, f);
            }
        }
        ImapSource host1 = Restores.account(HOST1, USER);
        MigrateSession session = MigrateSession.builder().source(host1)
                .target(ImapTarget.builder(Restores.account(HOST2, USER)).source(host1).build()).build();

        BackupReport report = session.run();

        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(4);
        assertThat(Restores.counts(HOST2, USER)).containsAllEntriesOf(Map.of("INBOX", 1L, "Sent", 1L,
                "Archive", 1L, "Archive/2019", 1L)).doesNotContainKeys("INBOX/Sent", "INBOX/Archive/2019");
        assertThat(session.run().totals().messagesCopied()).as("a rerun finds every folder again").isZero();

        BackupReport kept = MigrateSession.builder().source(host1)
                .target(ImapTarget.builder(Restores.account(HOST2, PLAIN)).source(host1).sourcePrefix("").build())
                .build().run();
        assertThat(kept.allErrors()).isEmpty();
        assertThat(Restores.counts(HOST2, PLAIN)).containsEntry("INBOX/Sent", 1L).containsEntry("INBOX", 1L);
    }

    @Test
    void aLibraryMigrationWithoutTheTargetsSourceStripsHost1sPrefixToo() throws Exception {
        try (ImapTestClient c = HOST1.login(LIBRARY)) {
            append(c, "INBOX", "li");
            c.createFolder("INBOX.Sent");
            append(c, "INBOX.Sent", "ls");
        }
        MigrateSession session = MigrateSession.builder().source(Restores.account(HOST1, LIBRARY))
                .target(ImapTarget.builder(Restores.account(HOST2, LIBRARY)).build()).build();

        BackupReport planned = session.plan();
        assertThat(planned.folders()).extracting(f -> f.file()).containsExactlyInAnyOrder("INBOX", "Sent");
        BackupReport report = session.run();

        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(2);
        assertThat(Restores.counts(HOST2, LIBRARY)).isEqualTo(Map.of("INBOX", 1L, "Sent", 1L));
    }

    private static void append(ImapTestClient c, String folder, String id) throws Exception {
        c.append(folder, Interop.ascii("Message-ID: <" + id + "@prefix>\r\n\r\nin " + folder + "\r\n"), Set.of(),
                Instant.parse("2021-03-04T05:06:07Z"));
    }
}
