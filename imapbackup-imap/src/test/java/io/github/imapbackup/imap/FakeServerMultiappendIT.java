package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.FakeServerTargetIT.EXTRACTOR;
import static io.github.imapbackup.imap.FakeServerTargetIT.INBOX;
import static io.github.imapbackup.imap.FakeServerTargetIT.message;
import static io.github.imapbackup.imap.FakeServerTargetIT.newMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.MessageRejectedException;
import io.github.imapbackup.spi.TargetFolder;
import io.github.imapbackup.spi.TargetFolder.NewMessage;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MULTIAPPEND (RFC 3502) against the scripted fake server: consecutive appends of a folder go in
 * one command, bounded by count and bytes; a batch refused as a whole is appended again message
 * by message, so that only the refused message is reported.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeServerMultiappendIT {

    private FakeImapServer server;

    @BeforeEach
    void start() throws Exception {
        server = FakeImapServer.start("alice", "secret");
        server.capabilities(Stream.concat(FakeImapServer.DEFAULT_CAPABILITIES.stream(), Stream.of("MULTIAPPEND"))
                .toArray(String[]::new));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private TargetFolder open() throws BackupException {
        return ImapTarget.builder(ImapSource.builder().host(server.host()).port(server.port())
                .security(Security.NONE).user("alice").password("secret"::toCharArray)
                .timeout(Duration.ofSeconds(10)).build()).build().open(INBOX, EXTRACTOR);
    }

    /** Appends {@code messages} pipelined, with \Seen on the even ones; returns the refusals the handler heard of. */
    private Map<NewMessage, BackupException> append(List<byte[]> messages, List<NewMessage> sent) throws Exception {
        Map<NewMessage, BackupException> refused = new IdentityHashMap<>();
        try (TargetFolder f = open()) {
            f.onRejected(refused::put);
            for (int i = 0; i < messages.size(); i++) {
                NewMessage n = newMessage(messages.get(i), i % 2 == 0 ? Set.of("\\Seen") : Set.of());
                sent.add(n);
                ArchivedMessage stored = f.append(n, new ByteArrayInputStream(messages.get(i)));
                assertThat(stored.uid()).isZero();
            }
            f.commit();
        }
        return refused;
    }

    private long appendCommands() {
        return server.commandNames().stream().filter("APPEND"::equals).count();
    }

    private static List<byte[]> messages(int n, int bodySize) {
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            messages.add(message(i, bodySize));
        }
        return messages;
    }

    @Test
    void consecutiveAppendsGoInOneCommandPerHundredMessages() throws Exception {
        List<byte[]> messages = messages(250, 300);
        assertThat(append(messages, new ArrayList<>())).isEmpty();
        assertThat(appendCommands()).isEqualTo(3);
        assertThat(server.synchronisingLiterals()).isZero();
        assertThat(server.literalViolations()).isEmpty();
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(messages);
        List<Long> uids = server.uids("INBOX");
        assertThat(server.flagsOf("INBOX", uids.get(0))).containsExactly("\\Seen");
        assertThat(server.flagsOf("INBOX", uids.get(1))).isEmpty();
        assertThat(server.internalDateOf("INBOX", uids.get(249))).isEqualTo(FakeServerTargetIT.DATE);
    }

    @Test
    void aBatchIsSentOnceItsBytesReachTheBoundAndBigMessagesGoThroughTemporaryFiles() throws Exception {
        List<byte[]> messages = messages(13, 600_000);
        messages.add(5, message(99, 3_000_000)); // over the 1 MiB kept in memory
        // 4 MiB reached by the first 6 messages, then by the next 7 of 600 kB; the last one alone
        assertThat(append(messages, new ArrayList<>())).isEmpty();
        assertThat(appendCommands()).isEqualTo(3);
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(messages);
    }

    @Test
    void withoutLiteralPlusEachMessageOfABatchWaitsForItsContinuation() throws Exception {
        server.capabilities("IMAP4rev1", "UIDPLUS", "MULTIAPPEND");
        List<byte[]> messages = messages(30, 500);
        assertThat(append(messages, new ArrayList<>())).isEmpty();
        assertThat(appendCommands()).isEqualTo(1);
        assertThat(server.synchronisingLiterals()).isEqualTo(30);
        assertThat(server.literalViolations()).isEmpty();
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(messages);
    }

    @Test
    void aBatchRefusedAsAWholeIsAppendedOneByOneAndOnlyTheBadMessageIsReported() throws Exception {
        server.refuseAppendsContaining("Subject: 7\r\n");
        List<byte[]> messages = messages(150, 300);
        List<NewMessage> sent = new ArrayList<>();
        Map<NewMessage, BackupException> refused = append(messages, sent);
        List<byte[]> expected = FakeServerTargetIT.onlyRefused(refused, sent, messages, 7);
        assertThat(server.messages("INBOX")).containsExactlyInAnyOrderElementsOf(expected);
        // the refused batch's messages go again, in order, after the second batch when that was sent
        // before the refusal arrived, else before it: which one depends on the machine's speed
        List<byte[]> first = expected.subList(0, 99);
        List<byte[]> second = expected.subList(99, 149);
        List<byte[]> replayedLast = new ArrayList<>(second);
        replayedLast.addAll(first);
        List<byte[]> replayedFirst = new ArrayList<>(first);
        replayedFirst.addAll(second);
        List<byte[]> stored = server.messages("INBOX");
        assertThat(stored).satisfiesAnyOf(
                s -> assertThat(stored).containsExactlyElementsOf(replayedLast),
                s -> assertThat(stored).containsExactlyElementsOf(replayedFirst));
        assertThat(appendCommands()).as("two batches, then the first batch's 100 messages one by one")
                .isEqualTo(2 + 100);
    }

    @Test
    void aSynchronisingLiteralRefusedInsideABatchIsReportedAlone() throws Exception {
        server.capabilities("IMAP4rev1", "UIDPLUS", "MULTIAPPEND").maxLiteral(10_000);
        List<byte[]> messages = messages(10, 500);
        messages.set(4, message(4, 20_000));
        List<NewMessage> sent = new ArrayList<>();
        Map<NewMessage, BackupException> refused = append(messages, sent);
        List<byte[]> expected = FakeServerTargetIT.onlyRefused(refused, sent, messages, 4);
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(expected);
    }

    @Test
    void overQuotaForABatchFailsTheFolder() throws Exception {
        server.refuseAppendsContaining("Subject: 3\r\n", "NO [OVERQUOTA] Quota exceeded (mailbox for user is full)");
        Map<NewMessage, BackupException> refused = new IdentityHashMap<>();
        TargetFolder f = open();
        f.onRejected(refused::put);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 10; i++) {
                f.append(newMessage(message(i, 200), Set.of()), new ByteArrayInputStream(message(i, 200)));
            }
            f.commit();
        }).isInstanceOf(BackupException.class).isNotInstanceOf(MessageRejectedException.class)
                .hasMessageContaining("INBOX").hasMessageContaining("OVERQUOTA");
        f.close();
        assertThat(refused).isEmpty();
        assertThat(server.messages("INBOX")).isEmpty();
    }

    @Test
    void appenduidOfABatchGivesEachMessageItsUid() throws Exception {
        List<byte[]> messages = messages(5, 300);
        try (TargetFolder f = open()) {
            f.onRejected((m, e) -> {
                throw new AssertionError(e);
            });
            for (byte[] m : messages) {
                f.append(newMessage(m, Set.of()), new ByteArrayInputStream(m));
            }
            f.commit();
            assertThat(f.messages()).extracting(ArchivedMessage::uid).containsExactlyElementsOf(server.uids("INBOX"));
        }
    }
}
