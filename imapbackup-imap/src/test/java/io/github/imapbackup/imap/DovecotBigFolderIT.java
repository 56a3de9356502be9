package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.Fault;
import io.github.imapbackup.testing.imap.FaultProxy;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * One big folder on a real Dovecot backed up with several connections (docs/ARCHITECTURE.md, "One
 * big folder on several connections"): the spare connections EXAMINE it and fetch chunks ahead,
 * and the mbox and the index records are those a one-connection run writes, also when a helper's
 * connection or the writer's is cut in the middle of a chunk (each aimed at its connection through
 * the proxy's connection numbers, not left to timing); a cancel during the parallel fetch ends the
 * run at once.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class DovecotBigFolderIT {

    static final String FOLDER = "Big";
    /** Enough small messages for several chunks of 200. */
    static final int MESSAGES = 1_500;
    /** Literals of the metadata fetch (one header literal per message), all on the first connection. */
    static final int METADATA_LITERALS = MESSAGES;
    /** The messages of the first chunk, the writer's always (the engine's chunks hold 200). */
    static final int FIRST_CHUNK = 200;
    /** How long the writer's connection is held at its first body while the helpers fetch ahead. */
    static final Duration WRITER_HELD = Duration.ofSeconds(3);

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().user(USER, PASSWORD).build();

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    static Path reference;

    @BeforeAll
    static void load() throws Exception {
        Random rnd = new Random(13);
        List<ImapTestClient.Message> batch = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            StringBuilder m = new StringBuilder("Message-ID: <big" + i + "@example.org>\r\nFrom: a" + i
                    + "@example.org\r\nSubject: " + i + "\r\n\r\n");
            for (int l = 1 + rnd.nextInt(40); l > 0; l--) {
                m.append(l % 5 == 0 ? "From here on " : ">From there ").append(rnd.nextLong()).append("\r\n");
            }
            batch.add(new ImapTestClient.Message(m.toString().getBytes(StandardCharsets.US_ASCII),
                    i % 3 == 0 ? Set.of("\\Seen") : Set.of(), Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * i)));
        }
        try (ImapTestClient c = DOVECOT.login(USER)) {
            c.createFolder(FOLDER);
            c.appendAll(FOLDER, batch);
        }
        try (RecordingProxy proxy = new RecordingProxy(DOVECOT.port())) {
            BackupReport one = backup(source(proxy.port(), Duration.ofSeconds(20)), reference, 1);
            assertThat(one.allErrors()).isEmpty();
            assertThat(one.totals().messagesCopied()).isEqualTo(MESSAGES);
            assertThat(proxy.connections()).as("one connection").isEqualTo(1);
        }
    }

    static ImapSource source(int port, Duration timeout) {
        return ImapSource.builder().host("127.0.0.1").port(port).security(Security.NONE).user(USER)
                .password(PASSWORD::toCharArray).timeout(timeout).build();
    }

    static BackupReport backup(ImapSource source, Path dir, int connections) throws BackupException {
        return BackupSession.builder().source(source).target(Interop.store(dir)).folders(FOLDER)
                .connections(connections).reconnectAttempts(3).build().run();
    }

    /**
     * Asserts the mbox is byte for byte the reference's, and the index's records too (their times
     * aside); with {@code reconnected}, only its message records: a pass that reconnects records
     * a state and a commit more, as it does with one connection.
     */
    static void assertSameAsOneConnection(Path dir, boolean reconnected) throws IOException {
        assertThat(Files.mismatch(dir.resolve(FOLDER + ".mbox"), reference.resolve(FOLDER + ".mbox")))
                .as("first differing byte of the mbox").isEqualTo(-1L);
        assertThat(indexRecords(dir, reconnected)).isEqualTo(indexRecords(reference, reconnected));
        assertThat(Interop.verify(dir)).isEmpty();
    }

    /** The index's lines without the times of the run (INTERNALDATEs are of 2024) and the checksums over them. */
    static List<String> indexRecords(Path dir, boolean messagesOnly) throws IOException {
        String year = Integer.toString(java.time.Year.now(java.time.ZoneOffset.UTC).getValue());
        return Files.readAllLines(dir.resolve(FOLDER + ".mbox.index")).stream()
                .filter(l -> !messagesOnly || l.startsWith("M "))
                .map(l -> l.substring(0, l.lastIndexOf(' ')).replaceAll(year + "-\\d\\d-\\d\\dT[0-9:.]+Z", "<now>"))
                .toList();
    }

    @Test
    void aBigFolderIsFetchedOnSeveralConnectionsAndStoredAsWithOne(@TempDir Path dir) throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(DOVECOT.port())) {
            BackupReport r = backup(source(proxy.port(), Duration.ofSeconds(20)), dir, 4);
            assertThat(r.allErrors()).isEmpty();
            assertThat(r.totals().messagesCopied()).isEqualTo(MESSAGES);
            assertThat(proxy.connections()).as("connections for one folder").isGreaterThan(1);
            String sent = proxy.sent();
            assertThat(sent.split("EXAMINE ", -1).length - 1).as("EXAMINEs of the one folder").isGreaterThan(1);
            // the source is only read
            assertThat(sent).doesNotContain(" SELECT ").doesNotContain("BODY[").contains("BODY.PEEK[]");
        }
        assertSameAsOneConnection(dir, false);
    }

    /**
     * The writer's connection (the proxy's first: it lists the folder) is held for {@link #WRITER_HELD}
     * at its first body, inside the first chunk, which is always the writer's; meanwhile the helpers
     * fetch the chunks of the window after it (two per helper: 1,200 messages with three), so the
     * cut, counted on their connections only, strikes one of them whatever the machine's speed.
     */
    @Test
    void aHelperCutInTheMiddleOfAChunkLosesNothingAndStoresNothingTwice(@TempDir Path dir) throws Exception {
        Random rnd = seeds.random();
        try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
            proxy.add(Fault.literal("FETCH", METADATA_LITERALS + 1, 0).onConnection(1).delay(WRITER_HELD));
            proxy.add(Fault.literal("FETCH", 1 + rnd.nextInt(1_000), rnd.nextInt(300)).notOnConnection(1).cut());
            BackupReport r = backup(source(proxy.port(), Duration.ofSeconds(20)), dir, 4);
            String where = proxy + " " + proxy.injections();
            assertThat(proxy.injections()).as(where).hasSize(2);
            assertThat(proxy.injections()).as(where).filteredOn(i -> i.contains("cut at literal"))
                    .singleElement().asString().doesNotStartWith("connection 1:");
            assertThat(r.allErrors()).as(where).isEmpty();
            assertThat(r.totals().messagesCopied()).as(where).isEqualTo(MESSAGES);
            // a helper's cut costs no reconnection of the folder: its chunk is fetched again
            assertThat(r.folders().get(0).counters().reconnectsToSource()).as(where).isZero();
        }
        assertSameAsOneConnection(dir, false);
    }

    /** The writer's connection cut inside its first chunk: the pass reconnects and goes on from what it stored. */
    @Test
    void theWritersCutInTheMiddleOfAChunkLosesNothingAndStoresNothingTwice(@TempDir Path dir) throws Exception {
        Random rnd = seeds.random();
        try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
            proxy.add(Fault.literal("FETCH", METADATA_LITERALS + 1 + rnd.nextInt(FIRST_CHUNK), rnd.nextInt(300))
                    .onConnection(1).cut());
            BackupReport r = backup(source(proxy.port(), Duration.ofSeconds(20)), dir, 4);
            String where = proxy + " " + proxy.injections();
            assertThat(proxy.injections()).as(where).singleElement().asString().startsWith("connection 1:");
            assertThat(r.allErrors()).as(where).isEmpty();
            assertThat(r.totals().messagesCopied()).as(where).isEqualTo(MESSAGES);
            assertThat(r.folders().get(0).counters().reconnectsToSource()).as(where).isEqualTo(1);
        }
        // the reconnected pass records a state and a commit more, as it does with one connection
        assertSameAsOneConnection(dir, true);
    }

    @Test
    void aCancelDuringAParallelFetchEndsAtOnce(@TempDir Path dir) throws Exception {
        Random rnd = seeds.random();
        try (FaultProxy proxy = FaultProxy.start(DOVECOT.port())) {
            // a stall on some connection, with a read timeout of a minute: only the cancel ends it
            proxy.add(Fault.literal("FETCH", METADATA_LITERALS + 250 + rnd.nextInt(800), rnd.nextInt(300)).stall());
            BackupSession session = BackupSession.builder().source(source(proxy.port(), Duration.ofSeconds(60)))
                    .target(Interop.store(dir)).folders(FOLDER).connections(4).build();
            CompletableFuture<Object> result = CompletableFuture.supplyAsync(() -> {
                try {
                    return session.run();
                } catch (BackupException e) {
                    return e;
                }
            });
            while (proxy.injected() == 0 && !result.isDone()) {
                Thread.sleep(10);
            }
            assertThat(result).as("the run ended before the stall: " + proxy).isNotDone();
            Thread.sleep(300);
            session.cancel();
            Object outcome;
            try {
                outcome = result.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("the cancel did not end the run (read timeout 60 s): " + proxy.injections(), e);
            }
            assertThat(outcome).as(String.valueOf(outcome)).isInstanceOf(CancelledException.class);
            assertThat(((CancelledException) outcome).report().orElseThrow().allErrors()).isEmpty();
        }
        assertThat(Interop.verify(dir)).isEmpty();
        // what was stored is a prefix of the folder; a rerun stores the rest, once
        assertThat(backup(source(DOVECOT.port(), Duration.ofSeconds(20)), dir, 4).allErrors()).isEmpty();
        assertThat(Files.mismatch(dir.resolve(FOLDER + ".mbox"), reference.resolve(FOLDER + ".mbox")))
                .as("first differing byte of the mbox").isEqualTo(-1L);
    }
}
