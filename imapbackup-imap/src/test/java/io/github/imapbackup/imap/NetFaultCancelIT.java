package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.mbox.ArchiveSelection;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.Fault;
import io.github.imapbackup.testing.imap.FaultProxy;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancel while a read or a write is blocked on a silent server (a {@link FaultProxy} stalls the
 * connection; the read timeout is a minute) ends the run at once, not at the timeout: the
 * source's and the target's connections are closed. The run reports itself cancelled without an
 * error for each folder, and a rerun completes. The bound asserted (5 s) is generous: the run
 * ends within a second.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NetFaultCancelIT {

    static final String FOLDER = "Net";
    static final String TARGET = "bob";
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    static final Duration BOUND = Duration.ofSeconds(5);

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD).user(TARGET, PASSWORD).build();

    @TempDir
    static Path backup;

    static final List<String> EXPECTED = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        try (ImapTestClient c = DOVECOT.login(USER)) {
            c.createFolder(FOLDER);
            List<ImapTestClient.Message> batch = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                byte[] m = Interop.big("<cancel" + i + "@x>", 20_000 + i * 3_000);
                batch.add(new ImapTestClient.Message(m, Set.of(), Instant.parse("2025-01-01T00:00:00Z")));
                EXPECTED.add(Interop.sha256(m));
            }
            c.appendAll(FOLDER, batch);
        }
        assertThat(NetFaultBackupIT.backup(Interop.source(DOVECOT).build(), backup).allErrors()).isEmpty();
    }

    private static ImapSource account(FaultProxy proxy, String user) {
        return ImapSource.builder().host(proxy.host()).port(proxy.port()).security(Security.NONE).user(user)
                .password(PASSWORD::toCharArray).timeout(READ_TIMEOUT).fetchSize(16384).build();
    }

    /** A run that is cancelled once the proxy stalls it; returns its report. */
    private interface Run {
        BackupReport run() throws BackupException;
    }

    private static BackupReport cancelWhenStalled(FaultProxy proxy, Run run, Runnable cancel) throws Exception {
        CompletableFuture<Object> result = CompletableFuture.supplyAsync(() -> {
            try {
                return run.run();
            } catch (BackupException e) {
                return e;
            }
        });
        while (proxy.injected() == 0 && !result.isDone()) {
            Thread.sleep(10);
        }
        assertThat(result).as("the run ended before the stall: " + proxy).isNotDone();
        Thread.sleep(300); // the client is blocked now
        long start = System.nanoTime();
        cancel.run();
        Object outcome = result.get(BOUND.toSeconds() + 55, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("RELIABILITY net cancel " + proxy.injections() + ": ended " + took.toMillis() + " ms after the cancel");
        assertThat(took).as("a cancel ends a blocked read at once, not at the read timeout").isLessThan(BOUND);
        assertThat(outcome).as(String.valueOf(outcome)).isInstanceOf(CancelledException.class);
        BackupReport report = ((CancelledException) outcome).report().orElseThrow();
        assertThat(report.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(report.allErrors()).as("no error storm").isEmpty();
        return report;
    }

    @Test
    void aBackupCancelledWhileAReadIsBlockedEndsAtOnce(@TempDir Path dir) throws Exception {
        try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
            proxy.add(Fault.literal("FETCH", 6, 5000).stall());
            BackupSession session = BackupSession.builder().source(account(proxy, USER)).target(Interop.store(dir))
                    .folders(FOLDER).build();
            cancelWhenStalled(proxy, session::run, session::cancel);
        }
        assertThat(Interop.verify(dir)).isEmpty();
        assertThat(NetFaultBackupIT.backup(Interop.source(DOVECOT).build(), dir).allErrors()).isEmpty();
        assertThat(Interop.archivedHashes(dir, FOLDER, "/").values()).containsExactlyInAnyOrderElementsOf(EXPECTED);
    }

    @Test
    void aRestoreCancelledWhileTheTargetIsSilentEndsAtOnce() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
            proxy.add(Fault.commandLiteral("APPEND", 4, 3000).stall());
            RestoreSession session = RestoreSession.builder()
                    .source(MboxStore.builder(backup).build().asSource(ArchiveSelection.all()))
                    .target(ImapTarget.builder(account(proxy, TARGET)).prefix("Cancelled").build()).build();
            cancelWhenStalled(proxy, session::run, session::cancel);
        }
        BackupReport again = Restores.restore(backup, ArchiveSelection.all(),
                ImapTarget.builder(Restores.account(DOVECOT, TARGET)).prefix("Cancelled").build());
        assertThat(again.allErrors()).isEmpty();
        assertThat(Restores.counts(DOVECOT, TARGET)).containsEntry("Cancelled/" + FOLDER, (long) EXPECTED.size());
    }

    @Test
    void aMigrationCancelledWhileTheSourceIsSilentEndsAtOnce() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
            proxy.add(Fault.literal("FETCH", 6, 2000).stall());
            MigrateSession session = MigrateSession.builder().source(account(proxy, USER)).folders(FOLDER)
                    .target(ImapTarget.builder(Restores.account(DOVECOT, TARGET)).prefix("Migrated").build()).build();
            cancelWhenStalled(proxy, session::run, session::cancel);
        }
        BackupReport again = MigrateSession.builder().source(Restores.account(DOVECOT, USER)).folders(FOLDER)
                .target(ImapTarget.builder(Restores.account(DOVECOT, TARGET)).prefix("Migrated").build()).build().run();
        assertThat(again.allErrors()).isEmpty();
        assertThat(Restores.counts(DOVECOT, TARGET)).containsEntry("Migrated/" + FOLDER, (long) EXPECTED.size());
    }
}
