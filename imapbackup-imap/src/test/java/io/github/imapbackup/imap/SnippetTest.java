package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the Javadoc snippet of {@link ImapSource} compiling. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SnippetTest {

    private static final Logger LOG = LoggerFactory.getLogger(SnippetTest.class);

    private static char[] readPassword() {
        return "secret".toCharArray();
    }

    static MessageSource snippetSource() {
        char[] secret = readPassword();
        MessageSource source = ImapSource.builder()
                .host("imap.example.org")
                .security(Security.TLS)                 // port 993 unless port(...) says otherwise
                .user("alice")
                .password(() -> secret.clone())         // called once per connection; cleared after login
                .timeout(Duration.ofSeconds(60))
                .build();                               // validates, no I/O
        return source;
    }

    static io.github.imapbackup.spi.MessageTarget snippetTarget(char[] secret) {
        ImapSource account = ImapSource.builder()
                .host("imap.example.org").user("alice").password(() -> secret.clone())
                .build();
        io.github.imapbackup.spi.MessageTarget target = ImapTarget.builder(account)
                .prefix("Restored")        // everything under one folder: Restored/INBOX, Restored/Archive, ...
                .build();                  // no I/O
        return target;
    }

    static void snippetUse(MessageSource source) throws BackupException {
        try (SourceConnection connection = source.connect()) {
            for (FolderInfo folder : connection.folders()) {
                LOG.info("{} {}", folder.name(), connection.status(folder).messages());
            }
        }
    }

    /** The snippet of {@link io.github.imapbackup.MigrateSession}, built but not run. */
    static io.github.imapbackup.MigrateSession snippetMigrate(char[] secret1, char[] secret2) {
        ImapSource host1 = ImapSource.builder().host("imap.a.example").user("alice")
                .password(() -> secret1.clone()).build();
        ImapSource host2 = ImapSource.builder().host("imap.b.example").user("alice")
                .password(() -> secret2.clone()).build();
        return io.github.imapbackup.MigrateSession.builder()
                .source(host1)                       // only read: EXAMINE, BODY.PEEK
                .target(ImapTarget.builder(host2).build())
                .exclude("Trash|Junk")
                .build();                            // validates, no I/O
    }

    @Test
    void theMigrateSnippetBuildsWithoutIo() {
        io.github.imapbackup.MigrateSession s = snippetMigrate("a".toCharArray(), "b".toCharArray());
        assertThat(s.source().describe()).isEqualTo("imaps://alice@imap.a.example:993");
        assertThat(s.target().describe()).isEqualTo("imaps://alice@imap.b.example:993");
        assertThat(s.connections()).isEqualTo(io.github.imapbackup.MigrateSession.DEFAULT_CONNECTIONS);
    }

    @Test
    void theSnippetBuildsASourceWithoutIo() {
        assertThat(snippetSource().describe()).isEqualTo("imaps://alice@imap.example.org:993");
    }

    @Test
    void theTargetSnippetBuildsWithoutIoAndShowsNoSecret() {
        io.github.imapbackup.spi.MessageTarget target = snippetTarget("hunter2".toCharArray());
        assertThat(target.describe()).isEqualTo("imaps://alice@imap.example.org:993");
        assertThat(target.toString()).contains("prefix Restored").doesNotContain("hunter2");
        assertThat(target.location(new FolderInfo("INBOX", "/", java.util.Set.of(), true))).isEqualTo("Restored/INBOX");
    }
}
