package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MergePlanner;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.MemoryStore;
import io.github.imapbackup.testing.Seeds;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One big folder copied with the run's spare connections fetching chunks ahead of its writer
 * (docs/ARCHITECTURE.md, "One big folder on several connections"): the archive is the one a
 * one-connection run writes, whatever happens to the helpers.
 */
@Timeout(60)
class FetchAheadTest {

    private static final String INBOX = "INBOX";
    /** Enough small messages for {@link FetchAhead#MIN_CHUNKS} chunks and more. */
    private static final int MESSAGES = 2_000;

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private final MemorySource source = new MemorySource();

    /** Fills INBOX with small messages of seeded sizes and two bigger than a batch takes. */
    private void load(long seed) {
        Random rnd = new Random(seed);
        MemoryFolder inbox = source.folder(INBOX);
        for (int i = 0; i < MESSAGES; i++) {
            StringBuilder body = new StringBuilder();
            int lines = 1 + rnd.nextInt(60);
            for (int l = 0; l < lines; l++) {
                body.append(l % 7 == 3 ? "From the line " : "line ").append(rnd.nextInt()).append("\r\n");
            }
            inbox.add("Message-ID: <m" + i + "@example.org>\r\nSubject: " + i + "\r\n\r\n" + body);
            if (i == 700 || i == 1500) {
                inbox.add("Message-ID: <big" + i + "@example.org>\r\n\r\n" + "x".repeat(1_500_000) + "\r\n");
            }
        }
        source.parallelFetch(true);
    }

    private static BackupReport backup(MessageSource from, MemoryStore to, int connections, BackupListener l)
            throws BackupException {
        return BackupSession.builder().source(from).target(to).connections(connections).listener(l).build().run();
    }

