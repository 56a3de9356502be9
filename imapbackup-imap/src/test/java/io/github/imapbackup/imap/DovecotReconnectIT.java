package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.testing.Dovecot;
import io.github.imapbackup.testing.ImapTestClient;
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
        List<String> expected = new ArrayList<>();
        try (ImapTestClient c = DOVECOT.login(USER)) {
            c.createFolder("Big");
            List<ImapTestClient.Message> batch = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                byte[] m = Interop.big("<kick" + i + "@x>", 20_000 + i * 500);
                batch.add(new ImapTestClient.Message(m, Set.of(), Instant.parse("2025-01-01T00:00:00Z")));
                expected.add(sha256(m));
            }
            c.appendAll("Big", batch);
        }
        AtomicInteger copied = new AtomicInteger();
        AtomicInteger kicks = new AtomicInteger();
        BackupListener kicker = new BackupListener() {
            @Override
            public void messageCopied(String folder, long uid, long bytes) {
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
        BackupReport report = BackupSession.builder().source(Interop.source(DOVECOT).build())
                .store(Interop.store(dir)).folders("Big").listener(kicker).reconnectAttempts(3).build().run();

        assertThat(kicks).hasValue(2);
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.exitStatus()).isZero();
        assertThat(report.totals().messagesCopied()).isEqualTo(60);
        assertThat(Interop.archivedHashes(dir, "Big", "/").values()).containsExactlyInAnyOrderElementsOf(expected);
        // doveadm kick ends the session with SIGTERM: Dovecot answers "* BYE Server shutting down."
        String log = java.nio.file.Files.readString(DOVECOT.logFile());
        assertThat(log.split("Disconnected: Server shutting down", -1)).hasSize(3);
    }
}
