package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.testing.MemorySource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the snippet of this package's Javadoc ({@code package-info.java}) compiling and working. */
@Timeout(60)
class SnippetTest {

    private static final Logger LOG = LoggerFactory.getLogger(SnippetTest.class);

    @TempDir
    Path dir;

    /** The snippet, with the backup directory as a parameter. */
    static VerifyReport snippet(Path backup, MessageSource source) throws BackupException {
        MboxStore store = MboxStore.builder(backup).codec("gzip").build();
        BackupReport report = BackupSession.builder().source(source).target(store).build().run();
        VerifyReport check;
        try (BackupArchive archive = store.read()) {
            check = archive.verify();
        }
        LOG.info("{} messages copied; {} problems found", report.totals().messagesCopied(),
                check.problems().size());
        return check;
    }

    @Test
    void theSnippetBacksUpAndVerifies() throws Exception {
        MemorySource source = new MemorySource();
        source.folder("INBOX").add("Message-ID: <a@example.org>\r\nSubject: a\r\n\r\nHello.\r\n");
        VerifyReport check = snippet(dir, source);
        assertThat(check.ok()).isTrue();
        assertThat(check.messages()).isEqualTo(1);
        assertThat(dir.resolve("INBOX.mbox.gz")).isRegularFile();
    }
}
