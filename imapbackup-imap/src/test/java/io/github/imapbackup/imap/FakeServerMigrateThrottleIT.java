package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
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
 * A migration between two throttling fake servers: host1's throttled reads and host2's throttled
 * logins, SELECTs and CREATEs are waited out and the migration completes with each message once on
 * host2; a throttled APPEND fails the folder with the server's words (its bytes are not sent twice)
 * and the next run copies what is missing; the target keeps to its message cap.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeServerMigrateThrottleIT {

    private static final Instant DATE = Instant.parse("2021-03-04T05:06:07Z");

    private FakeImapServer host1;
    private FakeImapServer host2;
    private final FakeSleeper sleeper = new FakeSleeper();
    private final List<String> onHost1 = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        host1 = FakeImapServer.start("alice", "secret");
        host2 = FakeImapServer.start("bob", "secret2");
        for (int i = 1; i <= 8; i++) {
            byte[] m = FakeServerTargetIT.message(i, 200 + 150 * i);
            host1.append(i <= 5 ? "INBOX" : "Work", m, Set.of(), DATE);
            onHost1.add(new String(m, StandardCharsets.UTF_8));
        }
    }

    @AfterEach
    void stop() throws Exception {
        host1.close();
        FakeServerTargetIT.stop(host2);
    }

    private ImapSource.Builder account(FakeImapServer server, String user, String password) {
        return ImapSource.builder().host(server.host()).port(server.port()).security(Security.NONE).user(user)
                .password(password::toCharArray).timeout(Duration.ofSeconds(10)).sleeper(sleeper);
    }

    private BackupReport migrate(ImapSource.Builder target) throws Exception {
        return MigrateSession.builder().source(account(host1, "alice", "secret").build())
                .target(ImapTarget.builder(target.build()).build()).build().run();
    }

    private List<String> onHost2() {
        List<String> held = new ArrayList<>();
        for (String folder : List.of("INBOX", "Work")) {
            if (host2.hasFolder(folder)) {
                host2.messages(folder).forEach(m -> held.add(new String(m, StandardCharsets.UTF_8)));
            }
        }
        return held;
    }

    @Test
    void throttledReadsOnHost1AndCommandsOnHost2AreWaitedOut() throws Exception {
        host1.throttle("^UID FETCH .*BODY\\.PEEK\\[\\]", 0, 1, "NO [THROTTLED] Too many requests");
        host2.throttle("^LOGIN", 0, 1, "NO [UNAVAILABLE] Too many simultaneous connections");
        host2.throttle("^SELECT", 0, 1, "BAD User is authenticated but not connected.");
        host2.throttle("^CREATE", 0, 1, "NO Server Unavailable. 15");

        BackupReport r = migrate(account(host2, "bob", "secret2"));

        assertThat(r.allErrors()).isEmpty();
        assertThat(onHost2()).containsExactlyInAnyOrderElementsOf(onHost1);
        assertThat(host1.throttleAnswers() + host2.throttleAnswers()).isEqualTo(4);
        assertThat(sleeper.sleeps()).hasSize(4);
        // the report counts host1's waits; host2's are waited as well, not counted
        assertThat(r.totals().throttleWaits()).isEqualTo(1);
    }

    @Test
    void aThrottledAppendFailsTheFolderSayingSoAndTheNextRunCopiesTheRest() throws Exception {
        host2.throttle("^APPEND \"?INBOX", 2, 1, "NO Request is throttled. Suggested Backoff Time: 299961 milliseconds");

        BackupReport r = migrate(account(host2, "bob", "secret2"));

        // the folder fails; the messages appended since its last commit are reported with it
        assertThat(r.allErrors()).isNotEmpty().allSatisfy(e -> {
            assertThat(e.folder()).isEqualTo("INBOX");
            assertThat(e.message()).contains("the server refused an APPEND", "Request is throttled");
        });
        assertThat(r.allErrors()).anySatisfy(e -> assertThat(e.uid()).isNegative());
        assertThat(r.folders()).filteredOn(f -> f.name().equals("Work")).singleElement()
                .satisfies(f -> assertThat(f.errors()).isEmpty());
        BackupReport again = migrate(account(host2, "bob", "secret2"));
        assertThat(again.allErrors()).isEmpty();
        assertThat(onHost2()).containsExactlyInAnyOrderElementsOf(onHost1);
    }

    @Test
    void theTargetKeepsToItsMessageCap() throws Exception {
        BackupReport r = migrate(account(host2, "bob", "secret2").maxMessagesPerSecond(2));

        assertThat(r.allErrors()).isEmpty();
        assertThat(onHost2()).containsExactlyInAnyOrderElementsOf(onHost1);
        // 8 appends at 2 a second with a burst of 2: 3 s on the fake clock
        assertThat(sleeper.total()).isBetween(Duration.ofMillis(2999), Duration.ofMillis(3001));
    }
}
