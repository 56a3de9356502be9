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
import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.Fault;
import io.github.imapbackup.testing.imap.FaultProxy;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    /** Cancels per command: a few with the full suite. */
    static final int POINTS = NetFaults.FULL ? 5 : 1;

    @RegisterExtension
    final Seeds seeds = new Seeds();

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
        Object outcome;
        try {
            // a generous bound against a read timeout of a minute: the run ends within a second
            outcome = result.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the cancel did not end the blocked run within " + BOUND + " (read timeout "
                    + READ_TIMEOUT + "): " + proxy, e);
        }
        System.out.println("NET cancel " + proxy.injections() + ": ended "
                + (System.nanoTime() - start) / 1_000_000 + " ms after the cancel");
        assertThat(outcome).as(String.valueOf(outcome)).isInstanceOf(CancelledException.class);
        BackupReport report = ((CancelledException) outcome).report().orElseThrow();
        assertThat(report.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(report.allErrors()).as("no error storm").isEmpty();
        return report;
    }

    @Test
    void aBackupCancelledWhileAReadIsBlockedEndsAtOnce(@TempDir Path tmp) throws Exception {
        Random rnd = seeds.random();
        NetFaults.Tally tally = new NetFaults.Tally("backup", seeds.pick());
        for (int point = 0; point < POINTS; point++) {
            Path dir = tmp.resolve("point" + point);
            try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
                proxy.add(Fault.literal("FETCH", 2 + rnd.nextInt(8), rnd.nextInt(4000)).stall());
                BackupSession session = BackupSession.builder().source(account(proxy, USER))
                        .target(Interop.store(dir)).folders(FOLDER).build();
                cancelWhenStalled(proxy, session::run, session::cancel);
                assertThat(Interop.verify(dir)).isEmpty();
                assertThat(NetFaultBackupIT.backup(Interop.source(DOVECOT).build(), dir).allErrors()).isEmpty();
                List<String> all = new ArrayList<>(Interop.archivedHashes(dir, FOLDER, "/").values());
                assertThat(all).containsExactlyInAnyOrderElementsOf(EXPECTED);
                tally.add(NetFaults.Kind.STALL, proxy.injected(), 0, 0);
            }
        }
        tally.print("cancel-while-stalled");
    }

    @Test
    void aRestoreCancelledWhileTheTargetIsSilentEndsAtOnce() throws Exception {
        cancelAndRerun("restore", "Cancelled", rnd -> Fault.commandLiteral("APPEND", 2 + rnd.nextInt(8),
                rnd.nextInt(4000)), (proxy, prefix) -> {
                    RestoreSession s = RestoreSession.builder()
                            .source(MboxStore.builder(backup).build().asSource(ArchiveSelection.all()))
                            .target(ImapTarget.builder(proxy == null ? Restores.account(DOVECOT, TARGET)
                                    : account(proxy, TARGET)).prefix(prefix).build()).build();
                    return new Session(s::run, s::cancel);
                });
    }

    @Test
    void aMigrationCancelledWhileTheSourceIsSilentEndsAtOnce() throws Exception {
        cancelAndRerun("migrate", "Migrated", rnd -> Fault.literal("FETCH", 2 + rnd.nextInt(8), rnd.nextInt(4000)),
                (proxy, prefix) -> {
                    MigrateSession s = MigrateSession.builder().source(proxy == null
                            ? Restores.account(DOVECOT, USER) : account(proxy, USER)).folders(FOLDER)
                            .target(ImapTarget.builder(Restores.account(DOVECOT, TARGET)).prefix(prefix).build())
                            .build();
                    return new Session(s::run, s::cancel);
                });
    }

    /** A run and its cancel. */
    private record Session(Run run, Runnable cancel) { }

    /** Makes a run into {@link #TARGET} under a prefix, through the proxy or straight (null). */
    private interface Sessions {
        Session make(FaultProxy proxy, String prefix);
    }

    /** Cancels a run stalled at a seeded point, runs it again straight, and checks the target holds each message once. */
    private void cancelAndRerun(String command, String prefix, java.util.function.Function<Random, Fault> fault,
            Sessions sessions) throws Exception {
        Random rnd = seeds.random();
        NetFaults.Tally tally = new NetFaults.Tally(command, seeds.pick());
        for (int point = 0; point < POINTS; point++) {
            String folder = prefix + point;
            try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
                proxy.add(fault.apply(rnd).stall());
                Session s = sessions.make(proxy, folder);
                cancelWhenStalled(proxy, s.run(), s.cancel());
                BackupReport again = sessions.make(null, folder).run().run();
                assertThat(again.allErrors()).isEmpty();
                assertThat(Restores.counts(DOVECOT, TARGET)).containsEntry(folder + "/" + FOLDER, (long) EXPECTED.size());
                tally.add(NetFaults.Kind.STALL, proxy.injected(), 0, 0);
            }
        }
        tally.print("cancel-while-stalled");
    }
}
