package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.Counters;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A migration through {@link MigrateSession} whose host1 (the scripted fake server) drops the
 * connection during a body FETCH: the folder goes on over a new connection, host2 (another fake
 * server, pipelined APPENDs) holds every message once, and the counters are exact.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeServerMigrateReconnectIT {

    private static final Instant DATE = Instant.parse("2021-03-04T05:06:07Z");

    private FakeImapServer host1;
    private FakeImapServer host2;
    private final List<String> onHost1 = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        host1 = FakeImapServer.start("alice", "secret");
        host2 = FakeImapServer.start("bob", "secret2");
        for (int i = 1; i <= 8; i++) {
            byte[] m = FakeServerTargetIT.message(i, 200 + 150 * i);
            host1.append("INBOX", m, Set.of(), DATE);
            onHost1.add(new String(m, StandardCharsets.UTF_8));
            if (i <= 2) {
                host2.append("INBOX", m, Set.of(), DATE); // copied by an earlier run
            }
        }
        host2.append("INBOX", FakeServerTargetIT.message(99, 300), Set.of(), DATE); // only on host2
    }

    @AfterEach
    void stop() throws Exception {
        host1.close();
        host2.close();
    }

    private static ImapSource account(FakeImapServer server, String user, String password) {
        return ImapSource.builder().host(server.host()).port(server.port()).security(Security.NONE).user(user)
                .password(password::toCharArray).timeout(Duration.ofSeconds(10)).build();
    }

    private BackupReport migrate() throws Exception {
        return MigrateSession.builder().source(account(host1, "alice", "secret"))
                .target(ImapTarget.builder(account(host2, "bob", "secret2")).build()).build().run();
    }

    private void assertExact(BackupReport r) {
        Counters t = r.totals();
        assertThat(r.allErrors()).isEmpty();
        List<String> held = new ArrayList<>();
        host2.messages("INBOX").forEach(m -> held.add(new String(m, StandardCharsets.UTF_8)));
        assertThat(held).as("every message of host1 once on host2, and host2's own")
                .containsExactlyInAnyOrderElementsOf(concat(onHost1, new String(FakeServerTargetIT.message(99, 300),
                        StandardCharsets.UTF_8)));
        assertThat(t.messagesOnSource()).isEqualTo(8);
        assertThat(t.messagesCopied()).isEqualTo(6);
        assertThat(t.messagesSkipped()).isEqualTo(2);
        assertThat(t.onlyOnTarget()).isEqualTo(1);
        assertThat(t.duplicatesOnTarget()).isZero();
        assertThat(t.reconnectsToSource()).isEqualTo(1);
        assertThat(t.reconnectsToTarget()).isZero();
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new ArrayList<>(a);
        out.add(b);
        return out;
    }

    @Test
    void byeDuringAFetchOfHost1ReconnectsAndHost2HoldsEachMessageOnce() throws Exception {
        host1.cutBody("INBOX", 5, FakeImapServer.Cut.BYE, 1);

        BackupReport r = migrate();

        assertExact(r);
        assertThat(host1.connections()).isGreaterThanOrEqualTo(2);
        BackupReport again = migrate();
        assertThat(again.totals().messagesCopied()).isZero();
        assertThat(again.totals().messagesSkipped()).isEqualTo(8);
        assertThat(again.totals().reconnectsToSource()).isZero();
    }

    @Test
    void aConnectionCutInTheMiddleOfABodyOfHost1ReconnectsAndHost2HoldsEachMessageOnce() throws Exception {
        host1.cutBody("INBOX", 7, FakeImapServer.Cut.CLOSE_MID_LITERAL, 1);

        assertExact(migrate());
    }
}
