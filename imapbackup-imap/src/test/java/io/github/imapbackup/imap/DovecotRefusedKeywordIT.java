package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyword the target refuses: Dovecot answers an APPEND whose keyword is longer than its
 * {@code mail_max_keyword_length} (50 unless configured) with {@code NO [CANNOT] Keyword length too
 * long}, although its PERMANENTFLAGS offer {@code \*}. Backed up from a Dovecot that allows longer
 * keywords, the message is restored without that keyword, byte for byte, counted as a dropped
 * flag, and the others keep theirs; nothing fails. The same copied account to account (an
 * {@link ImapSource} into an {@link ImapTarget}, as a migration does).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotRefusedKeywordIT {

    static final String USER = "keywords";
    static final String MIGRATED = "migrated";
    static final String PASSWORD = "Key-s3cret";
    static final String LONG = "ProjectAlphaBetaGammaDeltaEpsilonZetaEtaThetaIotaKappa"; // 54 characters

    /** The flags of the four messages: three carry the long keyword. */
    static final List<Set<String>> FLAGS = List.of(Set.of("\\Seen", "Work", LONG), Set.of(LONG),
            Set.of("\\Flagged", "Work"), Set.of("Later", LONG, "\\Answered"));

    @RegisterExtension
    static final Dovecot LENIENT = Dovecot.builder().user(USER, PASSWORD).config("mail_max_keyword_length = 200")
            .build();

    @RegisterExtension
    static final Dovecot STRICT = Dovecot.builder().user(USER, PASSWORD).user(MIGRATED, PASSWORD).build();

    @BeforeAll
    static void fill() throws Exception {
        try (ImapTestClient c = LENIENT.login(USER)) {
            for (int i = 0; i < FLAGS.size(); i++) {
                c.append("INBOX", body(i), FLAGS.get(i), Instant.parse("2020-01-0" + (i + 1) + "T00:00:00Z"));
            }
        }
    }

    private static byte[] body(int i) {
        return Interop.ascii("Message-ID: <" + i + "@keywords>\r\nSubject: " + i + "\r\n\r\nbody " + i + "\r\n");
    }

    @Test
    void aKeywordTheTargetRefusesIsDroppedAndCountedAndTheMessageRestored(@TempDir Path dir) throws Exception {
        assertThat(Restores.backup(LENIENT, USER, dir).allErrors()).isEmpty();

        BackupReport report = Restores.restore(dir, STRICT, USER);
        assertRefusedKeywordDropped(report, USER);

        BackupReport again = Restores.restore(dir, STRICT, USER);
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesCopied()).isZero();
        assertStored(USER);
    }

    @Test
    void accountToAccountTheKeywordIsDroppedAndCountedToo() throws Exception {
        RestoreSession copy = RestoreSession.builder().source(Restores.account(LENIENT, USER))
                .target(ImapTarget.builder(Restores.account(STRICT, MIGRATED)).build()).build();
        assertRefusedKeywordDropped(copy.run(), MIGRATED);

        BackupReport again = copy.run();
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesCopied()).isZero();
        assertStored(MIGRATED);
    }

    private static void assertRefusedKeywordDropped(BackupReport report, String user) throws Exception {
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(FLAGS.size());
        assertThat(report.totals().flagsDropped()).isEqualTo(3);
        assertThat(report.hasFailures()).isFalse();
        assertStored(user);
    }

    private static void assertStored(String user) throws Exception {
        try (ImapTestClient c = STRICT.login(user)) {
            Map<Long, Set<String>> stored = new TreeMap<>(c.flags("INBOX"));
            assertThat(stored.values()).containsExactly(Set.of("\\Seen", "Work"), Set.of(), Set.of("\\Flagged", "Work"),
                    Set.of("Later", "\\Answered"));
            int i = 0;
            for (long uid : stored.keySet()) {
                assertThat(c.fetchBody("INBOX", uid)).as("message %d byte for byte", i).isEqualTo(body(i));
                i++;
            }
        }
    }
}
