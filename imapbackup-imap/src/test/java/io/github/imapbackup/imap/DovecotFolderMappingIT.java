package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderCollisionException;
import io.github.imapbackup.RestoreSession;
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
 * A migration's folder names between two Dovecot servers that disagree: host1 with {@code /} and no
 * prefix, host2 with {@code .} and every folder under {@code INBOX.} (Courier's layout); the
 * delimiter is translated, host2's prefix added (INBOX kept), a rename rule applied, and two
 * source folders renamed to one are refused before the run, in a dry run too, naming both and the
 * name they share, with nothing created on host2.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotFolderMappingIT {

    static final String USER = "mapped";
    static final String FRESH = "fresh";

    @RegisterExtension
    static final Dovecot HOST1 = Dovecot.builder().separator('/').user(USER, "Map-s3cret").build();

    @RegisterExtension
    static final Dovecot HOST2 = Dovecot.builder().separator('.').user(USER, "Map-s3cret").user(FRESH, "Map-s3cret")
            .namespaceConfig("prefix = INBOX.").build();

    @Test
    void foldersArriveUnderHost2sPrefixWithItsDelimiterAndTheRenameRule() throws Exception {
        try (ImapTestClient c = HOST1.login(USER)) {
            append(c, "INBOX", "i");
            for (String f : new String[] {"Archive/2019", "Old/Sent", "Entw&APw-rfe"}) {
                c.createFolder(f);
                append(c, f, f);
            }
        }
        ImapTarget target = ImapTarget.builder(Restores.account(HOST2, USER))
                .rename("s/^INBOX\\.Old\\./INBOX.Attic./").build();
        BackupReport report = RestoreSession.builder().source(Restores.account(HOST1, USER)).target(target)
                .build().run();
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(4);
        assertThat(Restores.counts(HOST2, USER)).containsAllEntriesOf(Map.of("INBOX", 1L,
                "INBOX.Archive.2019", 1L, "INBOX.Attic.Sent", 1L, "INBOX.Entw&APw-rfe", 1L))
                .doesNotContainKeys("INBOX.Old.Sent", "INBOX.Old");

        ImapTarget merging = ImapTarget.builder(Restores.account(HOST2, FRESH))
                .rename("s/^INBOX\\.(Old\\.Sent|Archive\\.2019)$/INBOX.Both/").build();
        RestoreSession refusing = RestoreSession.builder().source(Restores.account(HOST1, USER)).target(merging)
                .connections(2).build();
        for (boolean dryRun : new boolean[] {true, false}) {
            assertThatThrownBy(dryRun ? refusing::plan : refusing::run).as("dry run " + dryRun)
                    .isInstanceOf(FolderCollisionException.class)
                    .hasMessageContainingAll("\"Archive/2019\"", "\"Old/Sent\"", "would both go into \"INBOX.Both\"",
                            "nothing was copied nor created")
                    .satisfies(e -> assertThat(((FolderCollisionException) e).collisions().get("INBOX.Both"))
                            .containsExactlyInAnyOrder("Archive/2019", "Old/Sent"));
        }
        assertThat(Restores.counts(HOST2, FRESH)).as("nothing at all created on host2")
                .isEqualTo(Map.of("INBOX", 0L));
    }

    private static void append(ImapTestClient c, String folder, String id) throws Exception {
        c.append(folder, Interop.ascii("Message-ID: <" + id + "@mapping>\r\n\r\nin " + folder + "\r\n"), Set.of(),
                Instant.parse("2021-03-04T05:06:07Z"));
    }
}
