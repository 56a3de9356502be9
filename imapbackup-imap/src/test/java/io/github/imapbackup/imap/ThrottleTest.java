package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.CancelledException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The backoff after throttling answers and the recognition of those answers, on a fake sleeper. */
class ThrottleTest {

    private final FakeSleeper sleeper = new FakeSleeper();

    @Test
    void theWaitsDoubleWithJitterUpToTheLongest() throws Exception {
        Throttle.Retry retry = new Throttle(Throttling.DEFAULT, new WaitGate(sleeper)).retry("h:1", "INBOX", "UID FETCH", new WaitTally());
        for (int i = 0; i < 10; i++) {
            retry.await("NO [THROTTLED] slow down");
        }
        List<Duration> sleeps = sleeper.sleeps();
        long[] full = {1, 2, 4, 8, 16, 32, 60, 60, 60, 60};
        for (int i = 0; i < full.length; i++) {
            assertThat(sleeps.get(i)).as("wait " + i)
                    .isBetween(Duration.ofSeconds(full[i]).dividedBy(2), Duration.ofSeconds(full[i]));
        }
        assertThatThrownBy(() -> retry.await("NO [THROTTLED] slow down")).isInstanceOf(FolderException.class)
                .hasMessageContaining("folder \"INBOX\": the server kept throttling UID FETCH (10 waits")
                .hasMessageContaining("NO [THROTTLED] slow down");
    }

    @Test
    void theTotalBudgetEndsTheWaitsFirstWhenShorter() throws Exception {
        Throttling t = Throttling.builder().maxWaitTotal(Duration.ofSeconds(5)).build();
        Throttle.Retry retry = new Throttle(t, new WaitGate(sleeper)).retry("h:1", null, "the login", new WaitTally());
        assertThatThrownBy(() -> {
            for (int i = 0; i < 20; i++) {
                retry.await("NO [UNAVAILABLE] x");
            }
        }).isInstanceOf(ConnectionException.class).hasMessageStartingWith("h:1: the server kept throttling the login");
        assertThat(sleeper.total()).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aSuggestedDelayIsWaitedInFullUnlessOverTheBudget() throws Exception {
        Throttle.Retry retry = new Throttle(Throttling.DEFAULT, new WaitGate(sleeper)).retry("h:1", "INBOX", "SELECT", new WaitTally());
        retry.await("NO Request is throttled. Suggested Backoff Time: 90000 milliseconds");
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(90));
        assertThatThrownBy(() -> retry.await("BAD Request is throttled. Suggested Backoff Time: 3600000 milliseconds"))
                .isInstanceOf(FolderException.class).hasMessageContaining("kept throttling");
    }

    @Test
    void afterOneOperationGaveUpTheNextGivesUpAtOnceForAWhile() throws Exception {
        Throttle throttle = new Throttle(Throttling.builder().maxWaits(1).build(), new WaitGate(sleeper));
        Throttle.Retry first = throttle.retry("h:1", "A", "FETCH", new WaitTally());
        first.await("NO [LIMIT] x");
        assertThatThrownBy(() -> first.await("NO [LIMIT] x")).isInstanceOf(FolderException.class);
        Throttle.Retry second = throttle.retry("h:1", "B", "FETCH", new WaitTally());
        assertThatThrownBy(() -> second.await("NO [LIMIT] x")).isInstanceOf(FolderException.class)
                .hasMessageContaining("0 waits");
        // once the budget's time has passed, a new operation backs off again
        sleeper.advance(Duration.ofMinutes(16));
        throttle.retry("h:1", "C", "FETCH", new WaitTally()).await("NO [LIMIT] x");
        assertThat(sleeper.sleeps()).hasSize(2);
    }

