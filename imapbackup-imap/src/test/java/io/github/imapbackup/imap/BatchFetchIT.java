package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static io.github.imapbackup.imap.Interop.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.MessageSink;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SourceFolder.fetchMessages} of {@link ImapSource} against the scripted fake server: one
 * UID FETCH for the small messages, partial fetches for the big ones, a message missing from the
 * answer reported with its UID, a connection lost in the middle of a batch resumed by the engine.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BatchFetchIT {

    private FakeImapServer server;
    /** UID → bytes as loaded into INBOX. */
    private final Map<Long, byte[]> loaded = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = FakeImapServer.start(USER, PASSWORD);
        for (int i = 0; i < 12; i++) {
            // the 6th is bigger than the fetch size
            byte[] m = Interop.big("<batch" + i + "@x>", i == 5 ? 20_000 : 300 + 37 * i);
            loaded.put(server.append("INBOX", m, Set.of(), Instant.parse("2024-04-04T04:04:04Z")), m);
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private ImapSource.Builder source() {
        return Interop.source(server, Duration.ofSeconds(10)).fetchSize(4096);
    }

    /** Records what the sink got. */
    private static final class Recorder implements MessageSink {
        final Map<Long, String> got = new LinkedHashMap<>();
        final Map<Long, BackupException> failed = new HashMap<>();

        @Override
        public void message(long uid, InputStream content) throws BackupException {
            try {
                got.put(uid, sha256(content));
            } catch (java.io.IOException e) {
                throw new BackupException("read failed", e);
            }
        }

        @Override
        public void failed(long uid, BackupException failure) {
            failed.put(uid, failure);
        }
    }

    private static FolderInfo inbox(SourceConnection c) throws BackupException {
        return c.folders().stream().filter(f -> f.name().equals("INBOX")).findFirst().orElseThrow();
    }

    @Test
    void smallMessagesComeInOneFetchAndBigOnesInChunksInUidOrder() throws Exception {
        Recorder sink = new Recorder();
        try (SourceConnection c = source().build().connect(); SourceFolder f = c.open(inbox(c))) {
            List<MessageInfo> all = f.messages(1);
            server.clearCommands();
            f.fetchMessages(all, sink);
        }
        assertThat(sink.failed).isEmpty();
        assertThat(sink.got.keySet()).containsExactlyElementsOf(loaded.keySet());
        loaded.forEach((uid, bytes) -> assertThat(sink.got.get(uid)).as("UID %d", uid).isEqualTo(sha256(bytes)));
        List<String> fetches = server.commands().stream()
                .filter(cmd -> cmd.toUpperCase(Locale.ROOT).contains("BODY.PEEK[]")).toList();
        // UIDs 1-5 together, 6 in chunks of 4096 (5 of them), 7-12 together
        assertThat(fetches).filteredOn(cmd -> !cmd.contains("<")).hasSize(2)
                .allMatch(cmd -> cmd.toUpperCase(Locale.ROOT).contains("UID FETCH 1:5 ")
                        || cmd.toUpperCase(Locale.ROOT).contains("UID FETCH 7:12 "));
        assertThat(fetches).filteredOn(cmd -> cmd.contains("<")).hasSize(5)
                .allMatch(cmd -> cmd.toUpperCase(Locale.ROOT).startsWith("UID FETCH 6 "));
    }

    @Test
    void aMessageMissingFromTheAnswerIsReportedWithItsUid() throws Exception {
        Recorder sink = new Recorder();
        try (SourceConnection c = source().build().connect(); SourceFolder f = c.open(inbox(c))) {
            List<MessageInfo> all = f.messages(1);
            server.expunge("INBOX", 3);
            f.fetchMessages(all, sink);
        }
        assertThat(sink.failed).containsOnlyKeys(3L);
        assertThat(sink.failed.get(3L)).isInstanceOf(FolderException.class);
        assertThat(((FolderException) sink.failed.get(3L)).uid()).hasValue(3L);
        assertThat(sink.got.keySet()).hasSize(11).doesNotContain(3L);
    }

    @Test
    void byeInTheMiddleOfABatchIsAConnectionFailureAfterTheMessagesBeforeIt() throws Exception {
        server.cutBody("INBOX", 3, FakeImapServer.Cut.BYE, 1);
        Recorder sink = new Recorder();
        try (SourceConnection c = source().build().connect(); SourceFolder f = c.open(inbox(c))) {
            List<MessageInfo> all = f.messages(1);
            assertThatThrownBy(() -> f.fetchMessages(all, sink)).isInstanceOf(ConnectionException.class);
        }
        assertThat(sink.got.keySet()).containsExactly(1L, 2L);
        assertThat(sink.failed).isEmpty();
    }

    @Test
    void aSinkFailureStopsTheFetchAndLeavesTheConnectionUsable() throws Exception {
        try (SourceConnection c = source().build().connect(); SourceFolder f = c.open(inbox(c))) {
            List<MessageInfo> all = f.messages(1);
            List<Long> seen = new ArrayList<>();
            assertThatThrownBy(() -> f.fetchMessages(all, (uid, in) -> {
                seen.add(uid);
                if (uid == 2) {
                    throw new BackupException("stop here", null);
                }
            })).hasMessage("stop here");
            assertThat(seen).containsExactly(1L, 2L);
            // the rest of the answer was read: the next command works
            Recorder sink = new Recorder();
            f.fetchMessages(all.subList(8, 12), sink);
            assertThat(sink.got.keySet()).containsExactly(9L, 10L, 11L, 12L);
        }
    }

    @Test
    void aSinkThatStopsInTheMiddleOfABigMessageLeavesTheConnectionInStep() throws Exception {
        try (SourceConnection c = source().build().connect(); SourceFolder f = c.open(inbox(c))) {
            List<MessageInfo> all = f.messages(1);
            MessageInfo big = all.get(5);
            assertThat(big.size()).isGreaterThan(4096);
            assertThatThrownBy(() -> f.fetchMessages(List.of(big), (uid, in) -> {
                try {
                    assertThat(in.readNBytes(5000)).hasSize(5000); // into the second chunk
                } catch (java.io.IOException e) {
                    throw new BackupException("read failed", e);
                }
                throw new BackupException("disk full", null);
            })).hasMessage("disk full");
            // the chunk sent ahead was read and dropped: the next fetch gets the right answers
            Recorder sink = new Recorder();
            f.fetchMessages(all, sink);
            assertThat(sink.failed).isEmpty();
            loaded.forEach((uid, bytes) -> assertThat(sink.got.get(uid)).as("UID %d", uid).isEqualTo(sha256(bytes)));
        }
    }

    @Test
    void connectionCutInTheMiddleOfABigMessageReachesTheSinkAsAConnectionFailure() throws Exception {
        server.cutBody("INBOX", 6, FakeImapServer.Cut.CLOSE_MID_LITERAL, 1, 2);
        List<Exception> seen = new ArrayList<>();
        try (SourceConnection c = source().build().connect(); SourceFolder f = c.open(inbox(c))) {
            List<MessageInfo> all = f.messages(1);
            assertThatThrownBy(() -> f.fetchMessages(List.of(all.get(5)), (uid, in) -> {
                try {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (java.io.IOException e) {
                    seen.add(e);
                    throw new BackupException("append failed", e);
                }
            })).isInstanceOf(BackupException.class);
        }
        assertThat(seen).singleElement().isInstanceOf(ConnectionException.class);
    }

    @Test
    void connectionLostInTheMiddleOfBatchesIsResumedWithoutLossOrDuplicate(@TempDir Path dir) throws Exception {
        server.cutBody("INBOX", 4, FakeImapServer.Cut.BYE, 1);
        server.cutBody("INBOX", 9, FakeImapServer.Cut.CLOSE_MID_LITERAL, 1);
        server.cutBody("INBOX", 6, FakeImapServer.Cut.CLOSE_MID_LITERAL, 1, 2);
        BackupReport report = BackupSession.builder().source(source().build()).target(Interop.store(dir))
                .reconnectAttempts(3).build().run();
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.hasFailures()).isFalse();
        assertThat(report.totals().messagesCopied()).isEqualTo(12);
        assertThat(server.connections()).isGreaterThanOrEqualTo(4);
        Map<Long, String> stored = Interop.archivedHashes(dir, "INBOX", "/");
        assertThat(stored).hasSize(12);
        loaded.forEach((uid, bytes) -> assertThat(stored.get(uid)).as("UID %d", uid).isEqualTo(sha256(bytes)));
        assertThat(Interop.archived(dir, "INBOX", "/")).hasSize(12);
        assertThat(server.commands()).filteredOn(cmd -> cmd.toUpperCase(Locale.ROOT).contains("BODY["))
                .isEmpty();
    }
}
