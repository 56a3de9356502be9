package io.github.imapbackup;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.MemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the snippet of the package overview ({@code package-info.java}) compiling and working. */
@Timeout(10)
class PackageSnippetTest {

    private static final Logger log = LoggerFactory.getLogger(PackageSnippetTest.class);

    static int snippet(MessageSource account, MailboxStore backup) {
        BackupSession session = BackupSession.builder()
                .source(account)                      // e.g. ImapSource.builder()...build()
                .target(backup)                        // e.g. MboxStore.builder(Path.of("backup")).build()
                .listener(new BackupListener() {
                    @Override
                    public void folderFinished(RunInfo run, FolderInfo folder, FolderReport report) {
                        log.info("{}: {} new", folder.name(), report.counters().messagesCopied());
                    }
                })
                .build();
        try {
            BackupReport report = session.run();
            report.allErrors().forEach(e -> log.warn("{}", e.message()));
            return report.hasFailures() ? 1 : 0;
        } catch (BackupException e) {                 // the run stopped: cancelled, unreachable, fail-fast
            e.report().ifPresent(r -> log.warn("{} after {} messages", r.outcome(), r.totals().messagesCopied()));
            return 2;
        }
    }

    @Test
    void theOverviewSnippetRuns() {
        MemorySource account = new MemorySource();
        account.folder("INBOX").add("Message-ID: <a@example.org>\r\n\r\nhello\r\n");
        MemoryStore backup = new MemoryStore();

        assertThat(snippet(account, backup)).isZero();
        assertThat(backup.messages("INBOX")).hasSize(1);

        account.failConnect(new ConnectionException("unreachable", null), 1);
        assertThat(snippet(account, backup)).isEqualTo(2);
    }
}
