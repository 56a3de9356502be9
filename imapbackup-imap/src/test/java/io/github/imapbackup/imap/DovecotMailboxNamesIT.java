package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.ascii;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mailbox names that need care on the wire, against Dovecot: names with {@code ~} (sent as an
 * atom before, which Courier refuses; Dovecot itself refuses a name that begins with it), a space, quotes, a backslash, non-ASCII letters, and the
 * LIST wildcards {@code %} and {@code *}. Every one is backed up byte for byte, and every command
 * that carries a mailbox name sends it quoted (or as a literal).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotMailboxNamesIT {

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD).rawlog(true).build();

    static final List<String> WANTED = List.of("x~old", "INBOX/~old", "Archive/~old", "a b", "\"quoted\"", "back\\slash",
            "\u00dcn\u00efc\u00f8d\u00e9", "%", "*", "nil");
    /** Folder name → the bytes of its one message, for the names Dovecot accepted. */
    static final Map<String, byte[]> CREATED = new LinkedHashMap<>();
    static final List<String> REFUSED = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        try (ImapTestClient c = DOVECOT.login(USER)) {
            int i = 0;
            for (String name : WANTED) {
                String wire = BASE64MailboxEncoder.encode(name);
                byte[] m = ascii("Message-ID: <name" + i + "@x>\r\nSubject: folder " + i + "\r\n\r\nbody " + i++ + "\r\n");
                try {
                    c.createFolder(wire);
                    c.append(wire, m, Set.of("\\Seen"), Instant.parse("2024-01-02T03:04:05Z"));
                    CREATED.put(name, m);
                } catch (java.io.IOException e) {
                    REFUSED.add(name + ": " + e.getMessage());
                }
            }
        }
    }

    @Test
    void everyFolderIsBackedUpAndEveryNameIsSentQuoted(@TempDir Path dir) throws Exception {
        // Dovecot refuses only a name that begins with "~"; the rest must all be there
        assertThat(REFUSED).isEmpty();
        DOVECOT.clearClientCommands(USER);
        BackupReport report = Interop.backup(Interop.source(DOVECOT).build(), dir);
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.folders()).extracting(FolderReport::name).containsAll(CREATED.keySet());
        for (Map.Entry<String, byte[]> e : CREATED.entrySet()) {
            assertThat(Interop.archivedHashes(dir, e.getKey(), "/").values()).as(e.getKey())
                    .containsExactly(sha256(e.getValue()));
        }
        BackupReport again = Interop.backup(Interop.source(DOVECOT).build(), dir);
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesCopied()).isZero();

        List<String> carrying = DOVECOT.clientCommands(USER).stream()
                .filter(c -> c.matches("(?i)(EXAMINE|SELECT|STATUS|LIST|LSUB) .*")).toList();
        assertThat(carrying).isNotEmpty().allSatisfy(c -> {
            String[] parts = c.split(" ", 3);
            assertThat(parts[1]).as(c).matches("\".*|\\{.*");
        });
        assertThat(carrying).anyMatch(c -> c.startsWith("EXAMINE \"INBOX/~old\""))
                .anyMatch(c -> c.startsWith("LIST \"\" \"*\" RETURN (") && c.contains(" STATUS (")) // no STATUS per folder
                .anyMatch(c -> c.startsWith("EXAMINE \"*\""));
    }
}