    /** Holds up the writer's first append a moment, so that the helpers are sure to fetch something. */
    private static BackupListener slowStart() {
        AtomicInteger copied = new AtomicInteger();
        return new BackupListener() {
            @Override
            public void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
                if (copied.incrementAndGet() == 1) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }

    /** What a one-connection run stores: the reference every other run must equal. */
    private MemoryStore reference() throws BackupException {
        MemoryStore one = new MemoryStore();
        assertThat(backup(source, one, 1, new BackupListener() { }).allErrors()).isEmpty();
        assertThat(source.fetchingConnections()).as("one connection fetches alone").isEqualTo(1);
        source.resetCounters();
        return one;
    }

    private static void assertSame(MemoryStore actual, MemoryStore expected) {
        List<ArchivedMessage> got = actual.messages(INBOX);
        assertThat(got).isEqualTo(expected.messages(INBOX));
        for (ArchivedMessage m : got) {
            assertThat(actual.content(INBOX, m)).as("UID " + m.uid()).isEqualTo(expected.content(INBOX, m));
        }
    }

    @Test
    void aBigFolderIsFetchedOnSeveralConnectionsAndStoredAsOneConnectionStoresIt() throws Exception {
        load(seeds.pick());
        MemoryStore one = reference();
        MemoryStore four = new MemoryStore();
        BackupReport r = backup(source, four, 4, slowStart());
        assertThat(r.allErrors()).isEmpty();
        assertThat(r.totals().messagesCopied()).isEqualTo(MESSAGES + 2);
        assertThat(source.fetchingConnections()).as("connections that fetched bodies").isGreaterThan(1);
        assertThat(source.openMessageCalls()).as("each message fetched once").isEqualTo(MESSAGES + 2);
        assertThat(source.openConnections()).isZero();
        assertSame(four, one);
    }

    @Test
    void aSourceThatDoesNotAllowItIsFetchedOnOneConnection() throws Exception {
        load(seeds.pick());
        source.parallelFetch(false);
        MemoryStore four = new MemoryStore();
        assertThat(backup(source, four, 4, slowStart()).allErrors()).isEmpty();
        assertThat(source.connects()).isEqualTo(1);
        assertThat(source.fetchingConnections()).isEqualTo(1);
    }

    @Test
    void aConnectionDroppingInAChunkLosesNothingAndStoresNothingTwice() throws Exception {
        long seed = seeds.pick();
        load(seed);
        MemoryStore one = reference();
        Random rnd = new Random(seed);
        for (int round = 0; round < 4; round++) {
            int at = 1 + rnd.nextInt(MESSAGES);
            String where = "drop at the " + at + "th fetch, round " + round + ", seed " + seed;
            if (round % 2 == 0) {
                source.dropConnectionMidStream(at, 20);
            } else {
                source.dropConnectionAtOpenMessage(at);
            }
            MemoryStore four = new MemoryStore();
            BackupReport r = backup(source, four, 4, slowStart());
            assertThat(r.allErrors()).as(where).isEmpty();
            assertThat(source.openConnections()).as(where).isZero();
            assertSame(four, one);
            source.resetCounters();
        }
    }

    @Test
    void aHelperSeeingAnotherUidValidityFetchesNothing() throws Exception {
        load(seeds.pick());
        MemoryStore one = reference();
        AtomicInteger connections = new AtomicInteger();
        MessageSource shifting = helpersChanged(connections, FetchAheadTest::shiftedUidValidity);
        MemoryStore four = new MemoryStore();
        assertThat(backup(shifting, four, 4, slowStart()).allErrors()).isEmpty();
        assertThat(connections.get()).as("a helper tried").isGreaterThan(1);
        assertThat(source.fetchingConnections()).as("only the writer fetched").isEqualTo(1);
        assertSame(four, one);
    }

    @Test
    void aCancelDuringAParallelFetchEndsPromptly() throws Exception {
        long seed = seeds.pick();
        load(seed);
        MemoryStore four = new MemoryStore();
        BackupSession session = BackupSession.builder().source(source).target(four).connections(4)
                .listener(slowStart()).build();
        source.stallAtOpenMessage(1 + new Random(seed).nextInt(MESSAGES));
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try {
            Future<BackupReport> result = exec.submit(session::run);
            assertThat(source.awaitStall(20)).isTrue();
            session.cancel();
            source.releaseStall();
            // the helpers stop with the writer: none keeps the run waiting for its chunk
            assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CancelledException.class);
        } finally {
            exec.shutdownNow();
        }
        assertThat(source.openConnections()).isZero();
        // what was stored is a prefix of the folder, each once; a rerun stores the rest
        MemoryStore one = new MemoryStore();
        source.resetCounters();
        assertThat(backup(source, one, 1, new BackupListener() { }).allErrors()).isEmpty();
        List<ArchivedMessage> stored = four.messages(INBOX);
        assertThat(stored).isEqualTo(one.messages(INBOX).subList(0, stored.size()));
        assertThat(backup(source, four, 4, new BackupListener() { }).allErrors()).isEmpty();
        assertSame(four, one);
    }

    @Test
    void aChunkOfMessagesBiggerThanToldHoldsNoMoreThanTheWindowsBytes() throws Exception {
        // a server telling sizes of 100 bytes for messages of 30 KB: chunks of 200 are 6 MB each
        MemoryFolder inbox = source.folder(INBOX);
        Random rnd = new Random(seeds.pick());
        int count = 1_200;
        for (int i = 0; i < count; i++) {
            inbox.add("Message-ID: <m" + i + "@example.org>\r\n\r\n" + "y".repeat(30_000 + rnd.nextInt(100)) + "\r\n");
        }
        inbox.misreportSizes(-29_900);
        source.parallelFetch(true);
        RunContext run = new RunContext(new EngineConfig(source, new MemoryStore(), FolderFilter.all(),
                BackupListener.Factory.of(BackupListener.NONE), MessageIdExtractor.standard(), MergePlanner.standard(),
                false, 4, 0, Clock.systemUTC(), EngineConfig.Policy.BACKUP), new AtomicBoolean());
        List<Long> appended = new ArrayList<>();
        try (SourceConnection c = source.connect()) {
            FolderInfo folder = c.folders().get(0);
            SourceFolder writers = c.open(folder);
            List<MessageInfo> toCopy = writers.messages(1);
            assertThat(FetchAhead.worthIt(run, toCopy, FolderPass.BATCH_MAX_MESSAGE)).isTrue();
            FetchAhead ahead = new FetchAhead(run, folder, inbox.uidValidity(), toCopy, FolderPass.BATCH_MAX_MESSAGE,
                    new FetchAhead.Writer() {
                        @Override
                        public void reached(MessageInfo first) {
                            if (first.uid() == toCopy.get(0).uid()) {
                                pause(1_000); // the helpers fill their window meanwhile
                            }
                        }

                        @Override
                        public void fetchAndAppend(List<MessageInfo> messages) {
                            messages.forEach(m -> appended.add(m.uid()));
                        }

                        @Override
                        public void append(MessageInfo m, byte[] bytes) {
                            assertThat(bytes).as("UID " + m.uid()).isEqualTo(inbox.content(m.uid()));
                            appended.add(m.uid());
                        }

                        @Override
                        public SourceFolder source() {
                            return writers;
                        }
                    });
            ahead.run();
            assertThat(appended).as("every message once, in order")
                    .isEqualTo(toCopy.stream().map(MessageInfo::uid).toList());
            assertThat(ahead.peakHeldBytes()).as("bytes held ahead").isPositive()
                    .isLessThanOrEqualTo(ChunkQueue.AHEAD_PER_HELPER * 3 * ChunkQueue.CHUNK_BYTES);
        }
    }

