package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import jakarta.mail.Flags;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImapSourceIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    private static final Instant DATE1 = Instant.parse("2019-07-14T10:15:30Z");
    private static final Instant DATE2 = Instant.parse("2024-02-29T23:59:59Z");

    private GreenMailUser user;
    private final List<byte[]> inbox = new ArrayList<>();
    private final List<Long> inboxUids = new ArrayList<>();

    @BeforeEach
    void fill() throws Exception {
        user = Fixtures.user(greenMail);
        byte[] m1 = Fixtures.message("<one@example.org>", "Carol <carol@example.org>", "first",
                "Hello\nFrom here on\n");
        byte[] m2 = Fixtures.message(null, "dave@example.net", "no id", "No Message-ID\n");
        byte[] m3 = Fixtures.message("  <three@example.org> (comment)", null, "no from", "x\n");
        Flags f1 = new Flags(Flags.Flag.SEEN);
        f1.add(Flags.Flag.FLAGGED);
        f1.add("$Important");
        f1.add("Work");
        Flags f2 = new Flags(Flags.Flag.ANSWERED);
        f2.add(Flags.Flag.DRAFT);
        inbox.addAll(List.of(m1, m2, m3));
        inboxUids.add(Fixtures.append(greenMail, user, "INBOX", m1, f1, DATE1));
        inboxUids.add(Fixtures.append(greenMail, user, "INBOX", m2, f2, DATE2));
        inboxUids.add(Fixtures.append(greenMail, user, "INBOX", m3, null, DATE2));
        Fixtures.append(greenMail, user, "Archive", Fixtures.message("<a@x>", "a@x", "a", "a\n"),
                null, DATE1);
        Fixtures.append(greenMail, user, "Archive.2019", Fixtures.message("<b@x>", "b@x", "b",
                "b\n"), null, DATE1);
        Fixtures.append(greenMail, user, "Archive.2019.Q3", Fixtures.message("<c@x>", "c@x", "c",
                "c\n"), null, DATE1);
        // GreenMail stores decoded names and encodes them in modified UTF-7 on the wire
        Fixtures.append(greenMail, user, "Entwürfe", Fixtures.message("<d@x>", "d@x", "d",
                "d\n"), null, DATE1);
        Fixtures.append(greenMail, user, "Entwürfe.Grüße", Fixtures.message("<e@x>",
                "e@x", "e", "e\n"), null, DATE1);
    }

    private static FolderInfo find(List<FolderInfo> folders, String name) {
        return folders.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError(name + " not in " + folders));
    }

    @Test
    void listsNestedAndNonAsciiFoldersWithTheServersDelimiter() throws Exception {
        greenMail.getManagers().getImapHostManager().subscribe(user, "Archive.2019");
        greenMail.getManagers().getImapHostManager().subscribe(user, "Entwürfe.Grüße");
        try (SourceConnection c = Fixtures.plain(greenMail).build().connect()) {
            List<FolderInfo> folders = c.folders();
            assertThat(folders).extracting(FolderInfo::name).contains("INBOX", "Archive",
                    "Archive.2019", "Archive.2019.Q3", "Entwürfe", "Entwürfe.Grüße");
            assertThat(folders).allSatisfy(f -> assertThat(f.delimiter()).isEqualTo("."));
            assertThat(find(folders, "Archive.2019.Q3").selectable()).isTrue();
            assertThat(folders).filteredOn(FolderInfo::subscribed).extracting(FolderInfo::name)
                    .containsExactlyInAnyOrder("Archive.2019", "Entwürfe.Grüße");
        }
    }

    @Test
    void statusReportsCountsWithoutOpening() throws Exception {
        try (SourceConnection c = Fixtures.plain(greenMail).build().connect()) {
            FolderInfo inboxInfo = find(c.folders(), "INBOX");
            FolderStatus s = c.status(inboxInfo);
            assertThat(s.messages()).isEqualTo(3);
            assertThat(s.uidValidity()).isPositive();
            assertThat(s.uidNext()).isGreaterThan(inboxUids.get(2));
            assertThat(s.highestModSeq()).isZero(); // GreenMail has no CONDSTORE
            assertThat(c.hasCapability("CONDSTORE")).isFalse();
            assertThat(c.hasCapability("imap4rev1")).isTrue();
            FolderStatus nonAscii = c.status(find(c.folders(), "Entwürfe.Grüße"));
            assertThat(nonAscii.messages()).isEqualTo(1);
            try (SourceFolder f = c.open(inboxInfo)) {
                assertThat(f.status()).isEqualTo(s);
                assertThat(f.folder()).isEqualTo(inboxInfo);
            }
        }
    }

    @Test
    void statusOfAMissingFolderIsAFolderFailure() throws Exception {
        try (SourceConnection c = Fixtures.plain(greenMail).build().connect()) {
            assertThatThrownBy(() -> c.status(new FolderInfo("Nope", ".", Set.of(), false)))
                    .isInstanceOf(FolderException.class)
                    .hasMessageContaining("Nope");
        }
    }

    @Test
    void metadataHasSizesDatesFlagsKeywordsIdentityAndSender() throws Exception {
        try (SourceConnection c = Fixtures.plain(greenMail).build().connect();
                SourceFolder f = c.open(find(c.folders(), "INBOX"))) {
            assertThat(f.status().messages()).isEqualTo(3);
            List<MessageInfo> all = f.messages(1);
            assertThat(all).extracting(MessageInfo::uid).containsExactlyElementsOf(inboxUids);
            MessageInfo a = all.get(0);
            MessageInfo b = all.get(1);
            MessageInfo d = all.get(2);
            assertThat(a.size()).isEqualTo(inbox.get(0).length);
            assertThat(b.size()).isEqualTo(inbox.get(1).length);
            assertThat(a.internalDate()).isEqualTo(DATE1);
            assertThat(b.internalDate()).isEqualTo(DATE2);
            assertThat(a.flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged", "$Important",
                    "Work");
            assertThat(b.flags()).containsExactlyInAnyOrder("\\Answered", "\\Draft");
            assertThat(d.flags()).isEmpty();
            assertThat(a.identity()).isEqualTo(MessageIdentity.ofMessageId("<one@example.org>"));
            assertThat(d.identity()).isEqualTo(MessageIdentity.ofMessageId("<three@example.org>"));
            MessageIdentity synthetic = MessageIdExtractor.standard().identify(
                    new ByteArrayInputStream(inbox.get(1)));
            assertThat(b.identity().synthetic()).isTrue();
            assertThat(b.identity()).isEqualTo(synthetic);
            assertThat(a.sender()).isEqualTo("carol@example.org");
            assertThat(b.sender()).isEqualTo("dave@example.net");
            assertThat(d.sender()).isNull();
            assertThat(all).allSatisfy(m -> assertThat(m.modSeq()).isZero());
        }
    }

    @Test
    void smallBatchesGiveTheSameMetadata() throws Exception {
        List<MessageInfo> big;
        List<MessageInfo> small;
        try (SourceConnection c = Fixtures.plain(greenMail).build().connect();
                SourceFolder f = c.open(find(c.folders(), "INBOX"))) {
            big = f.messages(1);
        }
        try (SourceConnection c = Fixtures.plain(greenMail).metadataBatch(1).build().connect();
                SourceFolder f = c.open(find(c.folders(), "INBOX"))) {
            small = f.messages(1);
        }
        assertThat(small).isEqualTo(big).hasSize(3);
    }

    @Test
    void fromUidFiltersAndBeyondTheLastUidGivesNothing() throws Exception {
        try (SourceConnection c = Fixtures.plain(greenMail).build().connect();
                SourceFolder f = c.open(find(c.folders(), "INBOX"))) {
            long second = inboxUids.get(1);
            long last = inboxUids.get(2);
            assertThat(f.messages(second)).extracting(MessageInfo::uid)
                    .containsExactly(second, last);
            assertThat(f.messages(last)).extracting(MessageInfo::uid).containsExactly(last);
            // RFC 3501: "n:*" with n above the highest UID still matches the last message
            assertThat(f.messages(last + 1)).isEmpty();
            assertThat(f.messages(last + 1000)).isEmpty();
            assertThat(f.messages(0x1_0000_0000L)).isEmpty();
            assertThat(f.uids()).containsExactly(inboxUids.stream().mapToLong(Long::longValue)
                    .toArray());
        }
    }

    @Test
    void openMessageStreamsTheExactBytes() throws Exception {
        // tiny chunks so that every message spans several partial fetches
        try (SourceConnection c = Fixtures.plain(greenMail).fetchSize(4096).build().connect();
                SourceFolder f = c.open(find(c.folders(), "INBOX"))) {
            for (int i = 0; i < inbox.size(); i++) {
                try (InputStream in = f.openMessage(inboxUids.get(i))) {
                    assertThat(in.readAllBytes()).isEqualTo(inbox.get(i));
                }
            }
        }
    }

    @Test
    void messagesLargerThanOneChunkAreStreamedExactly() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; body.length() < 50_000; i++) {
            body.append("line ").append(i).append(" of a long message\n");
        }
        byte[] raw = Fixtures.message("<long@example.org>", "x@y", "long", body.toString());
        long uid = Fixtures.append(greenMail, user, "Long", raw, null, DATE1);
        try (SourceConnection c = Fixtures.plain(greenMail).fetchSize(4096).build().connect();
                SourceFolder f = c.open(find(c.folders(), "Long"));
                InputStream in = f.openMessage(uid)) {
            byte[] got = new byte[raw.length + 10];
            int n = 0;
            int r;
            while ((r = in.read(got, n, Math.min(777, got.length - n))) > 0) {
                n += r;
            }
            assertThat(n).isEqualTo(raw.length);
            assertThat(java.util.Arrays.copyOf(got, n)).isEqualTo(raw);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void readingEverythingChangesNoFlag() throws Exception {
        ImapSource source = Fixtures.plain(greenMail).build();
        Map<Long, Set<String>> before;
        try (SourceConnection c = source.connect(); SourceFolder f = c.open(find(c.folders(), "INBOX"))) {
            before = f.flags(0);
        }
        try (SourceConnection c = source.connect(); SourceFolder f = c.open(find(c.folders(), "INBOX"))) {
            f.messages(1);
            for (long uid : f.uids()) {
                try (InputStream in = f.openMessage(uid)) {
                    in.readAllBytes();
                }
            }
        }
        try (SourceConnection c = source.connect(); SourceFolder f = c.open(find(c.folders(), "INBOX"))) {
            Map<Long, Set<String>> after = f.flags(0);
            assertThat(after).isEqualTo(before).hasSize(3);
            assertThat(after.get(inboxUids.get(2))).doesNotContain("\\Seen");
            assertThat(after.get(inboxUids.get(0))).contains("\\Seen", "$Important");
        }
    }

    @Test
    void emptyFolderHasNoMessagesUidsOrFlags() throws Exception {
        greenMail.getManagers().getImapHostManager().createMailbox(user, "Empty");
        try (SourceConnection c = Fixtures.plain(greenMail).build().connect();
                SourceFolder f = c.open(find(c.folders(), "Empty"))) {
            assertThat(f.status().messages()).isZero();
            assertThat(f.messages(1)).isEmpty();
            assertThat(f.uids()).isEmpty();
            assertThat(f.flags(0)).isEmpty();
        }
    }

    @Test
    void aMessageExpungedMeanwhileIsAFolderFailureNamingItsUid() throws Exception {
        try (SourceConnection c = Fixtures.plain(greenMail).build().connect();
                SourceFolder f = c.open(find(c.folders(), "INBOX"))) {
            long uid = inboxUids.get(1);
            var inboxFolder = greenMail.getManagers().getImapHostManager().getInbox(user);
            inboxFolder.setFlags(new Flags(Flags.Flag.DELETED), true, uid, null, false);
            inboxFolder.expunge();
            assertThatThrownBy(() -> f.openMessage(uid))
                    .isInstanceOfSatisfying(FolderException.class, e -> {
                        assertThat(e.uid()).hasValue(uid);
                        assertThat(e.folder()).hasValue("INBOX");
                    });
            assertThat(f.messages(1)).extracting(MessageInfo::uid)
                    .containsExactly(inboxUids.get(0), inboxUids.get(2));
            // asked anew, the server says which of them are gone
            assertThat(f.expungedOf(new long[] {inboxUids.get(0), uid, inboxUids.get(2), 999_999}))
                    .hasValueSatisfying(gone -> assertThat(gone).containsExactly(uid, 999_999));
        }
    }

    @Test
    void aConnectionDroppedWhileStreamingIsAConnectionException() throws Exception {
        byte[] raw = LargeMessageIT.bigMessage(64 * 1024);
        long uid = Fixtures.append(greenMail, user, "Big", raw, null, DATE1);
        SourceConnection c = Fixtures.plain(greenMail).fetchSize(4096).build().connect();
        SourceFolder f = c.open(find(c.folders(), "Big"));
        InputStream in = f.openMessage(uid);
        assertThat(in.readNBytes(4096)).isEqualTo(java.util.Arrays.copyOf(raw, 4096));
        greenMail.stop();
        assertThatThrownBy(in::readAllBytes).isInstanceOf(ConnectionException.class)
                .hasMessageContaining("Big");
        in.close();
        f.close();
        c.close();
    }

    @Test
    void aDroppedConnectionIsAConnectionException() throws Exception {
        SourceConnection c = Fixtures.plain(greenMail).build().connect();
        SourceFolder f = c.open(find(c.folders(), "INBOX"));
        greenMail.stop();
        assertThatThrownBy(() -> f.messages(1)).isInstanceOf(ConnectionException.class)
                .isNotInstanceOf(io.github.imapbackup.AuthenticationException.class)
                .hasMessageContaining("localhost:");
        f.close();
        f.close();
        c.close();
        c.close();
    }
}
