package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyword the target refuses: Dovecot answers an APPEND whose keyword is longer than its
 * {@code mail_max_keyword_length} (50 unless configured) with {@code NO [CANNOT] Keyword length too
 * long}, although its PERMANENTFLAGS offer {@code \*}. Backed up from a Dovecot that allows longer
 * keywords, the message is restored without that keyword, counted as a dropped flag, and the
 * others keep theirs; nothing fails.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotRefusedKeywordIT {

    static final String USER = "keywords";
    static final String PASSWORD = "Key-s3cret";
    static final String LONG = "ProjectAlphaBetaGammaDeltaEpsilonZetaEtaThetaIotaKappa"; // 54 characters

    @RegisterExtension
    static final Dovecot LENIENT = Dovecot.builder().user(USER, PASSWORD).config("mail_max_keyword_length = 200")
            .build();

    @RegisterExtension
    static final Dovecot STRICT = Dovecot.builder().user(USER, PASSWORD).build();

    @Test
    void aKeywordTheTargetRefusesIsDroppedAndCountedAndTheMessageRestored(@TempDir Path dir) throws Exception {
        List<Set<String>> flags = List.of(Set.of("\\Seen", "Work", LONG), Set.of(LONG), Set.of("\\Flagged", "Work"),
                Set.of("Later", LONG, "\\Answered"), Set.of("Big" + LONG));
        byte[] big = Interop.big("<big@keywords>", 3 << 20); // spooled in a file, sent twice
        try (ImapTestClient c = LENIENT.login(USER)) {
            for (int i = 0; i < flags.size(); i++) {
                byte[] m = i == 4 ? big
                        : Interop.ascii("Message-ID: <" + i + "@keywords>\r\nSubject: " + i + "\r\n\r\nbody\r\n");
                c.append("INBOX", m, flags.get(i), Instant.parse("2020-01-0" + (i + 1) + "T00:00:00Z"));
            }
        }
        assertThat(Restores.backup(LENIENT, USER, dir).allErrors()).isEmpty();

        BackupReport report = Restores.restore(dir, STRICT, USER);
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(flags.size());
        assertThat(report.totals().flagsDropped()).isEqualTo(4);
        TreeMap<Long, Set<String>> stored;
        try (ImapTestClient c = STRICT.login(USER)) {
            stored = new TreeMap<>(c.flags("INBOX"));
        }
        assertThat(stored.values()).containsExactly(Set.of("\\Seen", "Work"), Set.of(), Set.of("\\Flagged", "Work"),
                Set.of("Later", "\\Answered"), Set.of());
        try (ImapTestClient c = STRICT.login(USER)) {
            assertThat(Interop.sha256(c.fetchBody("INBOX", stored.lastKey())))
                    .isEqualTo(Interop.sha256(big));
        }

        BackupReport again = Restores.restore(dir, STRICT, USER);
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesCopied()).isZero();
    }
}
