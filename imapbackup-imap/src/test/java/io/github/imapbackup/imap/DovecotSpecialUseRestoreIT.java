package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Special-use folders from one server to another that names them differently: the backup records
 * the source's attributes, and the restore puts each folder's mail into the target's own
 * {@code \Sent}, {@code \Trash} (and the rest as they are), without creating the source's names.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotSpecialUseRestoreIT {

    static final String USER = "special";

    @RegisterExtension
    static final Dovecot APPLE = Dovecot.builder().user(USER, "Spec-s3cret")
            .namespaceConfig("mailbox \"Sent Messages\" {", "  special_use = \\Sent", "  auto = create", "}",
                    "mailbox \"Deleted Messages\" {", "  special_use = \\Trash", "  auto = create", "}")
            .build();

    @RegisterExtension
    static final Dovecot PLAIN = Dovecot.builder().separator('.').user(USER, "Spec-s3cret")
            .namespaceConfig("mailbox Sent {", "  special_use = \\Sent", "  auto = create", "}",
                    "mailbox Trash {", "  special_use = \\Trash", "  auto = create", "}")
            .build();

    @Test
    void sentAndTrashLandInTheTargetsOwnFolders(@TempDir Path dir) throws Exception {
        try (ImapTestClient c = APPLE.login(USER)) {
            c.append("Sent Messages", Interop.ascii("Message-ID: <s@special>\r\n\r\nsent\r\n"), Set.of("\\Seen"),
                    Instant.parse("2022-02-02T02:02:02Z"));
            c.append("Deleted Messages", Interop.ascii("Message-ID: <t@special>\r\n\r\ntrash\r\n"), Set.of(),
                    Instant.parse("2022-02-02T02:02:03Z"));
            c.append("INBOX", Interop.ascii("Message-ID: <i@special>\r\n\r\ninbox\r\n"), Set.of(),
                    Instant.parse("2022-02-02T02:02:04Z"));
        }
        assertThat(Restores.backup(APPLE, USER, dir).allErrors()).isEmpty();

        BackupReport restore = Restores.restore(dir, PLAIN, USER);
        assertThat(restore.allErrors()).isEmpty();
        assertThat(restore.totals().messagesCopied()).isEqualTo(3);
        Map<String, Long> held = new TreeMap<>(Restores.counts(PLAIN, USER));
        assertThat(held).containsExactlyInAnyOrderEntriesOf(Map.of("INBOX", 1L, "Sent", 1L, "Trash", 1L));
        assertThat(Restores.restore(dir, PLAIN, USER).totals().messagesCopied()).isZero();
    }
}