    @Test
    void aStalledHelperLosesItsChunkToTheWriter() throws Exception {
        load(seeds.pick());
        MemoryStore one = reference();
        AtomicInteger connections = new AtomicInteger();
        CountDownLatch stall = new CountDownLatch(1);
        MessageSource stalling = helpersChanged(connections, c -> proxy(SourceConnection.class, c,
                (name, result) -> name.equals("open") ? stallingFetch((SourceFolder) result, stall) : result));
        MemoryStore four = new MemoryStore();
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try {
            Future<BackupReport> result = exec.submit(() -> backup(stalling, four, 4, new BackupListener() { }));
            // without a take-over the writer would wait for the stalled helpers' chunks forever
            assertThat(result.get(45, TimeUnit.SECONDS).allErrors()).isEmpty();
        } finally {
            stall.countDown();
            exec.shutdownNow();
        }
        assertThat(connections.get()).as("helpers started").isGreaterThan(1);
        assertThat(source.fetchingConnections()).as("only the writer fetched").isEqualTo(1);
        assertSame(four, one);
    }

    @Test
    void messagesExpungedDuringTheParallelFetchAreStoredOrCountedAndNoOtherIsLostOrStoredTwice() throws Exception {
        long seed = seeds.pick();
        load(seed);
        MemoryStore one = reference();
        MemoryFolder inbox = source.folder(INBOX);
        long[] uids = inbox.uids();
        Random rnd = new Random(seed);
        Set<Long> gone = new TreeSet<>();
        while (gone.size() < 8) {
            gone.add(uids[uids.length / 4 + rnd.nextInt(uids.length * 3 / 4)]);
        }
        AtomicInteger copied = new AtomicInteger();
        BackupListener expungeOnce = new BackupListener() {
            @Override
            public void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
                if (copied.incrementAndGet() == 1) {
                    gone.forEach(inbox::expunge); // while the helpers fetch ahead of the writer
                    pause(300);
                }
            }
        };
        MemoryStore four = new MemoryStore();
        BackupReport r = backup(source, four, 4, expungeOnce);
        assertThat(source.fetchingConnections()).as("connections that fetched bodies").isGreaterThan(1);
        List<ArchivedMessage> stored = four.messages(INBOX);
        List<Long> storedUids = stored.stream().map(ArchivedMessage::uid).toList();
        assertThat(storedUids).as("strictly ascending, each once").isSorted().doesNotHaveDuplicates();
        assertThat(r.allErrors()).as("an expunged message is no failure").isEmpty();
        long goneBeforeCopy = gone.stream().filter(u -> !storedUids.contains(u)).count();
        assertThat(goneBeforeCopy).as("expunged before their copy").isPositive();
        assertThat(r.totals().expungedBeforeCopy()).as("expunged: counted, else stored").isEqualTo(goneBeforeCopy);
        for (ArchivedMessage ref : one.messages(INBOX)) {
            if (!gone.contains(ref.uid())) {
                assertThat(storedUids).as("UID " + ref.uid()).contains(ref.uid());
            }
        }
        for (ArchivedMessage m : stored) {
            ArchivedMessage ref = one.messages(INBOX).stream().filter(x -> x.uid() == m.uid()).findFirst().orElseThrow();
            assertThat(four.content(INBOX, m)).as("UID " + m.uid()).isEqualTo(one.content(INBOX, ref));
        }
    }

    /** The memory source, its first connection (the writer's) as it is, every later one changed. */
    private MessageSource helpersChanged(AtomicInteger connections, UnaryOperator<SourceConnection> change) {
        return connectionsChanged(connections, UnaryOperator.identity(), change);
    }

    /** The memory source, its first connection (the writer's) and every later one changed. */
    private MessageSource connectionsChanged(AtomicInteger connections, UnaryOperator<SourceConnection> first,
            UnaryOperator<SourceConnection> later) {
        return new MessageSource() {
            @Override
            public SourceConnection connect() throws BackupException {
                SourceConnection c = source.connect();
                return connections.incrementAndGet() == 1 ? first.apply(c) : later.apply(c);
            }

            @Override
            public String describe() {
                return source.describe();
            }

            @Override
            public boolean parallelFetch() {
                return true;
            }
        };
    }

    @Test
    void theWriterFetchesLaterChunksItselfWhileItsHelperIsBusy() throws Exception {
        load(seeds.pick());
        MemoryStore one = reference();
        AtomicInteger connections = new AtomicInteger();
        AtomicInteger writerBatches = new AtomicInteger();
        AtomicInteger helperBatches = new AtomicInteger();
        // the one helper is slow; the writer's own connection is fast
        MessageSource slowHelper = connectionsChanged(connections,
                c -> onBatchFetch(c, () -> writerBatches.incrementAndGet()),
                c -> onBatchFetch(c, () -> {
                    helperBatches.incrementAndGet();
                    pause(300);
                }));
        MemoryStore two = new MemoryStore();
        assertThat(backup(slowHelper, two, 2, new BackupListener() { }).allErrors()).isEmpty();
        assertSame(two, one);
        assertThat(helperBatches.get()).as("chunks the helper fetched").isPositive();
        // the first chunk is the writer's; without fetching ahead it waits for the helper for every later one
        assertThat(writerBatches.get()).as("chunks the writer fetched, %s by the helper", helperBatches)
                .isGreaterThan(helperBatches.get());
    }

    /** A connection whose folders run {@code action} before each fetch of more than one message. */
    private static SourceConnection onBatchFetch(SourceConnection c, Runnable action) {
        return proxy(SourceConnection.class, c, (name, result) -> !name.equals("open") ? result
                : (SourceFolder) Proxy.newProxyInstance(FetchAheadTest.class.getClassLoader(),
                        new Class<?>[] {SourceFolder.class}, (self, method, args) -> {
                            if (method.getName().equals("fetchMessages") && ((List<?>) args[0]).size() > 1) {
                                action.run();
                            }
                            try {
                                return method.invoke(result, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A folder whose batched fetches hang until {@code stall} opens or the thread is interrupted. */
    private static SourceFolder stallingFetch(SourceFolder folder, CountDownLatch stall) {
        return (SourceFolder) Proxy.newProxyInstance(FetchAheadTest.class.getClassLoader(),
                new Class<?>[] {SourceFolder.class}, (self, method, args) -> {
                    if (method.getName().equals("fetchMessages")) {
                        try {
                            stall.await();
                        } catch (InterruptedException e) {
                            throw new BackupException("stalled fetch interrupted", e);
                        }
                    }
                    try {
                        return method.invoke(folder, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** A connection whose folders tell another UIDVALIDITY than the source's. */
    private static SourceConnection shiftedUidValidity(SourceConnection c) {
        return proxy(SourceConnection.class, c, (name, result) -> name.equals("open")
                ? proxy(SourceFolder.class, result, (n, r) -> {
                    if (!n.equals("status")) {
                        return r;
                    }
                    FolderStatus s = (FolderStatus) r;
                    return new FolderStatus(s.messages(), s.uidValidity() + 1, s.uidNext(), s.highestModSeq());
                })
                : result);
    }

    private interface Rewrite {
        Object apply(String method, Object result);
    }

    private static <T> T proxy(Class<T> type, Object target, Rewrite rewrite) {
        Object p = Proxy.newProxyInstance(FetchAheadTest.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> {
                    try {
                        return rewrite.apply(method.getName(), method.invoke(target, args));
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return type.cast(p);
    }
}
