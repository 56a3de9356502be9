package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.imap.NetFaults.Kind;
import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.FaultProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * A backup from a real Dovecot through a {@link FaultProxy} under each network fault, at seeded
 * trigger points ({@link NetFaults#POINTS} per fault): the run completes through reconnection or
 * backoff, or the folder fails with a report entry naming it and the server's response code; then
 * the backup verifies, every message is stored once, byte for byte, and a rerun without faults
 * completes. Prints a {@code RELIABILITY} line per fault; replay with {@code -Dimapbackup.seed=N}.
 */
@Timeout(value = 1200, unit = TimeUnit.SECONDS)
class NetFaultBackupIT {

    static final String FOLDER = "Net";
    static final int MESSAGES = 12;

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD).build();

    @RegisterExtension
    final Seeds seeds = new Seeds();

    static final List<String> EXPECTED = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        NetFaults.load(DOVECOT, USER, FOLDER, "net", MESSAGES).forEach(m -> EXPECTED.add(Interop.sha256(m.bytes())));
    }

    static ImapSource.Builder through(FaultProxy proxy) {
        return ImapSource.builder().host(proxy.host()).port(proxy.port()).security(Security.NONE).user(USER)
                .password(PASSWORD::toCharArray).timeout(NetFaults.TIMEOUT).throttling(NetFaults.THROTTLING)
                .fetchSize(16384);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aBackupUnderANetworkFaultLosesNothingAndStoresNothingTwice(Kind kind) throws Exception {
        long seed = seeds.pick();
        Random rnd = new Random(seed + kind.ordinal());
        NetFaults.Tally tally = new NetFaults.Tally("backup", seed);
        for (int point = 0; point < NetFaults.POINTS; point++) {
            Path dir = tmp.resolve("point" + point);
            try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
                NetFaults.Planned planned = NetFaults.plan(kind, NetFaults.Side.READ, rnd, MESSAGES);
                proxy.add(planned.fault());
                BackupReport report = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> backup(proxy, dir),
                        () -> "hang: " + proxy);
                String where = "seed " + seed + " (-Dimapbackup.seed=" + seed + "), point " + point + ": " + proxy
                        + "\nerrors: " + report.allErrors();
                NetFaults.check(kind, planned, report, proxy, FOLDER, MESSAGES, where);
                List<String> stored = new ArrayList<>(Interop.archivedHashes(dir, FOLDER, "/").values());
                assertThat(Interop.verify(dir)).as(where).isEmpty();
                // nothing stored twice, nothing stored that the server does not hold
                assertThat(NetFaults.missing(stored, EXPECTED)).as(where).isZero();
                BackupReport again = backup(Interop.source(DOVECOT).fetchSize(16384).build(), dir);
                assertThat(again.allErrors()).as(where).isEmpty();
                List<String> all = new ArrayList<>(Interop.archivedHashes(dir, FOLDER, "/").values());
                long lost = NetFaults.missing(EXPECTED, all);
                long duplicated = all.size() - (EXPECTED.size() - lost);
                assertThat(all).as(where).containsExactlyInAnyOrderElementsOf(EXPECTED);
                assertThat(Interop.verify(dir)).as(where).isEmpty();
                tally.add(kind, proxy.injected(), lost, duplicated);
            }
        }
        tally.print();
    }

    private static BackupReport backup(FaultProxy proxy, Path dir) {
        return backup(through(proxy).build(), dir);
    }

    static BackupReport backup(ImapSource source, Path dir) {
        try {
            return BackupSession.builder().source(source).target(Interop.store(dir)).folders(FOLDER)
                    .reconnectAttempts(3).build().run();
        } catch (BackupException e) {
            return e.report().orElseThrow(() -> new AssertionError("no report", e));
        }
    }
}
