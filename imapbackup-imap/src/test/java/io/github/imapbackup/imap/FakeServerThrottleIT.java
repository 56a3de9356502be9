package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.Counters;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Throttling answers from the scripted fake server slow a backup down instead of failing it: each
 * is waited out (on a fake sleeper: no real wait) and the command asked again, every message ends
 * up stored exactly once, and the report counts the waits. A server that never stops throttling
 * fails its folder with an error saying so, within the budget.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeServerThrottleIT {

    private static final String BODY_FETCH = "^UID FETCH .*BODY\\.PEEK\\[\\]";

    private FakeImapServer server;
    private final FakeSleeper sleeper = new FakeSleeper();
    /** folder → (UID → bytes) as loaded. */
    private final Map<String, Map<Long, byte[]>> loaded = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = FakeImapServer.start(USER, PASSWORD);
        for (int i = 0; i < 5; i++) {
            add("INBOX", i, i == 2 ? 40_000 : 300);
        }
        for (int i = 0; i < 3; i++) {
            add("Other", 10 + i, 500);
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void add(String folder, int n, int size) {
        byte[] m = Interop.big("<throttle" + n + "@x>", size);
        long uid = server.append(folder, m, Set.of(), Instant.parse("2024-04-04T04:04:04Z").plusSeconds(n));
        loaded.computeIfAbsent(folder, f -> new HashMap<>()).put(uid, m);
    }

    private ImapSource.Builder source() {
        // small chunks, so the 40 KB message takes several partial fetches
        return Interop.source(server, Duration.ofSeconds(10)).fetchSize(4096).sleeper(sleeper);
    }

    /** One connection: the folders take their turns, so which command meets which answer is certain. */
    private BackupReport backup(ImapSource source, Path dir) throws Exception {
        return BackupSession.builder().source(source).target(Interop.store(dir)).connections(1).build().run();
    }

    private void assertEveryMessageStoredOnce(Path dir) throws Exception {
        for (Map.Entry<String, Map<Long, byte[]>> folder : loaded.entrySet()) {
            List<String> stored = new ArrayList<>(Interop.archivedHashes(dir, folder.getKey(), "/").values());
            List<String> want = folder.getValue().values().stream().map(Interop::sha256).toList();
            assertThat(stored).as(folder.getKey()).containsExactlyInAnyOrderElementsOf(want);
        }
    }

    private void assertReadOnly() {
        assertThat(server.commandNames()).doesNotContain("SELECT", "STORE", "UID STORE", "APPEND", "EXPUNGE");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "NO [THROTTLED] Too many requests",
        "NO [LIMIT] Too many commands, slow down",
        "NO [UNAVAILABLE] Temporary System Error",
        "NO [INUSE] Mailbox in use by another session",
        "NO [ALERT] Account exceeded command or bandwidth limits. (Failure)",
        "NO [ALERT] Too many simultaneous connections. (Failure)",
        "NO Server Unavailable. 15",
        "BAD User is authenticated but not connected.",
        "NO Request is throttled. Suggested Backoff Time: 2500 milliseconds",
    })
    void aThrottledBodyFetchIsWaitedOutAndAskedAgain(String answer, @TempDir Path dir) throws Exception {
        server.throttle(BODY_FETCH, 0, 2, answer);
        BackupReport report = backup(source().build(), dir);

        assertThat(report.allErrors()).isEmpty();
        assertEveryMessageStoredOnce(dir);
        assertThat(server.throttleAnswers()).isEqualTo(2);
        Counters totals = report.totals();
        assertThat(totals.throttleWaits()).isEqualTo(2);
        assertThat(totals.reconnectsToSource()).isZero();
        assertThat(sleeper.sleeps()).hasSize(2);
        assertThat(totals.throttled()).isEqualTo(sleeper.total().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        if (answer.contains("Suggested Backoff Time")) {
            assertThat(sleeper.sleeps()).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofMillis(2500)));
        } else {
            // 1 s then 2 s by default, each drawn between half and all of it
            assertThat(sleeper.sleeps().get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(sleeper.sleeps().get(1)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
        assertReadOnly();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "* BYE [UNAVAILABLE] Temporary System Error",
        "* BYE Request is throttled. Suggested Backoff Time: 1000 milliseconds",
    })
    void aByeThatSaysSlowDownIsWaitedOutAndTheEngineReconnects(String answer, @TempDir Path dir) throws Exception {
        server.throttle(BODY_FETCH, 1, 2, answer);
        BackupReport report = backup(source().build(), dir);

        assertThat(report.allErrors()).isEmpty();
        assertEveryMessageStoredOnce(dir);
        assertThat(report.totals().throttleWaits()).isEqualTo(2);
        assertThat(report.totals().reconnectsToSource()).isEqualTo(2);
        assertReadOnly();
    }

    @ParameterizedTest
    @ValueSource(strings = {"^LOGIN", "^EXAMINE", "^STATUS", "^LIST", "^UID FETCH .*HEADER.FIELDS", "^UID SEARCH",
        "BODY\\.PEEK\\[\\]<"})
    void eachCommandOfABackupCanBeThrottled(String command, @TempDir Path dir) throws Exception {
        // BODY.PEEK[]<: a chunk of the big message after the first, so the message is half delivered
        server.throttle(command, command.endsWith("<") ? 3 : 0, 2, "NO [UNAVAILABLE] Temporary System Error");
        BackupReport report = backup(source().build(), dir);

        assertThat(report.allErrors()).isEmpty();
        assertEveryMessageStoredOnce(dir);
        assertThat(server.throttleAnswers()).as(command).isEqualTo(2);
        // the chunks after the first go pipelined (PipelinedFetch): the second throttled one was
        // already sent when the first throttling answer came, so one backoff answers both
        assertThat(report.totals().throttleWaits()).isEqualTo(command.endsWith("<") ? 1 : 2);
        assertReadOnly();
    }

    @Test
    void aServerRefusingConnectionsAtTheGreetingIsWaitedOut(@TempDir Path dir) throws Exception {
        server.byeAtGreeting(2, "[UNAVAILABLE] Too many simultaneous connections");
        BackupReport report = backup(source().build(), dir);

        assertThat(report.allErrors()).isEmpty();
        assertEveryMessageStoredOnce(dir);
        assertThat(report.totals().throttleWaits()).isEqualTo(2);
    }

    @Test
    void aServerThatKeepsThrottlingFailsTheFolderWithinTheBudget(@TempDir Path dir) throws Exception {
        server.throttle("^EXAMINE \"?INBOX", 0, Integer.MAX_VALUE, "NO [THROTTLED] Slow down");
        Throttling throttling = Throttling.builder().maxWaits(4).build();
        BackupReport report = backup(source().throttling(throttling).build(), dir);

        assertThat(report.allErrors()).singleElement().satisfies(e -> {
            assertThat(e.folder()).isEqualTo("INBOX");
            assertThat(e.message()).contains("the server kept throttling EXAMINE", "4 waits", "NO [THROTTLED] Slow down");
        });
        // the other folder is not held up
        assertThat(report.folders()).filteredOn(f -> f.name().equals("Other")).singleElement()
                .satisfies(f -> assertThat(f.counters().messagesCopied()).isEqualTo(3));
        assertThat(sleeper.sleeps()).hasSize(4);
        assertThat(sleeper.total()).isLessThanOrEqualTo(throttling.maxWaitTotal());
        assertThat(server.throttleAnswers()).isEqualTo(5);
    }

    @Test
    void aServerThatKeepsThrottlingEveryFolderEndsTheRunInOneBudget(@TempDir Path dir) throws Exception {
        server.throttle(BODY_FETCH, 0, Integer.MAX_VALUE, "NO [THROTTLED] Slow down");
        BackupReport report = backup(source().build(), dir);

        assertThat(report.allErrors()).extracting(ReportError::folder).containsExactlyInAnyOrder("INBOX", "Other");
        assertThat(report.allErrors()).allSatisfy(e -> assertThat(e.message()).contains("kept throttling"));
        // ten waits for the first folder; the second gives up at its first answer
        assertThat(sleeper.sleeps()).hasSize(10);
        assertThat(report.folders()).extracting(FolderReport::counters).extracting(Counters::messagesCopied)
                .containsOnly(0L);
    }

    @Test
    void throttlingNoneFailsAtTheFirstAnswerAndSaysWhy(@TempDir Path dir) throws Exception {
        server.throttle("^STATUS", 0, 1, "NO [UNAVAILABLE] Temporary System Error");
        BackupReport report = backup(source().throttling(Throttling.NONE).build(), dir);

        assertThat(report.allErrors()).singleElement().satisfies(
                e -> assertThat(e.message()).contains("kept throttling STATUS", "0 waits"));
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void aMessageCapPacesTheBackupAndTheReportSaysHowLong(@TempDir Path dir) throws Exception {
        BackupReport report = backup(source().maxMessagesPerSecond(2).build(), dir);

        assertThat(report.allErrors()).isEmpty();
        assertEveryMessageStoredOnce(dir);
        // 8 messages at 2 a second with a burst of 2: 3 s of waiting, on the fake clock
        assertThat(sleeper.total()).isBetween(Duration.ofMillis(2999), Duration.ofMillis(3001));
        assertThat(report.totals().paced()).isBetween(Duration.ofMillis(2998), Duration.ofMillis(3001));
        assertThat(report.totals().throttleWaits()).isZero();
    }

    @Test
    void aByteCapPacesEvenOneBigMessage(@TempDir Path dir) throws Exception {
        long total = loaded.values().stream().flatMap(m -> m.values().stream()).mapToLong(b -> b.length).sum();
        BackupReport report = backup(source().maxBytesPerSecond(4096).build(), dir);

        assertThat(report.allErrors()).isEmpty();
        assertEveryMessageStoredOnce(dir);
        // every byte read (bodies, metadata, answers) beyond the first second's burst is waited for
        Duration atLeast = Duration.ofMillis((total - 4096) * 1000 / 4096);
        assertThat(sleeper.total()).isGreaterThanOrEqualTo(atLeast);
        assertThat(report.totals().paced()).isGreaterThanOrEqualTo(atLeast.minusMillis(50));
        // the 40 KB message alone needs ten waits or so: it is paced chunk by chunk
        assertThat(sleeper.sleeps().size()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void cancellingTheRunEndsAThrottlingWaitAtOnce(@TempDir Path dir) throws Exception {
        server.throttle(BODY_FETCH, 0, Integer.MAX_VALUE, "NO [THROTTLED] Slow down");
        // real waits of an hour: only the cancel can end them before the test's timeout
        Throttling hour = Throttling.builder().initialDelay(Duration.ofMinutes(59)).maxDelay(Duration.ofHours(1))
                .maxWaitTotal(Duration.ofHours(2)).build();
        ImapSource source = Interop.source(server, Duration.ofSeconds(10)).throttling(hour).build();
        BackupSession session = BackupSession.builder().source(source).target(Interop.store(dir)).build();
        java.util.concurrent.CompletableFuture<Object> run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return session.run();
            } catch (Exception e) {
                return e;
            }
        });
        while (server.throttleAnswers() == 0) {
            Thread.sleep(20);
        }
        while (!run.isDone()) {
            session.cancel(); // again, should the first come before the wait began
            Thread.sleep(50);
        }
        assertThat(run.get(20, TimeUnit.SECONDS)).isInstanceOf(io.github.imapbackup.CancelledException.class);
    }
}
