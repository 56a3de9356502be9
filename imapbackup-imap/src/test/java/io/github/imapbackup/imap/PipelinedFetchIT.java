package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MessageSink;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pipelined fetching ({@link PipelinedFetch}) against the scripted fake server: a folder of small
 * messages and a few bigger than the fetch size (one exactly 2 MiB) is backed up with the next UID
 * FETCH sent before an answer ends, also when the server answers pipelined commands side by side
 * (Dovecot's way), when it refuses a batch or throttles a chunk in the middle, when RFC822.SIZE
 * lies, and when the sink stops the fetch. Every message is stored once and exactly; bodies the
 * pipeline delivered are never fetched again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelinedFetchIT {

    private static final int MIB = 1 << 20;
    /** The small messages' count; the big ones come after small messages 10, 25 and 40. */
    private static final int SMALL = 50;
    private static final Pattern BODY_FETCH = Pattern.compile(
            "(?i)^UID FETCH (\\S+) \\(UID BODY\\.PEEK\\[\\](?:<(\\d+)\\.\\d+>)?\\)$");

    private FakeImapServer server;
    private final FakeSleeper sleeper = new FakeSleeper();
    /** UID → bytes as loaded into INBOX. */
    private final Map<Long, byte[]> loaded = new LinkedHashMap<>();
    /** The big messages' UIDs: 1.5 MiB, exactly 2 MiB, 3.2 MiB. */
    private long big15;
    private long big2;
    private long big32;

    @BeforeEach
    void start() throws Exception {
        server = FakeImapServer.start(USER, PASSWORD);
        Random rnd = new Random(16);
        for (int i = 0; i < SMALL; i++) {
            // 40-120 kB: the small ones make several batches of at most 2 MiB
            add("<small" + i + "@x>", 40_000 + rnd.nextInt(80_000));
            switch (i) {
                case 10 -> big15 = add("<big15@x>", 3 * MIB / 2);
                case 25 -> big2 = add("<big2@x>", 2 * MIB);
                case 40 -> big32 = add("<big32@x>", 32 * MIB / 10);
                default -> { }
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Adds a message of exactly {@code size} bytes; returns its UID. */
    private long add(String id, int size) {
        byte[] m = Arrays.copyOf(Interop.big(id, size), size);
        long uid = server.append("INBOX", m, Set.of(), Instant.parse("2024-04-04T04:04:04Z").plusSeconds(loaded.size()));
        loaded.put(uid, m);
        return uid;
    }

    private ImapSource.Builder source() {
        return Interop.source(server, Duration.ofSeconds(10)).sleeper(sleeper);
    }

    /** One connection: the folder's whole list goes to one pipelined fetch. */
    private BackupReport backup(Path dir) throws BackupException {
        return BackupSession.builder().source(source().build()).target(Interop.store(dir)).connections(1).build().run();
    }

    private void assertStoredExactlyOnce(Path dir) throws Exception {
        Map<Long, String> want = new TreeMap<>();
        loaded.forEach((uid, m) -> want.put(uid, sha256(m)));
        // archivedHashes fails on a UID stored twice or bytes that differ from the index's SHA-256
        assertThat(new TreeMap<>(Interop.archivedHashes(dir, "INBOX", "/"))).isEqualTo(want);
        assertThat(Interop.verify(dir)).isEmpty();
    }

    /** How often each body part was asked for: {@code "uid"} for a whole body, {@code "uid@offset"} for a chunk. */
    private Map<String, Integer> bodyFetches() {
        Map<String, Integer> out = new TreeMap<>();
        for (String c : server.commands()) {
            Matcher m = BODY_FETCH.matcher(c);
            if (!m.matches()) {
                continue;
            }
            for (String part : m.group(1).split(",")) {
                String[] ends = part.split(":");
                long from = Long.parseLong(ends[0]);
                long to = ends.length > 1 ? Long.parseLong(ends[1]) : from;
                for (long uid = Math.min(from, to); uid <= Math.max(from, to); uid++) {
                    out.merge(m.group(2) == null ? uid + "" : uid + "@" + m.group(2), 1, Integer::sum);
                }
            }
        }
        return out;
    }

    /** Each small body asked for once, each chunk of a big one once (an exact multiple: one empty chunk more). */
    private void assertEachBodyFetchedOnce() {
        Map<String, Integer> want = new TreeMap<>();
        loaded.forEach((uid, m) -> {
            if (m.length <= MIB) {
                want.put(uid + "", 1);
                return;
            }
            for (long off = 0; off <= m.length; off += MIB) {
                if (off < m.length || m.length % MIB == 0) {
                    want.put(uid + "@" + off, 1);
                }
            }
        });
        assertThat(bodyFetches()).isEqualTo(want);
    }

    /**
     * A chunk's command had the next command waiting before its tagged answer was sent: the
     * commands within the 4 MiB window go together, before the answer before them is read. Which
     * ones depends on timing (the loopback socket takes a whole chunk's answer). A batch's command
     * does not count: once every message of a batch came, the next command may go before its
     * tagged answer is read, even one command at a time.
     */
    private void assertPipelined() {
        assertThat(server.pipelinedCommands()).as(server.commands().toString())
                .anySatisfy(c -> assertThat(c).matches("UID FETCH \\d+ \\(UID BODY\\.PEEK\\[\\]<\\d+\\.\\d+>\\)"));
    }

    @ParameterizedTest(name = "side by side: {0}")
    @ValueSource(booleans = {false, true})
    void theNextCommandsAreSentBeforeAnAnswerEndsAndEachBodyIsFetchedOnce(boolean sideBySide, @TempDir Path dir)
            throws Exception {
        // side by side: the bodies that come before the answer before theirs ended are kept, not asked again
        server.answerSideBySide(sideBySide);
        BackupReport r = backup(dir);

        assertThat(r.allErrors()).isEmpty();
        assertThat(r.totals().messagesCopied()).isEqualTo(loaded.size());
        assertStoredExactlyOnce(dir);
        assertEachBodyFetchedOnce();
        assertPipelined();
    }

    /** {@return the body FETCH commands the server received so far} */
    private List<String> bodyCommands() {
        return server.commands().stream().filter(c -> BODY_FETCH.matcher(c).matches()).toList();
    }

    @Test
    void aFreshFetchSendsTheNextCommandsOnceTheFirstBodyCame() throws Exception {
        // the sink holds the first body until the server has the next command: a fetch that sent
        // it only once the sink had taken the first batch (or once its tagged answer was read)
        // would never get there, and every folder's first batch would go alone
        AtomicInteger atFirstBody = new AtomicInteger(-1);
        Sink sink = new Sink(-1) {
            @Override
            public void message(long uid, InputStream content) throws BackupException {
                if (atFirstBody.get() < 0) {
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (bodyCommands().size() < 2 && System.nanoTime() < until) {
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                    atFirstBody.set(bodyCommands().size());
                }
                super.message(uid, content);
            }
        };
        try (SourceConnection c = source().build().connect();
                SourceFolder f = c.open(c.folders().stream().filter(x -> x.name().equals("INBOX")).findFirst().orElseThrow())) {
            List<MessageInfo> all = f.messages(1);
            f.fetchMessages(all, sink);
        }
        assertThat(atFirstBody.get()).as("body commands the server had when the sink got the first body: "
                + server.commands()).isGreaterThanOrEqualTo(2);
        Map<Long, String> want = new TreeMap<>();
        loaded.forEach((uid, m) -> want.put(uid, sha256(m)));
        assertThat(new TreeMap<>(sink.got)).isEqualTo(want);
        assertEachBodyFetchedOnce();
    }

    @Test
    void aFirstBatchRefusedWithoutABodyHasNothingSentAhead(@TempDir Path dir) throws Exception {
        // the server refuses the first command outright: nothing else went out before its answer,
        // and the refused batch is asked again alone, then the rest one command at a time
        server.throttle("^UID FETCH \\S+ \\(UID BODY\\.PEEK\\[\\]\\)$", 0, 1, "NO Some messages could not be FETCHed (Failure)");
        BackupReport r = backup(dir);

        assertThat(r.allErrors()).isEmpty();
        assertStoredExactlyOnce(dir);
        assertThat(server.throttleAnswers()).isEqualTo(1);
        List<String> bodies = bodyCommands();
        assertThat(bodies).hasSizeGreaterThan(1);
        assertThat(bodies.get(1)).as("the command after the refused one: " + bodies).isEqualTo(bodies.get(0));
    }

    @Test
    void aBatchRefusedInTheMiddleLeavesTheRestToOneCommandAtATime(@TempDir Path dir) throws Exception {
        server.answerSideBySide(true);
        // the second batch of small messages, Gmail's words for a message it cannot give now
        server.throttle("^UID FETCH \\S+ \\(UID BODY\\.PEEK\\[\\]\\)$", 1, 1, "NO Some messages could not be FETCHed (Failure)");
        BackupReport r = backup(dir);

        assertThat(r.allErrors()).isEmpty();
        assertThat(r.folders().get(0).counters().messagesCopied()).isEqualTo(loaded.size());
        assertStoredExactlyOnce(dir);
        assertThat(server.throttleAnswers()).isEqualTo(1);
        // what the pipeline delivered before the refusal was not asked again: the first batch and UID big15
        Map<String, Integer> fetches = bodyFetches();
        for (long uid = 1; uid < big15; uid++) {
            assertThat(fetches.get(uid + "")).as("UID %d", uid).isEqualTo(1);
        }
        assertThat(fetches.get(big15 + "@0")).isEqualTo(1);
        // the refused batch's messages were asked again: none is missing
        assertThat(fetches.get((big15 + 1) + "")).isEqualTo(2);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void anAccountWideRefusalInTheMiddleFailsTheFolderAndARerunCompletesIt(@TempDir Path dir) throws Exception {
        server.answerSideBySide(true);
        server.throttle("^UID FETCH \\S+ \\(UID BODY\\.PEEK\\[\\]\\)$", 1, 1, "NO [SERVERBUG] Internal error occurred");
        BackupReport r = backup(dir);

        assertThat(r.allErrors()).as("the refusal is not hidden").isNotEmpty()
                .allSatisfy(e -> assertThat(e.folder()).isEqualTo("INBOX"))
                .anySatisfy(e -> assertThat(e.message()).contains("SERVERBUG"));
        // what was stored is exact and once (archivedHashes checks), and the folder is sound
        Map<Long, String> partial = Interop.archivedHashes(dir, "INBOX", "/");
        partial.forEach((uid, sha) -> assertThat(sha).as("UID %d", uid).isEqualTo(sha256(loaded.get(uid))));
        assertThat(Interop.verify(dir)).isEmpty();

        BackupReport again = backup(dir);
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesCopied()).isEqualTo(loaded.size() - partial.size());
        assertStoredExactlyOnce(dir);
    }

    @Test
    void aChunkThrottledInTheMiddleIsAskedAgainAfterTheBackoff(@TempDir Path dir) throws Exception {
        server.answerSideBySide(true);
        String secondChunk = "^UID FETCH " + big32 + " \\(UID BODY\\.PEEK\\[\\]<" + MIB + "\\.";
        server.throttle(secondChunk, 0, 2, "NO [THROTTLED] slow down");
        BackupReport r = backup(dir);

        assertThat(r.allErrors()).isEmpty();
        assertStoredExactlyOnce(dir);
        assertThat(server.throttleAnswers()).isEqualTo(2);
        // refused in the pipeline, then asked alone after a backoff (refused), then after a longer one
        assertThat(bodyFetches().get(big32 + "@" + MIB)).isEqualTo(3);
        assertThat(sleeper.sleeps()).hasSize(2);
        assertThat(r.totals().throttleWaits()).isEqualTo(2);
        // the chunks before the throttled one were not asked again
        assertThat(bodyFetches().get(big32 + "@0")).isEqualTo(1);
        assertThat(bodyFetches().get(big2 + "@" + 2 * MIB)).isEqualTo(1);
    }

    @Test
    void rfc822SizesThatLieNeitherTruncateNorRepeatABody(@TempDir Path dir) throws Exception {
        server.answerSideBySide(true);
        // 3.2 MiB that says 1.5 MiB: two chunks planned, the rest one at a time; 1.5 MiB that says 3.5 MiB
        server.hostile().rfc822Size("INBOX", big32, 3 * MIB / 2).rfc822Size("INBOX", big15, 7 * MIB / 2);
        BackupReport r = backup(dir);

        assertThat(r.allErrors()).isEmpty();
        assertStoredExactlyOnce(dir);
        Map<String, Integer> fetches = bodyFetches();
        for (long off = 0; off < 4 * MIB; off += MIB) {
            assertThat(fetches.get(big32 + "@" + off)).as("UID %d from %d", big32, off).isEqualTo(1);
        }
        // nothing before it asked twice (the pipeline stops for a message longer than its size: what
        // was sent after it is read, dropped and asked again one command at a time)
        assertThat(fetches).as("asked twice").allSatisfy((k, n) -> assertThat(n > 1 && Long.parseLong(k.split("@")[0]) < big32)
                .as(k).isFalse());
        assertThat(fetches.get(big15 + "@0")).isEqualTo(1);
        assertThat(fetches.get(big15 + "@" + MIB)).isEqualTo(1);
    }

    /** Records what the sink got; throws at the {@code failAt}-th message. */
    private static class Sink implements MessageSink {
        final Map<Long, String> got = new LinkedHashMap<>();
        final int failAt;
        final BackupException failure = new BackupException("the target refused it", null);

        Sink(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public void message(long uid, InputStream content) throws BackupException {
            if (got.size() + 1 == failAt) {
                throw failure;
            }
            try {
                got.put(uid, sha256(content));
            } catch (IOException e) {
                throw new BackupException("read failed", e);
            }
        }

        @Override
        public void failed(long uid, BackupException f) {
            throw new AssertionError("UID " + uid + " failed: " + f);
        }
    }

    @Test
    void aSinkFailureStopsThePipelineAndTheConnectionStaysUsable() throws Exception {
        server.answerSideBySide(true);
        Sink first = new Sink(20);
        Sink rest = new Sink(-1);
        try (SourceConnection c = source().build().connect();
                SourceFolder f = c.open(c.folders().stream().filter(x -> x.name().equals("INBOX")).findFirst().orElseThrow())) {
            List<MessageInfo> all = f.messages(1);
            assertThatThrownBy(() -> f.fetchMessages(all, first)).isSameAs(first.failure);
            // what was sent after the failure was read to its end: the same connection goes on
            f.fetchMessages(all.stream().filter(m -> !first.got.containsKey(m.uid())).toList(), rest);
        }
        assertThat(first.got).hasSize(19);
        assertThat(server.connections()).isEqualTo(1);
        Map<Long, String> got = new TreeMap<>(first.got);
        got.putAll(rest.got);
        Map<Long, String> want = new TreeMap<>();
        loaded.forEach((uid, m) -> want.put(uid, sha256(m)));
        assertThat(got).isEqualTo(want);
        assertThat(first.got.keySet()).doesNotContainAnyElementsOf(rest.got.keySet());
    }

    @Test
    void aCancelInTheMiddleStoresNothingHalfAndARerunCompletesIt(@TempDir Path dir) throws Exception {
        server.answerSideBySide(true);
        AtomicReference<BackupSession> session = new AtomicReference<>();
        AtomicInteger copied = new AtomicInteger();
        session.set(BackupSession.builder().source(source().build()).target(Interop.store(dir)).connections(1)
                .listener(new BackupListener() {
                    @Override
                    public void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
                        if (copied.incrementAndGet() == 30) {
                            session.get().cancel();
                        }
                    }
                }).build());
        assertThatThrownBy(() -> session.get().run()).isInstanceOf(CancelledException.class);
        assertThat(Interop.verify(dir)).isEmpty();
        Map<Long, String> partial = Interop.archivedHashes(dir, "INBOX", "/");
        assertThat(partial).hasSizeBetween(1, loaded.size() - 1);
        partial.forEach((uid, sha) -> assertThat(sha).as("UID %d", uid).isEqualTo(sha256(loaded.get(uid))));

        BackupReport again = backup(dir);
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesCopied()).isEqualTo(loaded.size() - partial.size());
        assertStoredExactlyOnce(dir);
    }
}
