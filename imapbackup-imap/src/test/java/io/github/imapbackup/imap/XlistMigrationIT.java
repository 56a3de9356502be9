package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A source that tells its special-use folders through XLIST only (Gmail and older servers; the
 * scripted fake server, since neither GreenMail nor Dovecot speaks XLIST): the source reports the
 * attributes, and a migration puts the mail into host2's own special-use folder.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XlistMigrationIT {

    @RegisterExtension
    static final Dovecot HOST2 = Dovecot.builder().user(USER, PASSWORD)
            .namespaceConfig("mailbox Sent {", "  special_use = \\Sent", "  auto = create", "}",
                    "mailbox Junk {", "  special_use = \\Junk", "  auto = create", "}")
            .build();

    @Test
    void xlistAttributesMapGmailsFoldersToHost2s() throws Exception {
        List<String> caps = new ArrayList<>(FakeImapServer.DEFAULT_CAPABILITIES);
        caps.add("XLIST");
        try (FakeImapServer gmail = FakeImapServer.start(USER, PASSWORD)) {
            gmail.capabilities(caps.toArray(String[]::new))
                    .xlistAttribute("[Gmail]/Sent Mail", "\\Sent").xlistAttribute("[Gmail]/Spam", "\\Spam");
            Instant date = Instant.parse("2020-01-01T00:00:00Z");
            gmail.append("INBOX", Interop.ascii("Message-ID: <i@x>\r\n\r\ni\r\n"), Set.of(), date);
            gmail.append("[Gmail]/Sent Mail", Interop.ascii("Message-ID: <s@x>\r\n\r\ns\r\n"), Set.of(), date);
            gmail.append("[Gmail]/Spam", Interop.ascii("Message-ID: <j@x>\r\n\r\nj\r\n"), Set.of(), date);
            ImapSource source = Interop.source(gmail, Duration.ofSeconds(20)).build();
            try (SourceConnection c = source.connect()) {
                assertThat(c.folders()).filteredOn(f -> f.name().equals("[Gmail]/Sent Mail")).singleElement()
                        .extracting(FolderInfo::attributes).asInstanceOf(
                                org.assertj.core.api.InstanceOfAssertFactories.collection(String.class))
                        .contains("\\Sent");
            }
            BackupReport report = RestoreSession.builder().source(source)
                    .target(ImapTarget.builder(Restores.account(HOST2, USER)).build()).build().run();
            assertThat(report.allErrors()).isEmpty();
            assertThat(Restores.counts(HOST2, USER)).containsEntry("INBOX", 1L).containsEntry("Sent", 1L)
                    .containsEntry("Junk", 1L).doesNotContainKeys("[Gmail]/Sent Mail", "[Gmail]/Spam");
        }
    }
}
