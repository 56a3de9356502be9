package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.testing.imap.FakeImapServer;
import io.github.imapbackup.testing.imap.ImapTestClient;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fake server against plain Angus Mail and the raw test client: it speaks enough IMAP, and its hooks bite. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FakeImapServerTest {

    private static final byte[] MSG = ("From: Ann <ann@example.org>\r\nMessage-ID: <1@example.org>\r\n"
            + "Subject: hi\r\n\r\nFrom the body\r\n").getBytes(StandardCharsets.US_ASCII);

    private FakeImapServer server;
    private Store store;

    @BeforeEach
    void start() throws Exception {
        server = FakeImapServer.start("alice", "secret");
        server.append("INBOX", MSG, Set.of("\\Seen", "$Work"), Instant.parse("2021-03-04T05:06:07Z"));
        server.append("Archive/2019", MSG, Set.of(), Instant.parse("2019-01-01T00:00:00Z"));
    }

    @AfterEach
    void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        server.close();
    }

    private Store connect(int timeoutMillis) throws MessagingException {
        Properties p = new Properties();
        p.setProperty("mail.imap.connectiontimeout", String.valueOf(timeoutMillis));
        p.setProperty("mail.imap.timeout", String.valueOf(timeoutMillis));
        store = Session.getInstance(p).getStore("imap");
        store.connect(server.host(), server.port(), "alice", "secret");
        return store;
    }

    @Test
    void angusListsExaminesAndFetchesExactBytesReadOnly() throws Exception {
        Store s = connect(5000);
        assertThat(s.getDefaultFolder().list("*")).extracting(Folder::getFullName)
                .containsExactly("INBOX", "Archive/2019");
        IMAPFolder inbox = (IMAPFolder) s.getFolder("INBOX");
        assertThat(inbox.getSeparator()).isEqualTo('/');
        inbox.open(Folder.READ_ONLY);
        Message[] msgs = inbox.getMessagesByUID(1, UIDFolder.MAXUID);
        FetchProfile fp = new FetchProfile();
        fp.add(UIDFolder.FetchProfileItem.UID);
        fp.add(FetchProfile.Item.FLAGS);
        fp.add(FetchProfile.Item.ENVELOPE);
        fp.add(FetchProfile.Item.SIZE);
        inbox.fetch(msgs, fp);
        IMAPMessage m = (IMAPMessage) msgs[0];
        assertThat(m.getFlags().getUserFlags()).containsExactly("$Work");
        assertThat(m.getReceivedDate().toInstant()).isEqualTo(Instant.parse("2021-03-04T05:06:07Z"));
        assertThat(m.getMessageID()).isEqualTo("<1@example.org>");
        assertThat(m.getSize()).isEqualTo(MSG.length);
        m.setPeek(true);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (InputStream in = m.getMimeStream()) {
            in.transferTo(b);
        }
        assertThat(b.toByteArray()).isEqualTo(MSG);
        inbox.close(false);
        assertThat(server.commandNames()).contains("LOGIN", "LIST", "EXAMINE", "UID FETCH")
                .doesNotContain("SELECT", "STORE", "UID STORE", "APPEND", "EXPUNGE");
        assertThat(server.commands()).filteredOn(c -> c.contains("BODY")).allMatch(c -> c.contains("BODY.PEEK"));
        assertThat(server.commands()).noneMatch(c -> c.contains("secret"));
    }

    @Test
    void byeDuringFetchEndsTheConnection() throws Exception {
        server.cutBody("INBOX", 1, FakeImapServer.Cut.BYE, 1);
        try (ImapTestClient c = ImapTestClient.connect(server.host(), server.port())) {
            c.login("alice", "secret");
            assertThatThrownBy(() -> c.fetchBody("INBOX", 1)).isInstanceOf(java.io.IOException.class);
        }
        try (ImapTestClient c = ImapTestClient.connect(server.host(), server.port())) {
            c.login("alice", "secret");
            assertThat(c.fetchBody("INBOX", 1)).isEqualTo(MSG);
        }
    }

    @Test
    void cutMidLiteralBreaksAngusRead() throws Exception {
        server.cutBody("INBOX", 1, FakeImapServer.Cut.CLOSE_MID_LITERAL, 1);
        Store s = connect(5000);
        Folder inbox = s.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        IMAPMessage m = (IMAPMessage) ((UIDFolder) inbox).getMessageByUID(1);
        m.setPeek(true);
        assertThatThrownBy(() -> {
            try (InputStream in = m.getMimeStream()) {
                in.readAllBytes();
            }
        }).isInstanceOf(Exception.class);
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void renumberChangesUidValidityAndUids() throws Exception {
        long before = server.uidValidity("INBOX");
        server.append("INBOX", MSG, Set.of(), Instant.EPOCH);
        server.expunge("INBOX", 1);
        assertThat(server.renumber("INBOX")).isGreaterThan(before);
        try (ImapTestClient c = ImapTestClient.connect(server.host(), server.port())) {
            c.login("alice", "secret");
            assertThat(c.flags("INBOX")).containsOnlyKeys(1L);
            assertThat(c.command("STATUS INBOX (UIDVALIDITY UIDNEXT)").get(0).text())
                    .contains("UIDVALIDITY " + server.uidValidity("INBOX")).contains("UIDNEXT 2");
        }
    }

    @Test
    void stallMakesAngusTimeOut() throws Exception {
        server.stall("Archive/2019");
        Store s = connect(1000);
        Folder f = s.getFolder("Archive/2019");
        // A read timeout, not a refusal: the server took the EXAMINE and never answered it.
        assertThatThrownBy(() -> f.open(Folder.READ_ONLY)).isInstanceOf(MessagingException.class)
                .hasStackTraceContaining(SocketTimeoutException.class.getName());
        assertThat(server.commandNames()).contains("EXAMINE");
    }

    @Test
    void withoutCondstoreNoHighestModSeq() throws Exception {
        server.capabilities("IMAP4rev1", "LITERAL+");
        try (ImapTestClient c = ImapTestClient.connect(server.host(), server.port())) {
            c.login("alice", "secret");
            assertThat(c.capabilities()).doesNotContain("CONDSTORE", "UIDPLUS");
            assertThat(c.command("STATUS INBOX (MESSAGES HIGHESTMODSEQ)").get(0).text())
                    .doesNotContain("HIGHESTMODSEQ");
        }
    }

    @Test
    void changedSinceReturnsOnlyChangedFlags() throws Exception {
        long uid2 = server.append("INBOX", MSG, Set.of(), Instant.EPOCH);
        try (ImapTestClient c = ImapTestClient.connect(server.host(), server.port())) {
            c.login("alice", "secret");
            c.examine("INBOX");
            String modseq = c.command("STATUS INBOX (HIGHESTMODSEQ)").get(0).text().replaceAll("\\D+(\\d+)\\)$", "$1");
            server.flags("INBOX", uid2, Set.of("\\Flagged"));
            var r = c.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + modseq + ")");
            assertThat(r).hasSize(2);
            assertThat(r.get(0).text()).contains("UID " + uid2).contains("\\Flagged").contains("MODSEQ");
        }
    }
}
