package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.TargetFolder;
import io.github.imapbackup.spi.TargetFolder.NewMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The IMAP target against GreenMail (delimiter {@code .}): folders, appends, listing, dry run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImapTargetIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    static final MessageIdExtractor EXTRACTOR = MessageIdExtractor.standard();
    static final Instant DATE = Instant.parse("2019-07-14T10:15:30Z");

    private ImapSource account;

    @BeforeEach
    void user() {
        Fixtures.user(greenMail);
        account = Fixtures.plain(greenMail).build();
    }

    static FolderInfo folder(String name, String delimiter) {
        return new FolderInfo(name, delimiter, Set.of(), true);
    }

    static NewMessage newMessage(byte[] bytes, Set<String> flags, Instant date) throws Exception {
        return new NewMessage(0, 0, EXTRACTOR.identify(new ByteArrayInputStream(bytes)), -1, date, flags, null);
    }

    private MailFolder greenMailFolder(String name) {
        return greenMail.getManagers().getImapHostManager()
                .getFolder(greenMail.getManagers().getUserManager().getUser(Fixtures.USER), name);
    }

    @Test
    void appendsAreListedWithIdentityFlagsDateAndCopiesCounted() throws Exception {
        ImapTarget target = ImapTarget.builder(account).build();
        byte[] one = Fixtures.message("<one@example.org>", "carol@example.org", "one", "Hello\n");
        byte[] noId = Fixtures.message(null, "dave@example.org", "no id", "none\n");
        List<ArchivedMessage> returned = new ArrayList<>();
        try (TargetFolder f = target.open(folder("INBOX", "/"), EXTRACTOR)) {
            assertThat(f.messages()).isEmpty();
            returned.add(f.append(newMessage(one, Set.of("\\Seen", "\\Flagged", "Work", "\\Recent"), DATE),
                    new ByteArrayInputStream(one)));
            returned.add(f.append(newMessage(one, Set.of(), DATE), new ByteArrayInputStream(one)));
            returned.add(f.append(newMessage(noId, Set.of("\\Answered"), DATE.plusSeconds(60)),
                    new ByteArrayInputStream(noId)));
            f.commit();
        }
        assertThat(returned.get(0).flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged", "Work");
        assertThat(returned.get(0).sha256()).isNull();
        assertThat(returned.get(0).length()).isEqualTo(one.length);
        assertThat(greenMailFolder("INBOX").getMessageCount()).isEqualTo(3);
        try (TargetFolder f = target.open(folder("INBOX", "/"), EXTRACTOR)) {
            List<ArchivedMessage> held = f.messages();
            assertThat(held).hasSize(3);
            MessageIdentity id = EXTRACTOR.identify(new ByteArrayInputStream(one));
            assertThat(held).filteredOn(m -> m.identity().equals(id)).hasSize(2);
            assertThat(held.get(0).flags()).contains("\\Seen", "\\Flagged", "Work").doesNotContain("\\Recent");
            assertThat(held.get(0).internalDate()).isEqualTo(DATE);
            assertThat(held.get(0).size()).isEqualTo(one.length);
            assertThat(held.get(2).identity()).isEqualTo(EXTRACTOR.identify(new ByteArrayInputStream(noId)));
            assertThat(held.get(2).identity().synthetic()).isTrue();
            assertThat(held.get(2).internalDate()).isEqualTo(DATE.plusSeconds(60));
            try (InputStream in = f.openMessage(held.get(0))) {
                assertThat(in.readAllBytes()).hasSize(one.length);
            }
        }
    }

    @Test
    void pipelinedAppendsAreAllThereAfterCommit() throws Exception {
        ImapTarget target = ImapTarget.builder(account).build();
        List<NewMessage> refused = new ArrayList<>();
        try (TargetFolder f = target.open(folder("Archive/2019", "/"), EXTRACTOR)) {
            f.onRejected((m, e) -> refused.add(m));
            for (int i = 0; i < 200; i++) {
                byte[] m = Fixtures.message("<p" + i + "@example.org>", "a@example.org", "p" + i, "body " + i + "\n");
                ArchivedMessage stored = f.append(newMessage(m, Set.of("\\Seen"), DATE), new ByteArrayInputStream(m));
                assertThat(stored.length()).isEqualTo(m.length);
            }
            f.commit();
            assertThat(f.messages()).hasSize(200);
        }
        assertThat(refused).isEmpty();
        assertThat(greenMailFolder("Archive.2019").getMessageCount()).isEqualTo(200);
        try (TargetFolder f = target.open(folder("Archive.2019", "."), EXTRACTOR)) {
            assertThat(f.messages()).hasSize(200);
        }
    }

    /** Appends {@code m} once to each folder (names with {@code /}), in this order. */
    private static void appendOneTo(ImapTarget target, byte[] m, String... names) throws Exception {
        for (String name : names) {
            try (TargetFolder f = target.open(folder(name, "/"), EXTRACTOR)) {
                f.append(newMessage(m, Set.of(), DATE), new ByteArrayInputStream(m));
            }
        }
    }

    @Test
    void aParentCreatedForItsChildFirstStillTakesMessagesOfItsOwn() throws Exception {
        ImapTarget target = ImapTarget.builder(account).build();
        appendOneTo(target, Fixtures.message("<parent@example.org>", "a@example.org", "p", "p\n"),
                "Work/Projects", "Work");
        assertThat(greenMailFolder("Work.Projects").getMessageCount()).isEqualTo(1);
        assertThat(greenMailFolder("Work").getMessageCount()).isEqualTo(1);
    }

    @Test
    void aPrefixPutsEverythingUnderOneFolderAndInboxStaysInbox() throws Exception {
        ImapTarget target = ImapTarget.builder(account).prefix("Restored").build();
        byte[] m = Fixtures.message("<x@example.org>", "a@example.org", "x", "x\n");
        appendOneTo(target, m, "inbox", "Entw\u00fcrfe/Alt");
        assertThat(greenMailFolder("Restored.INBOX").getMessageCount()).isEqualTo(1);
        assertThat(greenMailFolder("Restored.Entw\u00fcrfe.Alt").getMessageCount()).isEqualTo(1);
        assertThat(target.location(folder("Entw\u00fcrfe/Alt", "/"))).isEqualTo("Restored.Entw\u00fcrfe.Alt");
        ImapTarget plain = ImapTarget.builder(account).build();
        try (TargetFolder f = plain.open(folder("INBOX", "/"), EXTRACTOR)) {
            f.append(newMessage(m, Set.of(), DATE), new ByteArrayInputStream(m));
        }
        assertThat(greenMailFolder("INBOX").getMessageCount()).isEqualTo(1);
        assertThat(plain.location(folder("inbox", "/"))).isEqualTo("INBOX");
    }

    @Test
    void aNamePartHoldingTheTargetsDelimiterFailsThatFolderByName() throws Exception {
        ImapTarget target = ImapTarget.builder(account).build();
        assertThatThrownBy(() -> target.open(folder("Projects/v1.2", "/"), EXTRACTOR))
                .isInstanceOf(FolderException.class)
                .hasMessageContaining("Projects/v1.2").hasMessageContaining("\"v1.2\"")
                .hasMessageContaining("delimiter \".\"");
        assertThat(greenMailFolder("Projects")).isNull();
    }

    @Test
    void aDryRunCreatesNothingAndSeesAnAbsentFolderAsEmpty() throws Exception {
        ImapTarget target = ImapTarget.builder(account).build();
        try (TargetFolder f = target.inspect(folder("Nowhere/Deep", "/"), EXTRACTOR)) {
            assertThat(f.messages()).isEmpty();
            byte[] m = Fixtures.message("<y@example.org>", "a@example.org", "y", "y\n");
            assertThatThrownBy(() -> f.append(newMessage(m, Set.of(), DATE), new ByteArrayInputStream(m)))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(greenMailFolder("Nowhere")).isNull();
        assertThat(greenMailFolder("Nowhere.Deep")).isNull();
        byte[] m = Fixtures.message("<z@example.org>", "a@example.org", "z", "z\n");
        try (TargetFolder f = target.open(folder("Here", "/"), EXTRACTOR)) {
            f.append(newMessage(m, Set.of(), DATE), new ByteArrayInputStream(m));
        }
        try (TargetFolder f = target.inspect(folder("Here", "/"), EXTRACTOR)) {
            assertThat(f.messages()).hasSize(1);
        }
    }

    @Test
    void aStreamThatFailsSendsNothingAndTheFolderGoesOn() throws Exception {
        ImapTarget target = ImapTarget.builder(account).build();
        byte[] m = Fixtures.message("<ok@example.org>", "a@example.org", "ok", "ok\n");
        try (TargetFolder f = target.open(folder("INBOX", "/"), EXTRACTOR)) {
            InputStream failing = new InputStream() {
                private int left = 100;

                @Override
                public int read() throws java.io.IOException {
                    if (left-- > 0) {
                        return 'x';
                    }
                    throw new BackupException("archive unreadable at byte 100", null);
                }
            };
            assertThatThrownBy(() -> f.append(newMessage(m, Set.of(), DATE), failing))
                    .isInstanceOf(BackupException.class).hasMessageContaining("byte 100");
            f.append(newMessage(m, Set.of(), DATE), new ByteArrayInputStream(m));
        }
        assertThat(greenMailFolder("INBOX").getMessageCount()).isEqualTo(1);
    }

    @Test
    void foldersOpenFromSeveralThreadsAtOnceEachOnItsOwnConnection() throws Exception {
        ImapTarget target = ImapTarget.builder(account).build();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String name = "T" + t;
                done.add(pool.submit(() -> {
                    try (TargetFolder f = target.open(folder(name, "/"), EXTRACTOR)) {
                        f.onRejected((m, e) -> { });
                        for (int i = 0; i < 25; i++) {
                            byte[] m = Fixtures.message("<" + name + "-" + i + "@x>", "a@x", name, "b\n");
                            f.append(newMessage(m, Set.of(), DATE), new ByteArrayInputStream(m));
                        }
                        f.commit();
                        return f.messages().size();
                    }
                }));
            }
            for (java.util.concurrent.Future<Integer> f : done) {
                assertThat(f.get()).isEqualTo(25);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int t = 0; t < 8; t++) {
            assertThat(greenMailFolder("T" + t).getMessageCount()).isEqualTo(25);
        }
    }

    @Test
    void theListingDerivesIdentitiesThroughTheSessionsExtractorAsTheSourceDoes() throws Exception {
        MessageIdExtractor lowerCase = new MessageIdExtractor() {
            @Override
            public MessageIdentity identify(InputStream message) throws java.io.IOException {
                return EXTRACTOR.identify(message);
            }

            @Override
            public java.util.Optional<String> messageId(InputStream header) throws java.io.IOException {
                return EXTRACTOR.messageId(header).map(id -> id.toLowerCase(java.util.Locale.ROOT));
            }
        };
        byte[] m = Fixtures.message("<MiXeD@Example.ORG>", "a@example.org", "x", "x\n");
        ImapTarget target = ImapTarget.builder(account).build();
        try (TargetFolder f = target.open(folder("Ids", "/"), lowerCase)) {
            f.append(newMessage(m, Set.of(), DATE), new ByteArrayInputStream(m));
        }
        try (TargetFolder f = target.open(folder("Ids", "/"), lowerCase)) {
            assertThat(f.messages()).singleElement().extracting(ArchivedMessage::identity)
                    .isEqualTo(MessageIdentity.ofMessageId("<mixed@example.org>"));
        }
        try (io.github.imapbackup.spi.SourceConnection c = account.connect();
                io.github.imapbackup.spi.SourceFolder f = c.open(folder("Ids", "."), lowerCase)) {
            assertThat(f.messages(1)).singleElement().extracting(io.github.imapbackup.spi.MessageInfo::identity)
                    .isEqualTo(MessageIdentity.ofMessageId("<mixed@example.org>"));
        }
    }
}
