package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.imap.NetFaults.Kind;
import io.github.imapbackup.imap.NetFaults.Side;
import io.github.imapbackup.mbox.ArchiveSelection;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.FaultProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A restore (backup directory → Dovecot) and a migration (Dovecot → Dovecot) through a
 * {@link FaultProxy} under each network fault, at seeded trigger points: the migration's source
 * side and the target side of both. Each run completes, or fails the folder with a report entry
 * naming it; then a rerun without faults completes, and the target folder holds exactly what the
 * source holds: no message lost, none twice, none truncated (SHA-256, INTERNALDATE and flags of
 * each). Prints a {@code RELIABILITY} line per fault; replay with {@code -Dimapbackup.seed=N}.
 */
@Timeout(value = 2400, unit = TimeUnit.SECONDS)
class NetFaultRestoreIT {

    static final String FOLDER = "Net";
    static final String TARGET = "bob";
    static final int MESSAGES = 8;

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD).user(TARGET, PASSWORD).build();

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    static Path backup;
    @TempDir
    Path tmp;

    /** What the source holds, as {@link Restores#contents} lines. */
    static List<String> expected;

    @BeforeAll
    static void load() throws Exception {
        NetFaults.load(DOVECOT, USER, FOLDER, "restore", MESSAGES);
        assertThat(NetFaultBackupIT.backup(Restores.account(DOVECOT, USER), backup).allErrors()).isEmpty();
        expected = Restores.contents(backup);
        assertThat(expected).hasSize(MESSAGES + 1);
    }

    static ImapSource.Builder account(FaultProxy proxy, String user) {
        return ImapSource.builder().host(proxy.host()).port(proxy.port()).security(Security.NONE).user(user)
                .password(PASSWORD::toCharArray).timeout(NetFaults.TIMEOUT).throttling(NetFaults.THROTTLING)
                .fetchSize(16384);
    }

    /** On the appending side, all but {@code [EXPUNGEISSUED]}, which no server says to an APPEND. */
    @ParameterizedTest
    @EnumSource(value = Kind.class, mode = EnumSource.Mode.EXCLUDE, names = "NO_EXPUNGEISSUED")
    void aRestoreUnderANetworkFaultLeavesTheTargetExact(Kind kind) throws Exception {
        runs("restore", kind, Side.APPEND, (proxy, prefix) -> RestoreSession.builder()
                .source(MboxStore.builder(backup).build().asSource(ArchiveSelection.all()))
                .target(ImapTarget.builder(proxy == null ? Restores.account(DOVECOT, TARGET)
                        : account(proxy, TARGET).build()).prefix(prefix).build()).build().run());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMigrationWithAFaultyHost1LeavesHost2Exact(Kind kind) throws Exception {
        runs("migrate-host1", kind, Side.READ, (proxy, prefix) -> MigrateSession.builder()
                .source(proxy == null ? Restores.account(DOVECOT, USER) : account(proxy, USER).build()).folders(FOLDER)
                .target(ImapTarget.builder(Restores.account(DOVECOT, TARGET)).prefix(prefix).build()).build().run());
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, mode = EnumSource.Mode.EXCLUDE, names = "NO_EXPUNGEISSUED")
    void aMigrationWithAFaultyHost2LeavesHost2Exact(Kind kind) throws Exception {
        runs("migrate-host2", kind, Side.APPEND, (proxy, prefix) -> MigrateSession.builder()
                .source(Restores.account(DOVECOT, USER)).folders(FOLDER)
                .target(ImapTarget.builder(proxy == null ? Restores.account(DOVECOT, TARGET)
                        : account(proxy, TARGET).build()).prefix(prefix).build()).build().run());
    }

    /** A run into the target under a prefix: through the proxy, or straight (proxy null). */
    private interface Run {
        BackupReport run(FaultProxy proxy, String prefix) throws BackupException;
    }

    private void runs(String command, Kind kind, Side side, Run run) throws Exception {
        long seed = seeds.pick();
        Random rnd = new Random(seed + kind.ordinal());
        NetFaults.Tally tally = new NetFaults.Tally(command, seed);
        for (int point = 0; point < NetFaults.TARGET_POINTS; point++) {
            String prefix = command.replace("-", "") + kind.ordinal() + "x" + point;
            try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
                NetFaults.Planned planned = NetFaults.plan(kind, side, rnd, MESSAGES);
                proxy.add(planned.fault());
                BackupReport report = assertTimeoutPreemptively(Duration.ofSeconds(120),
                        () -> report(() -> run.run(proxy, prefix)), () -> "hang: " + proxy);
                String where = command + ", seed " + seed + " (-Dimapbackup.seed=" + seed + "), point " + point + ": "
                        + proxy + "\nerrors: " + report.allErrors();
                NetFaults.check(kind, planned, report, proxy, FOLDER, MESSAGES, where);
                List<String> want = Restores.underPrefix(expected, prefix);
                List<String> partial = targetContents(prefix);
                assertThat(NetFaults.missing(partial, want)).as("nothing twice, nothing truncated: " + where).isZero();
                BackupReport again = report(() -> run.run(null, prefix));
                assertThat(again.allErrors()).as("the rerun: " + where).isEmpty();
                List<String> all = targetContents(prefix);
                long lost = NetFaults.missing(want, all);
                long duplicated = all.size() - (want.size() - lost);
                assertThat(all).as(where).containsExactlyElementsOf(want);
                tally.add(kind, proxy.injected(), lost, duplicated);
            }
        }
        tally.print();
    }

    private interface Call {
        BackupReport call() throws BackupException;
    }

    private static BackupReport report(Call call) {
        try {
            return call.call();
        } catch (BackupException e) {
            return e.report().orElseThrow(() -> new AssertionError("no report", e));
        }
    }

    /** What the target holds under {@code prefix}, backed up and listed as {@link Restores#contents} lines. */
    private List<String> targetContents(String prefix) throws Exception {
        if (!Restores.counts(DOVECOT, TARGET).containsKey(prefix + "/" + FOLDER)) {
            return List.of(); // the run failed before it created the folder
        }
        Path dir = Files.createTempDirectory(tmp, "target");
        BackupReport r = BackupSession.builder().source(Restores.account(DOVECOT, TARGET))
                .target(MboxStore.builder(dir).codec("none").build()).folders(prefix + "/" + FOLDER).build().run();
        assertThat(r.allErrors()).isEmpty();
        return Restores.contents(dir);
    }
}
