package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
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
 * source folders renamed to one are refused rather than merged.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotFolderMappingIT {

    static final String USER = "mapped";

    @RegisterExtension
    static final Dovecot HOST1 = Dovecot.builder().separator('/').user(USER, "Map-s3cret").build();

    @RegisterExtension
    static final Dovecot HOST2 = Dovecot.builder().separator('.').user(USER, "Map-s3cret")
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

        ImapTarget merging = ImapTarget.builder(Restores.account(HOST2, USER))
                .rename("s/^INBOX\\.(Old\\.Sent|Archive\\.2019)$/INBOX.Both/").build();
        BackupReport refused = RestoreSession.builder().source(Restores.account(HOST1, USER)).target(merging)
                .build().run();
        assertThat(refused.allErrors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("\"Archive/2019\"", "\"Old/Sent\"", "\"INBOX.Both\""));
        assertThat(Restores.counts(HOST2, USER)).containsEntry("INBOX.Both", 1L);
    }

    private static void append(ImapTestClient c, String folder, String id) throws Exception {
        c.append(folder, Interop.ascii("Message-ID: <" + id + "@mapping>\r\n\r\nin " + folder + "\r\n"), Set.of(),
                Instant.parse("2021-03-04T05:06:07Z"));
    }
}
