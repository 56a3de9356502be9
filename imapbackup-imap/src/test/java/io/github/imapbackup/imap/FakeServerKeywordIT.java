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
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A keyword the target refuses at APPEND although its PERMANENTFLAGS offer {@code \*} (Dovecot:
 * longer than {@code mail_max_keyword_length}, {@code NO [CANNOT]}), against the scripted fake
 * server, with and without MULTIAPPEND: the message is stored without that keyword, the others of
 * its batch once each and in order; a message refused for itself is still refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeServerKeywordIT {

    private static final String BAD = "$TooLongForTheServer";

    private final FakeImapServer server;

    FakeServerKeywordIT() throws Exception {
        server = FakeImapServer.start("alice", "secret"); // one per test: JUnit makes an instance per test
    }

    @AfterEach
    void checkAndClose() throws Exception {
        FakeServerTargetIT.stop(server);
    }

    private void multiappend(boolean on) {
        if (on) {
            server.capabilities(Stream.concat(FakeImapServer.DEFAULT_CAPABILITIES.stream(), Stream.of("MULTIAPPEND"))
                    .toArray(String[]::new));
        }
    }

    private TargetFolder open() throws BackupException {
        return FakeServerTargetIT.target(server).open(INBOX, EXTRACTOR);
    }

    private List<String> appendsWith(String text) {
        return server.commands().stream().filter(c -> c.startsWith("APPEND") && c.contains(text)).toList();
    }

    private long appendCommands() {
        return server.commandNames().stream().filter("APPEND"::equals).count();
    }

    /**
     * Appends {@code messages} pipelined with the flags of {@code flags}; {@return the flags of the
     * entries append returned}, and the refusals the handler heard of in {@code refused}.
     */
    private List<Set<String>> append(List<byte[]> messages, List<Set<String>> flags,
            Map<NewMessage, BackupException> refused) throws Exception {
        List<Set<String>> stored = new ArrayList<>();
        try (TargetFolder f = open()) {
            f.onRejected(refused::put);
            for (int i = 0; i < messages.size(); i++) {
                stored.add(f.append(newMessage(messages.get(i), flags.get(i)),
                        new ByteArrayInputStream(messages.get(i))).flags());
            }
            f.commit();
        }
        return stored;
    }

    @ParameterizedTest(name = "MULTIAPPEND {0}")
    @ValueSource(booleans = {false, true})
    void aRefusedKeywordCostsOnlyThatKeywordAndEveryOtherMessageIsStoredOnceInOrder(boolean multiappend)
            throws Exception {
        multiappend(multiappend);
        server.refuseKeyword(BAD);
        List<byte[]> messages = new ArrayList<>();
        List<Set<String>> flags = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            messages.add(message(i, i == 12 ? 1_500_000 : 300)); // 12 over 1 MiB: sent again from its temporary file
            flags.add(i == 12 ? Set.of("\\Seen", BAD, "$Work") : i == 20 ? Set.of(BAD) : Set.of("\\Seen", "$Work"));
        }
        Map<NewMessage, BackupException> refused = new IdentityHashMap<>();
        List<Set<String>> stored = append(messages, flags, refused);

        assertThat(refused).isEmpty();
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(messages);
        List<Long> uids = server.uids("INBOX");
        assertThat(server.flagsOf("INBOX", uids.get(12))).containsExactlyInAnyOrder("\\Seen", "$Work");
        assertThat(server.flagsOf("INBOX", uids.get(20))).isEmpty();
        assertThat(server.flagsOf("INBOX", uids.get(13))).containsExactlyInAnyOrder("\\Seen", "$Work");
        assertThat(stored.get(12)).as("what the engine counts: the keyword dropped").containsExactlyInAnyOrder(
                "\\Seen", "$Work");
        assertThat(stored.get(20)).isEmpty();
        assertThat(stored.get(0)).containsExactlyInAnyOrder("\\Seen", "$Work");
        assertThat(appendsWith(BAD)).as("the refusal is traced once, then the keyword is dropped up front")
                .hasSize(1);
        assertThat(server.synchronisingLiterals()).isZero();
    }

    @Test
    void aNewKeywordCostsOneUnpipelinedAppendAndTheRestGoesInFullBatches() throws Exception {
        multiappend(true);
        List<byte[]> messages = new ArrayList<>();
        List<Set<String>> flags = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            messages.add(message(i, 300));
            flags.add(Set.of("\\Seen", "$Work"));
        }
        List<Set<String>> stored = append(messages, flags, new IdentityHashMap<>());
        assertThat(stored).allSatisfy(s -> assertThat(s).containsExactlyInAnyOrder("\\Seen", "$Work"));
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(messages);
        assertThat(appendCommands()).as("the first message alone, then 100 + 100 + 49").isEqualTo(4);
    }

    @Test
    void keywordsListedInPermanentFlagsWithoutTheWildcardGoPipelinedInBatches() throws Exception {
        multiappend(true);
        server.permanentFlags("\\Seen \\Flagged $Work");
        List<byte[]> messages = new ArrayList<>();
        List<Set<String>> flags = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            messages.add(message(i, 300));
            flags.add(Set.of("\\Seen", "$Work", "$Other"));
        }
        List<Set<String>> stored = append(messages, flags, new IdentityHashMap<>());
        assertThat(stored).allSatisfy(s -> assertThat(s).containsExactlyInAnyOrder("\\Seen", "$Work"));
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(messages);
        assertThat(appendCommands()).isEqualTo(2);
    }

    @Test
    void aListedKeywordRefusedInABatchCostsThatMessageReportedAndTheOthersAreStoredOnce() throws Exception {
        multiappend(true);
        server.permanentFlags("\\Seen " + BAD).refuseKeyword(BAD); // a server that lies: not traced
        List<byte[]> messages = new ArrayList<>();
        List<Set<String>> flags = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            messages.add(message(i, 300));
            flags.add(i == 4 ? Set.of("\\Seen", BAD) : Set.of("\\Seen"));
        }
        Map<NewMessage, BackupException> refused = new IdentityHashMap<>();
        append(messages, flags, refused);
        assertThat(refused).hasSize(1).allSatisfy((m, e) -> {
            assertThat(m.identity().value()).contains("<m4@fake>");
            assertThat(e).isInstanceOf(MessageRejectedException.class).hasMessageContaining("INBOX")
                    .hasMessageContaining("CANNOT");
        });
        List<byte[]> others = new ArrayList<>(messages);
        others.remove(4);
        assertThat(server.messages("INBOX")).containsExactlyElementsOf(others);
    }

    @ParameterizedTest(name = "MULTIAPPEND {0}")
    @ValueSource(booleans = {false, true})
    void aMessageRefusedForItselfIsRetriedWithoutItsNewKeywordsOnlyAndStillRefused(boolean multiappend)
            throws Exception {
        multiappend(multiappend);
        server.refuseAppendsContaining("Subject: 1\r\n", "NO [CANNOT] this message cannot be stored");
        Map<NewMessage, BackupException> refused = new IdentityHashMap<>();
        try (TargetFolder f = open()) {
            f.onRejected(refused::put);
            f.append(newMessage(message(0, 100), Set.of("$Known")), new ByteArrayInputStream(message(0, 100)));
            assertThatThrownBy(() -> f.append(newMessage(message(1, 100), Set.of("\\Seen", "$Known", "$New",
                    "Other")), new ByteArrayInputStream(message(1, 100))))
                    .isInstanceOf(MessageRejectedException.class).hasMessageContaining("INBOX")
                    .hasMessageContaining("<m1@fake>").hasMessageContaining("cannot be stored");
            f.append(newMessage(message(2, 100), Set.of("$Known")), new ByteArrayInputStream(message(2, 100)));
            f.commit();
        }
        assertThat(refused).isEmpty();
        assertThat(server.messages("INBOX")).containsExactly(message(0, 100), message(2, 100));
        List<String> tried = appendsWith("Other");
        assertThat(tried).as("sent with both new keywords once; the known one always").hasSize(1);
        assertThat(appendsWith("$New")).hasSize(2);
        assertThat(appendsWith("$Known")).hasSize(5);
        assertThat(server.commands()).filteredOn(c -> c.startsWith("APPEND") && c.contains("\\Seen"))
                .hasSize(3).last().asString().doesNotContain("$New").doesNotContain("Other");
    }

    @Test
    void aMessageRefusedAsTooBigIsNotSentAgainWithoutItsKeywords() throws Exception {
        multiappend(true);
        server.refuseAppendsContaining("Subject: 1\r\n");
        try (TargetFolder f = open()) {
            f.onRejected((m, e) -> {
                throw new AssertionError(e);
            });
            f.append(newMessage(message(0, 100), Set.of()), new ByteArrayInputStream(message(0, 100)));
            assertThatThrownBy(() -> f.append(newMessage(message(1, 100), Set.of("$New", "Other")),
                    new ByteArrayInputStream(message(1, 100))))
                    .isInstanceOf(MessageRejectedException.class).hasMessageContaining("INBOX")
                    .hasMessageContaining("<m1@fake>").hasMessageContaining("TOOBIG");
            ArchivedMessage last = f.append(newMessage(message(2, 100), Set.of("$New")),
                    new ByteArrayInputStream(message(2, 100)));
            assertThat(last.flags()).containsExactly("$New");
        }
        assertThat(server.messages("INBOX")).containsExactly(message(0, 100), message(2, 100));
        assertThat(appendsWith("Other")).as("refused as too big: not sent again").hasSize(1);
        assertThat(server.flagsOf("INBOX", server.uids("INBOX").get(1))).containsExactly("$New");
    }

    @Test
    void overQuotaForAMessageWithANewKeywordFailsTheFolderWithoutRetrying() throws Exception {
        multiappend(true);
        server.refuseAppendsContaining("Subject: 3\r\n", "NO [OVERQUOTA] Quota exceeded (mailbox for user is full)");
        Map<NewMessage, BackupException> refused = new IdentityHashMap<>();
        TargetFolder f = open();
        f.onRejected(refused::put);
        for (int i = 0; i < 3; i++) {
            f.append(newMessage(message(i, 200), Set.of("$Known")), new ByteArrayInputStream(message(i, 200)));
        }
        assertThatThrownBy(() -> f.append(newMessage(message(3, 200), Set.of("$Known", "$New")),
                new ByteArrayInputStream(message(3, 200))))
                .isInstanceOf(BackupException.class).isNotInstanceOf(MessageRejectedException.class)
                .hasMessageContaining("INBOX").hasMessageContaining("OVERQUOTA");
        assertThatThrownBy(f::commit).isInstanceOf(BackupException.class);
        f.close();
        assertThat(refused).isEmpty();
        assertThat(appendsWith("$New")).as("not sent again without the keyword").hasSize(1);
        assertThat(server.messages("INBOX")).containsExactly(message(0, 200), message(1, 200), message(2, 200));
    }

    @Test
    void unpipelinedARefusedKeywordIsDroppedAndTheMessageStored() throws Exception {
        server.refuseKeyword(BAD);
        ArchivedMessage stored;
        try (TargetFolder f = open()) {
            stored = f.append(newMessage(message(0, 100), Set.of("\\Flagged", BAD)),
                    new ByteArrayInputStream(message(0, 100)));
        }
        assertThat(stored.flags()).containsExactly("\\Flagged");
        assertThat(stored.uid()).as("confirmed, APPENDUID").isPositive();
        assertThat(server.messages("INBOX")).containsExactly(message(0, 100));
    }
}