    @Test
    void noneFailsAtTheFirstAnswer() {
        Throttle.Retry retry = new Throttle(Throttling.NONE, new WaitGate(sleeper)).retry("h:1", "INBOX", "FETCH", new WaitTally());
        assertThatThrownBy(() -> retry.await("NO [INUSE] x")).isInstanceOf(FolderException.class);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void theWaitsAreCountedForTheConnection() throws Exception {
        WaitTally tally = new WaitTally();
        Throttle.Retry retry = new Throttle(Throttling.DEFAULT, new WaitGate(sleeper)).retry("h:1", "INBOX", "FETCH", tally);
        retry.await("NO [THROTTLED] x");
        retry.await("NO [THROTTLED] x");
        assertThat(tally.snapshot().throttleWaits()).isEqualTo(2);
        assertThat(tally.snapshot().throttled()).isEqualTo(sleeper.total());
    }

    @Test
    void anInterruptedWaitCancels() {
        Sleeper interrupted = new Sleeper() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                throw new InterruptedException();
            }
        };
        Throttle.Retry retry = new Throttle(Throttling.DEFAULT, new WaitGate(interrupted)).retry("h:1", "INBOX", "FETCH", new WaitTally());
        try {
            assertThatThrownBy(() -> retry.await("NO [THROTTLED] x")).isInstanceOf(CancelledException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void throttlingAnswersAreRecognisedAndOthersAreNot() {
        for (String yes : List.of("NO [THROTTLED] x", "NO [LIMIT] x", "BAD [UNAVAILABLE] x", "NO [INUSE] x",
                "* BYE [UNAVAILABLE] Temporary System Error", "[ALERT] Too many simultaneous connections. (Failure)",
                "NO [ALERT] Account exceeded command or bandwidth limits. (Failure)", "NO Server Unavailable. 15",
                "BAD User is authenticated but not connected.",
                "NO Request is throttled. Suggested Backoff Time: 299961 milliseconds")) {
            assertThat(ThrottleSignal.says(yes)).as(yes).isTrue();
        }
        for (String no : List.of("NO [AUTHENTICATIONFAILED] Invalid credentials", "NO [TOOBIG] too big",
                "NO [NONEXISTENT] no such mailbox", "BAD Error in IMAP command", "NO [OVERQUOTA] Quota exceeded",
                "* BYE Jakarta Mail Exception: java.net.SocketException: Connection reset", "NO [LIMITED] x")) {
            assertThat(ThrottleSignal.says(no)).as(no).isFalse();
        }
        assertThat(ThrottleSignal.suggested("Request is throttled. Suggested Backoff Time: 299961 milliseconds"))
                .contains(Duration.ofMillis(299961));
        assertThat(ThrottleSignal.suggested("NO [THROTTLED] x")).isEmpty();
    }

    @Test
    void theSettingsAreChecked() {
        assertThatThrownBy(() -> Throttling.builder().initialDelay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Throttling.builder().maxWaits(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Throttling.builder().initialDelay(Duration.ofSeconds(90)).build())
                .isInstanceOf(IllegalStateException.class);
        assertThat(Throttling.DEFAULT.toBuilder().build()).isEqualTo(Throttling.DEFAULT);
        assertThat(Throttling.NONE.maxWaits()).isZero();
        assertThat(Throttling.DEFAULT.toString()).contains("PT1S", "PT1M", "10 waits");
    }

    /** The snippet of {@link Throttling}, built (no I/O). */
    @Test
    void theSnippetOfThrottlingBuildsAndTheSettingsCarryOver() {
        char[] secret = "s3cret".toCharArray();
        ImapSource source = ImapSource.builder()
                .host("imap.example.org").user("alice").password(() -> secret.clone())
                .throttling(Throttling.builder()
                        .initialDelay(Duration.ofSeconds(2))
                        .maxWaitTotal(Duration.ofMinutes(30))
                        .build())
                .maxBytesPerSecond(512 * 1024).maxMessagesPerSecond(4)
                .build();
        assertThat(source.throttling().initialDelay()).isEqualTo(Duration.ofSeconds(2));
        ImapSource copy = source.toBuilder().build();
        assertThat(copy.throttling()).isEqualTo(source.throttling());
        assertThat(copy.maxBytesPerSecond()).isEqualTo(512 * 1024);
        assertThat(copy.maxMessagesPerSecond()).isEqualTo(4.0);
        assertThat(ImapSource.builder().host("h").user("u").password(() -> secret.clone()).build().throttling())
                .isEqualTo(Throttling.DEFAULT);
        assertThatThrownBy(() -> ImapSource.builder().maxBytesPerSecond(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImapSource.builder().maxMessagesPerSecond(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImapSource.builder().maxMessagesPerSecond(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(source.toString()).doesNotContain("s3cret");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aCancelEndsAWaitInProgressAndNotTheNextOne() throws Exception {
        WaitGate gate = new WaitGate(Sleeper.system());
        java.util.concurrent.CompletableFuture<Boolean> waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return gate.sleep(Duration.ofHours(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (!waiting.isDone()) {
            gate.cancel(); // until the waiter is in its wait and wakes
            Thread.sleep(20);
        }
        assertThat(waiting.get()).as("cancelled").isFalse();
        assertThat(gate.sleep(Duration.ofMillis(1))).as("a later wait runs its course").isTrue();
    }
}
