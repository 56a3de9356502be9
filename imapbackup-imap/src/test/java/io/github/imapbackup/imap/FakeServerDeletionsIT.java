package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import io.github.imapbackup.spi.TargetFolder;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A migration's deletions against the scripted fake server, for what Dovecot cannot show: a
 * server without UIDPLUS (messages only flagged, no EXPUNGE of any kind sent), and a source folder
 * whose UIDVALIDITY changed between reading and deleting (nothing deleted).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeServerDeletionsIT {

    private static final MessageIdExtractor EXTRACTOR = MessageIdExtractor.standard();
    private static final FolderInfo INBOX = new FolderInfo("INBOX", "/", Set.of(), true);
    private static final Instant DATE = Instant.parse("2021-03-04T05:06:07Z");

    private FakeImapServer server;

    @BeforeEach
    void start() throws Exception {
        server = FakeImapServer.start("alice", "secret");
        for (int i = 1; i <= 3; i++) {
            server.append("INBOX", FakeServerTargetIT.message(i, 100), i == 3 ? Set.of("\\Deleted") : Set.of(), DATE);
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private ImapSource account() {
        return ImapSource.builder().host(server.host()).port(server.port()).security(Security.NONE).user("alice")
                .password("secret"::toCharArray).timeout(Duration.ofSeconds(10)).build();
    }

    private List<ArchivedMessage> deleteFromTarget() throws Exception {
        try (TargetFolder f = ImapTarget.builder(account()).build().open(INBOX, EXTRACTOR)) {
            List<ArchivedMessage> two = f.messages().subList(0, 2);
            assertThat(f.delete(two)).isEqualTo(server.commandNames().contains("UID EXPUNGE") ? 2 : 0);
            return two;
        }
    }

    @Test
    void withUidplusTheTargetExpungesExactlyTheMessagesAskedForNotOneAUserFlaggedDeleted() throws Exception {
        deleteFromTarget();

        assertThat(server.uids("INBOX")).containsExactly(3L);
        assertThat(server.commands()).contains("UID STORE 1:2 +FLAGS.SILENT (\\Deleted)", "UID EXPUNGE 1:2");
        assertThat(server.commandNames()).doesNotContain("EXPUNGE", "CLOSE");
    }

    @Test
    void withoutUidplusTheTargetOnlyFlagsAndSendsNoExpunge() throws Exception {
        server.capabilities("IMAP4rev1", "LITERAL+", "CONDSTORE", "ENABLE", "ID", "NAMESPACE", "UNSELECT");

        deleteFromTarget();

        assertThat(server.uids("INBOX")).containsExactly(1L, 2L, 3L);
        assertThat(server.flagsOf("INBOX", 1)).contains("\\Deleted");
        assertThat(server.commandNames()).contains("UID STORE").doesNotContain("EXPUNGE", "UID EXPUNGE", "CLOSE");
    }

    @Test
    void theSourceDeletesOnAConnectionOfItsOwnAndKeepsItsFolderExamined() throws Exception {
        try (SourceConnection c = account().connect(); SourceFolder f = c.open(INBOX, EXTRACTOR)) {
            f.messages(1);
            assertThat(server.commandNames()).doesNotContain("SELECT", "UID STORE", "UID EXPUNGE");

            assertThat(f.delete(new long[] {1, 2})).isEqualTo(2);
        }

        assertThat(server.uids("INBOX")).containsExactly(3L);
        List<String> names = server.commandNames();
        int select = names.indexOf("SELECT");
        assertThat(names.subList(select, names.indexOf("LOGOUT") + 1)).as("the deleting connection: no CLOSE")
                .containsExactly("SELECT", "UID STORE", "UID EXPUNGE", "LOGOUT");
        assertThat(names.subList(0, select)).as("the reading connection: EXAMINE only")
                .contains("EXAMINE").doesNotContain("SELECT", "UID STORE", "EXPUNGE");
        assertThat(names).doesNotContain("EXPUNGE");
    }

    @Test
    void theSourceDeletesNothingWhenItsUidvalidityChangedSinceItWasRead() throws Exception {
        try (SourceConnection c = account().connect(); SourceFolder f = c.open(INBOX, EXTRACTOR)) {
            f.messages(1);
            server.renumber("INBOX");

            assertThatThrownBy(() -> f.delete(new long[] {1, 2})).isInstanceOf(FolderException.class)
                    .hasMessageContaining("UIDVALIDITY changed").hasMessageContaining("nothing deleted");
        }

        assertThat(server.uids("INBOX")).hasSize(3);
        assertThat(server.commandNames()).doesNotContain("UID STORE", "UID EXPUNGE", "EXPUNGE");
    }
}
