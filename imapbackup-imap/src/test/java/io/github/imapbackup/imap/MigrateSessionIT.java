package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.imapbackup.AccountSizes;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderFilter;
import io.github.imapbackup.MigrateSession;
import jakarta.mail.Flags;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MigrateSession} from one GreenMail account (alice, host1) to another (bob, host2): host2
 * mirrors host1 with copies counted, Message-ID-less messages included; a rerun transfers nothing;
 * a dry run changes nothing on either side.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MigrateSessionIT {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    static final String BOB = "bob";
    static final Instant DATE = Instant.parse("2019-07-14T10:15:30Z");

    private GreenMailUser alice;
    private GreenMailUser bob;

    @BeforeEach
    void accounts() throws Exception {
        alice = Fixtures.user(greenMail);
        bob = greenMail.setUser("bob@example.org", BOB, Fixtures.PASSWORD);
        byte[] one = Fixtures.message("<one@example.org>", "carol@example.org", "one", "Hello\n");
        byte[] noId = Fixtures.message(null, "dave@example.org", "no id", "none\n");
        byte[] other = Fixtures.message(null, "erin@example.org", "no id either", "other\n");
        Fixtures.append(greenMail, alice, "INBOX", one, null, DATE);
        Fixtures.append(greenMail, alice, "INBOX", one, new Flags(Flags.Flag.FLAGGED), DATE); // held twice
        Fixtures.append(greenMail, alice, "INBOX", noId, null, DATE);
        Fixtures.append(greenMail, alice, "INBOX", noId, null, DATE); // held twice, no Message-ID
        Fixtures.append(greenMail, alice, "Work.Projects", other, null, DATE);
        Fixtures.append(greenMail, bob, "INBOX", one, null, DATE); // one copy already on host2
    }

    private MigrateSession session() {
        return MigrateSession.builder()
                .source(Fixtures.plain(greenMail).build())
                .target(ImapTarget.builder(Fixtures.plain(greenMail).user(BOB).build()).build())
                .build();
    }

    private MailFolder folder(GreenMailUser user, String name) {
        return greenMail.getManagers().getImapHostManager().getFolder(user, name);
    }

    @Test
    void host2MirrorsHost1WithCopiesCountedAndARerunTransfersNothing() throws Exception {
        BackupReport report = session().run();

        assertThat(report.command()).isEqualTo("migrate");
        assertThat(report.hasFailures()).isFalse();
        assertThat(report.totals().messagesOnSource()).isEqualTo(5);
        assertThat(report.totals().messagesCopied()).isEqualTo(4);
        assertThat(report.totals().messagesSkipped()).isEqualTo(1);
        assertThat(folder(bob, "INBOX").getMessageCount()).isEqualTo(4);
        assertThat(folder(bob, "Work.Projects").getMessageCount()).isEqualTo(1);
        assertThat(folder(alice, "INBOX").getMessages()).allSatisfy(m ->
                assertThat(m.getFlags().contains(Flags.Flag.SEEN)).as("host1 is only read").isFalse());

        BackupReport again = session().run();
        assertThat(again.totals().messagesCopied()).isZero();
        assertThat(again.totals().messagesSkipped()).isEqualTo(5);
        assertThat(folder(bob, "INBOX").getMessageCount()).isEqualTo(4);
    }

    @Test
    void justFoldersCreatesHost2sTreeWithoutMessagesAndSizesMeasureBothHosts() throws Exception {
        MigrateSession folders = session().toBuilder().justFolders(true).build();
        assertThat(folders.justFolders()).isTrue();
        assertThat(folders.toBuilder().build().justFolders()).isTrue();
        assertThat(folders.toBuilder().justFolders(false).build().source()).isInstanceOf(ImapSource.class);

        BackupReport report = folders.run();

        assertThat(report.totals().messagesCopied()).isZero();
        assertThat(folder(bob, "Work.Projects").getMessageCount()).isZero();
        assertThat(folder(bob, "INBOX").getMessageCount()).isEqualTo(1);
        AccountSizes host1 = AccountSizes.measure(Fixtures.plain(greenMail).build(), FolderFilter.all());
        assertThat(host1.messages()).isEqualTo(5);
        assertThat(host1.folders()).isGreaterThanOrEqualTo(2);
        assertThat(host1.biggest()).isPositive().isLessThanOrEqualTo(host1.bytes());
        AccountSizes inbox = AccountSizes.measure(Fixtures.plain(greenMail).build(), FolderFilter.all().include("INBOX"));
        assertThat(inbox.folders()).isEqualTo(1);
        assertThat(inbox.messages()).isEqualTo(4);
        assertThat(folder(alice, "INBOX").getMessages()).allSatisfy(m ->
                assertThat(m.getFlags().contains(Flags.Flag.SEEN)).isFalse());
    }

    @Test
    void aDryRunChangesNothingOnEitherSide() throws Exception {
        BackupReport plan = session().plan();

        assertThat(plan.dryRun()).isTrue();
        assertThat(plan.totals().messagesCopied()).isEqualTo(4);
        assertThat(folder(bob, "INBOX").getMessageCount()).isEqualTo(1);
        assertThat(folder(bob, "Work.Projects")).as("no folder created on host2").isNull();
        assertThat(folder(bob, "Work")).isNull();
        assertThat(folder(alice, "INBOX").getMessages()).allSatisfy(m ->
                assertThat(m.getFlags().contains(Flags.Flag.SEEN)).isFalse());
    }
}
