package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate caps and connection limits against a real server: Dovecot allowing two connections per user
 * and address ({@code mail_max_userip_connections}). A backup asking for four goes on with the
 * connections it gets; a capped backup copies everything and reports the time the caps held it
 * back (on a fake sleeper: counted, not waited).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DovecotThrottleIT {

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD)
            .config("protocol imap {", "  mail_max_userip_connections = 2", "}").build();

    private static final Map<String, List<String>> EXPECTED = new HashMap<>();

    @BeforeAll
    static void load() throws Exception {
        try (ImapTestClient c = DOVECOT.login(USER)) {
            for (String folder : List.of("A", "B", "C", "D", "E")) {
                c.createFolder(folder);
                List<ImapTestClient.Message> batch = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    byte[] m = Interop.big("<cap-" + folder + i + "@x>", 3_000 + i * 4_000);
                    batch.add(new ImapTestClient.Message(m, Set.of(), Instant.parse("2025-01-01T00:00:00Z")));
                    EXPECTED.computeIfAbsent(folder, f -> new ArrayList<>()).add(sha256(m));
                }
                c.appendAll(folder, batch);
            }
        }
    }

    private static void assertEverythingStoredOnce(Path dir) throws Exception {
        for (Map.Entry<String, List<String>> e : EXPECTED.entrySet()) {
            assertThat(Interop.archivedHashes(dir, e.getKey(), "/").values()).as(e.getKey())
                    .containsExactlyInAnyOrderElementsOf(e.getValue());
        }
    }

    @Test
    void moreConnectionsThanTheServerAllowsGoOnWithFewer(@TempDir Path dir) throws Exception {
        FakeSleeper sleeper = new FakeSleeper();
        BackupReport report;
        // another client holds one of the two connections: the backup gets one, its extra ones are refused
        try (ImapTestClient other = DOVECOT.login(USER)) {
            assertThat(other).isNotNull();
            report = BackupSession.builder().source(Interop.source(DOVECOT).sleeper(sleeper).build())
                    .target(Interop.store(dir)).folders("A", "B", "C", "D", "E").connections(4).build().run();
        }
        assertThat(report.allErrors()).isEmpty();
        assertEverythingStoredOnce(dir);
        // each extra connection refused waits twice at most, then the run goes on without it
        assertThat(sleeper.sleeps()).hasSizeLessThanOrEqualTo(3 * Connector.FEWER_AFTER);
        assertThat(report.totals().messagesCopied()).isEqualTo(30);
    }

    @Test
    void aLoginRefusedForTooManyConnectionsIsWaitedOut(@TempDir Path dir) throws Exception {
        ImapTestClient first = DOVECOT.login(USER);
        ImapTestClient second = DOVECOT.login(USER);
        FakeSleeper clock = new FakeSleeper();
        // the other clients log out while the backup waits
        Sleeper sleeper = new Sleeper() {
            @Override
            public long nanoTime() {
                return clock.nanoTime();
            }

            @Override
            public void sleep(java.time.Duration d) {
                clock.sleep(d);
                try {
                    first.close();
                    second.close();
                    Thread.sleep(200); // Dovecot counts the sessions gone once their processes ended
                } catch (java.io.IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        BackupReport report = BackupSession.builder().source(Interop.source(DOVECOT).sleeper(sleeper).build())
                .target(Interop.store(dir)).folders("A", "B").connections(1).build().run();

        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(12);
        assertThat(report.totals().throttleWaits()).isBetween(1L, 3L);
        assertThat(clock.sleeps()).hasSize((int) report.totals().throttleWaits());
    }

    @Test
    void aCappedBackupCopiesEverythingAndReportsTheCap(@TempDir Path dir) throws Exception {
        FakeSleeper sleeper = new FakeSleeper();
        long bytes = 5 * (6 * 3_000 + 4_000 * 15);
        BackupReport report = BackupSession.builder()
                .source(Interop.source(DOVECOT).sleeper(sleeper).maxBytesPerSecond(16 * 1024).maxMessagesPerSecond(5).build())
                .target(Interop.store(dir)).folders("A", "B", "C", "D", "E").connections(2).build().run();

        assertThat(report.allErrors()).isEmpty();
        assertEverythingStoredOnce(dir);
        assertThat(sleeper.sleeps()).isNotEmpty();
        // the byte cap alone makes the run last at least this long on the fake clock
        assertThat(report.totals().paced().toMillis()).isGreaterThanOrEqualTo((bytes - 16 * 1024) * 1000 / (16 * 1024) / 2);
        assertThat(report.totals().throttleWaits()).isZero();
    }
}
