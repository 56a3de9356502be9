package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageRejectedException;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.TargetFolder;
import io.github.imapbackup.spi.TargetFolder.NewMessage;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The IMAP target against the scripted fake server, for what GreenMail and Dovecot cannot show:
 * which literals are sent, a server without LITERAL+ or UIDPLUS, one that refuses one message,
 * one that refuses keywords.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeServerTargetIT {

    static final MessageIdExtractor EXTRACTOR = MessageIdExtractor.standard();
    static final Instant DATE = Instant.parse("2021-03-04T05:06:07Z");
    static final FolderInfo INBOX = new FolderInfo("INBOX", "/", Set.of(), true);

    private FakeImapServer server;

    @BeforeEach
    void start() throws Exception {
        server = FakeImapServer.start("alice", "secret");
    }

    @AfterEach
    void stop() throws Exception {
        stop(server);
    }

    /** Checks that the target wrote nothing but what it may, and closes {@code server}. */
    static void stop(FakeImapServer server) throws Exception {
        assertThat(server.commandNames()).as("the target writes only CREATE, SUBSCRIBE, SELECT, APPEND")
                .doesNotContain("EXPUNGE", "UID EXPUNGE", "STORE", "UID STORE", "DELETE", "CLOSE", "RENAME");
        server.close();
    }

    private ImapTarget target() {
        return target(server);
    }

    /** {@return a target for alice on {@code server}} */
    static ImapTarget target(FakeImapServer server) {
        return ImapTarget.builder(ImapSource.builder().host(server.host()).port(server.port())
                .security(Security.NONE).user("alice").password("secret"::toCharArray)
                .timeout(Duration.ofSeconds(10)).build()).build();
    }

    static byte[] message(int i, int bodySize) {
        StringBuilder sb = new StringBuilder("Message-ID: <m" + i + "@fake>\r\nSubject: " + i + "\r\n\r\n");
        while (sb.length() < bodySize) {
            sb.append("line ").append(i).append(" \"quoted\" \\ {5}\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static NewMessage newMessage(byte[] bytes, Set<String> flags) throws Exception {
        return new NewMessage(0, 0, EXTRACTOR.identify(new ByteArrayInputStream(bytes)), -1, DATE, flags, null);
    }

    /** Appends {@code messages}, pipelined; returns the refusals the handler heard of. */
    private Map<NewMessage, BackupException> appendPipelined(List<byte[]> messages, List<NewMessage> sent)
            throws Exception {
        Map<NewMessage, BackupException> refused = new java.util.IdentityHashMap<>();
        try (TargetFolder f = target().open(INBOX, EXTRACTOR)) {
            f.onRejected(refused::put);
            for (byte[] m : messages) {
                NewMessage n = newMessage(m, Set.of("\\Seen"));
                sent.add(n);
                ArchivedMessage stored = f.append(n, new ByteArrayInputStream(m));
                assertThat(stored.uid()).isZero();
                assertThat(stored.sha256()).isNull();
            }
            f.commit();
        }
        return refused;
    }

    @Test
    void withLiteralPlusNoAppendWaitsForAContinuation() throws Exception {
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            messages.add(message(i, i % 7 == 0 ? 20_000 : 300));
        }
        assertThat(appendPipelined(messages, new ArrayList<>())).isEmpty();
        assertThat(server.synchronisingLiterals()).isZero();
        assertThat(server.literalViolations()).isEmpty();
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(messages);
        assertThat(server.internalDateOf("INBOX", server.uids("INBOX").get(0))).isEqualTo(DATE);
        assertThat(server.flagsOf("INBOX", server.uids("INBOX").get(0))).containsExactly("\\Seen");
    }

    @Test
    void withoutLiteralPlusEveryAppendWaitsForItsContinuationAndAllArrive() throws Exception {
        server.capabilities("IMAP4rev1", "UIDPLUS");
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            messages.add(message(i, 500));
        }
        assertThat(appendPipelined(messages, new ArrayList<>())).isEmpty();
        assertThat(server.synchronisingLiterals()).isEqualTo(40);
        assertThat(server.literalViolations()).isEmpty();
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(messages);
    }

    @Test
    void withLiteralMinusOnlySmallLiteralsAreNonSynchronising() throws Exception {
        server.capabilities("IMAP4rev1", "LITERAL-", "UIDPLUS");
        List<byte[]> messages = List.of(message(1, 100), message(2, 4096), message(3, 4097), message(4, 90_000));
        assertThat(messages.get(1)).hasSizeGreaterThan(4096);
        List<byte[]> exact = List.of(message(1, 100), java.util.Arrays.copyOf(message(2, 4096), 4096),
                message(3, 5000), message(4, 90_000));
        assertThat(appendPipelined(exact, new ArrayList<>())).isEmpty();
        assertThat(server.synchronisingLiterals()).isEqualTo(2);
        assertThat(server.literalViolations()).isEmpty();
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(exact);
    }

    @Test
    void aMessageRefusedLaterGoesToTheHandlerAndTheRestIsStored() throws Exception {
        server.refuseAppendsContaining("Subject: 7\r\n");
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            messages.add(message(i, 300));
        }
        List<NewMessage> sent = new ArrayList<>();
        Map<NewMessage, BackupException> refused = appendPipelined(messages, sent);
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(onlyRefused(refused, sent, messages, 7));
    }

    /** Asserts that only message {@code i} was refused (TOOBIG, in INBOX); {@return the others} */
    static List<byte[]> onlyRefused(Map<NewMessage, BackupException> refused, List<NewMessage> sent,
            List<byte[]> messages, int i) {
        assertThat(refused).containsOnlyKeys(sent.get(i));
        assertThat(refused.get(sent.get(i))).isInstanceOf(MessageRejectedException.class)
                .hasMessageContaining("INBOX").hasMessageContaining("<m" + i + "@fake>").hasMessageContaining("TOOBIG");
        List<byte[]> expected = new ArrayList<>(messages);
        expected.remove(i);
        return expected;
    }

    @Test
    void unpipelinedARefusedMessageThrowsAndTheFolderGoesOn() throws Exception {
        server.refuseAppendsContaining("Subject: 1\r\n");
        try (TargetFolder f = target().open(INBOX, EXTRACTOR)) {
            ArchivedMessage first = f.append(newMessage(message(0, 100), Set.of()),
                    new ByteArrayInputStream(message(0, 100)));
            assertThat(first.uid()).as("APPENDUID").isPositive();
            assertThatThrownBy(() -> f.append(newMessage(message(1, 100), Set.of()),
                    new ByteArrayInputStream(message(1, 100))))
                    .isInstanceOf(MessageRejectedException.class).hasMessageContaining("TOOBIG");
            f.append(newMessage(message(2, 100), Set.of()), new ByteArrayInputStream(message(2, 100)));
            assertThat(f.messages()).hasSize(2);
        }
        assertThat(server.messages("INBOX")).containsExactly(message(0, 100), message(2, 100));
    }

    @Test
    void keywordsTheFolderRefusesAreDroppedAndRecentIsNeverSent() throws Exception {
        server.permanentFlags("\\Seen \\Flagged \\Deleted");
        byte[] m = message(1, 100);
        ArchivedMessage stored;
        try (TargetFolder f = target().open(INBOX, EXTRACTOR)) {
            stored = f.append(newMessage(m, Set.of("\\Seen", "\\Recent", "\\Answered", "$Work", "bad(kw")),
                    new ByteArrayInputStream(m));
        }
        assertThat(stored.flags()).containsExactly("\\Seen");
        assertThat(server.flagsOf("INBOX", server.uids("INBOX").get(0))).containsExactly("\\Seen");
        assertThat(server.commands()).filteredOn(c -> c.startsWith("APPEND"))
                .singleElement().asString().doesNotContain("Recent").doesNotContain("$Work").doesNotContain("bad(");
    }

    @Test
    void withoutUidPlusTheUidIsUnknownAndTheListingStillFindsTheMessages() throws Exception {
        server.capabilities("IMAP4rev1", "LITERAL+");
        byte[] m = message(1, 100);
        try (TargetFolder f = target().open(INBOX, EXTRACTOR)) {
            assertThat(f.append(newMessage(m, Set.of()), new ByteArrayInputStream(m)).uid()).isZero();
            assertThat(f.append(newMessage(m, Set.of()), new ByteArrayInputStream(m)).uid()).isZero();
        }
        try (TargetFolder f = target().open(INBOX, EXTRACTOR)) {
            assertThat(f.messages()).hasSize(2).allSatisfy(a -> {
                assertThat(a.uid()).isPositive();
                assertThat(a.identity()).isEqualTo(EXTRACTOR.identify(new ByteArrayInputStream(m)));
                assertThat(a.size()).isEqualTo(m.length);
            });
        }
    }

    @Test
    void aFolderIsCreatedWithTheTargetsDelimiterAndSubscribed() throws Exception {
        server.delimiter('.');
        byte[] m = message(1, 100);
        try (TargetFolder f = target().open(new FolderInfo("Archive/2019", "/", Set.of(), true), EXTRACTOR)) {
            f.append(newMessage(m, Set.of()), new ByteArrayInputStream(m));
        }
        assertThat(server.messages("Archive.2019")).containsExactly(m);
        assertThat(server.commands()).contains("CREATE \"Archive.2019\"", "SUBSCRIBE \"Archive.2019\"");
    }

    @Test
    void aLostConnectionIsAPlainFailureNotARefusal() throws Exception {
        byte[] m = message(1, 100);
        try (TargetFolder f = target().open(INBOX, EXTRACTOR)) {
            f.append(newMessage(m, Set.of()), new ByteArrayInputStream(m));
            server.close();
            assertThatThrownBy(() -> {
                f.append(newMessage(m, Set.of()), new ByteArrayInputStream(m));
                f.commit();
            }).isInstanceOf(BackupException.class).isNotInstanceOf(MessageRejectedException.class)
                    .hasMessageContaining("INBOX");
        } catch (BackupException e) {
            // closing may report the lost connection too
        }
    }

    @Test
    void aLiteralRefusedBeforeItsBytesIsThrownAndTheRestGoesOn() throws Exception {
        server.capabilities("IMAP4rev1", "UIDPLUS").maxLiteral(2000);
        byte[] small = message(1, 300);
        byte[] big = message(2, 5000);
        byte[] after = message(3, 300);
        Map<NewMessage, BackupException> refused = new java.util.IdentityHashMap<>();
        try (TargetFolder f = target().open(INBOX, EXTRACTOR)) {
            f.onRejected(refused::put);
            f.append(newMessage(small, Set.of()), new ByteArrayInputStream(small));
            assertThatThrownBy(() -> f.append(newMessage(big, Set.of()), new ByteArrayInputStream(big)))
                    .isInstanceOf(MessageRejectedException.class).hasMessageContaining("TOOBIG")
                    .hasMessageContaining("<m2@fake>");
            f.append(newMessage(after, Set.of()), new ByteArrayInputStream(after));
            f.commit();
            assertThat(f.messages()).hasSize(2);
        }
        assertThat(refused).isEmpty();
        assertThat(server.messages("INBOX")).containsExactly(small, after);
        assertThat(server.synchronisingLiterals()).isEqualTo(2);
    }

    @Test
    void aNonSynchronisingLiteralRefusedAfterItsBytesGoesToTheHandler() throws Exception {
        server.maxLiteral(2000);
        List<byte[]> messages = List.of(message(1, 300), message(2, 5000), message(3, 300));
        List<NewMessage> sent = new ArrayList<>();
        Map<NewMessage, BackupException> refused = appendPipelined(messages, sent);
        assertThat(refused).containsOnlyKeys(sent.get(1));
        assertThat(server.messages("INBOX")).containsExactly(messages.get(0), messages.get(2));
        assertThat(server.synchronisingLiterals()).isZero();
    }

    @Test
    void overQuotaFailsTheFolderInsteadOfRefusingEveryMessage() throws Exception {
        server.refuseAppendsContaining("Subject: 3\r\n", "NO [OVERQUOTA] Quota exceeded (mailbox for user is full)");
        Map<NewMessage, BackupException> refused = new java.util.IdentityHashMap<>();
        TargetFolder f = target().open(INBOX, EXTRACTOR);
        f.onRejected(refused::put);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 10; i++) {
                f.append(newMessage(message(i, 200), Set.of()), new ByteArrayInputStream(message(i, 200)));
            }
            f.commit();
        }).isInstanceOf(BackupException.class).isNotInstanceOf(MessageRejectedException.class)
                .hasMessageContaining("INBOX").hasMessageContaining("OVERQUOTA").hasMessageContaining("<m3@fake>");
        assertThatThrownBy(() -> f.append(newMessage(message(11, 200), Set.of()),
                new ByteArrayInputStream(message(11, 200)))).isInstanceOf(BackupException.class)
                .hasMessageContaining("earlier failure");
        f.close();
        assertThat(refused).isEmpty();
    }

    @Test
    void aServerThatStopsAnsweringTimesOutWithAPlainFailure() throws Exception {
        server.stall("INBOX");
        ImapTarget target = ImapTarget.builder(ImapSource.builder().host(server.host()).port(server.port())
                .security(Security.NONE).user("alice").password("secret"::toCharArray)
                .timeout(Duration.ofSeconds(1)).build()).build();
        assertThatThrownBy(() -> target.open(INBOX, EXTRACTOR)).isInstanceOf(BackupException.class)
                .isNotInstanceOf(MessageRejectedException.class).hasMessageContaining("INBOX");
    }
}
