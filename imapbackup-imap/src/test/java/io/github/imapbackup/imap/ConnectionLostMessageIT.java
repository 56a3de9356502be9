package io.github.imapbackup.imap;

import static io.github.imapbackup.imap.Interop.PASSWORD;
import static io.github.imapbackup.imap.Interop.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.ReportError;
import io.github.imapbackup.testing.imap.FakeImapServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A connection the server cuts in the middle of a message is reported in words, not as Angus's synthetic BYE. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLostMessageIT {

    @TempDir
    Path dir;

    @Test
    void aCutConnectionIsSaidToBeClosedByTheServer() throws Exception {
        try (FakeImapServer server = FakeImapServer.start(USER, PASSWORD)) {
            long uid = server.append("INBOX", Interop.big("<cut@x>", 40_000), Set.of(), Instant.parse("2024-04-04T04:04:04Z"));
            server.cutBody("INBOX", uid, FakeImapServer.Cut.CLOSE_MID_LITERAL, 10);
            BackupReport r = BackupSession.builder().source(Interop.source(server, Duration.ofSeconds(10))
                    .fetchSize(4096).build()).target(Interop.store(dir)).reconnectAttempts(0).build().run();
            assertThat(r.hasFailures()).isTrue();
            assertThat(r.allErrors()).isNotEmpty();
            for (ReportError e : r.allErrors()) {
                assertThat(e.message()).as(e.toString()).contains("closed the connection")
                        .doesNotContain("Jakarta Mail Exception").doesNotContain("java.");
            }
        }
    }
}
