package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.RunInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server dropping the connection in the middle of a backup: {@code doveadm kick} ends the
 * session ({@code * BYE Server shutting down.}); the run reconnects and stores every message
 * exactly once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotReconnectIT {

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD).build();

    @Test
    void kickedInTheMiddleOfABackupTheRunReconnectsAndCompletes(@TempDir Path dir) throws Exception {
        // a 16 KiB fetch size: every message goes in chunks, one round trip each, so each kick
        // hits a fetch in progress (a batch of small messages may already sit in the socket buffer)
        kicked(dir, "Big", 16384, true);
    }

    @Test
    void kickedDuringBatchedFetchesTheRunCompletesWithEachMessageOnce(@TempDir Path dir) throws Exception {
        kicked(dir, "Batched", 1 << 20, false);
    }

    private void kicked(Path dir, String folder, int fetchSize, boolean interrupts) throws Exception {
        List<String> expected = new ArrayList<>();
        try (ImapTestClient c = DOVECOT.login(USER)) {
            c.createFolder(folder);
            List<ImapTestClient.Message> batch = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                byte[] m = Interop.big("<kick" + i + "@x>", 20_000 + i * 500);
                batch.add(new ImapTestClient.Message(m, Set.of(), Instant.parse("2025-01-01T00:00:00Z")));
                expected.add(sha256(m));
            }
            c.appendAll(folder, batch);
        }
        AtomicInteger copied = new AtomicInteger();
        AtomicInteger kicks = new AtomicInteger();
        BackupListener kicker = new BackupListener() {
            @Override
            public void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
                int n = copied.incrementAndGet();
                if (n == 10 || n == 30) { // twice: after the 10th and the 30th message
                    try {
                        DOVECOT.doveadm("kick", USER);
                        kicks.incrementAndGet();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
        String logBefore = java.nio.file.Files.readString(DOVECOT.logFile());
        BackupReport report = BackupSession.builder().source(Interop.source(DOVECOT).fetchSize(fetchSize).build())
                .target(Interop.store(dir)).folders(folder).listener(kicker).reconnectAttempts(3).build().run();

        if (interrupts) {
            assertThat(kicks).hasValue(2);
        } else {
            // the second kick finds no session when the first batch was already read in full
            assertThat(kicks.get()).isBetween(1, 2);
        }
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.hasFailures()).isFalse();
        assertThat(report.totals().messagesCopied()).isEqualTo(60);
        assertThat(Interop.archivedHashes(dir, folder, "/").values()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Interop.archived(dir, folder, "/")).hasSize(60);
        // doveadm kick ends the session with SIGTERM: Dovecot answers "* BYE Server shutting down."
        String log = java.nio.file.Files.readString(DOVECOT.logFile()).substring(logBefore.length());
        assertThat(log.split("Disconnected: Server shutting down", -1)).hasSize(kicks.get() + 1);
    }
}
