package io.github.imapbackup.imap.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.imap.ImapTarget;
import io.github.imapbackup.imap.Security;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the state cache saves (a measurement, not a test; run with
 * {@code -Dit.test=CacheRerunBenchmarkIT -Dimapbackup.bench=true}): 2,000 messages in 20 folders
 * migrated between two Dovecot accounts, then a rerun without and with the cache; prints wall time
 * and the IMAP commands each host received (Dovecot's raw log).
 */
@EnabledIfSystemProperty(named = "imapbackup.bench", matches = "true")
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class CacheRerunBenchmarkIT {

    private static final String HOST1 = "bench-host1";
    private static final String HOST2 = "bench-host2";

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().separator('/').rawlog(true).user(HOST1, "One-s3cret")
            .user(HOST2, "Two-s3cret").build();

    @TempDir
    Path dir;

    private static ImapSource account(String user) {
        return ImapSource.builder().host(DOVECOT.host()).port(DOVECOT.port()).security(Security.NONE).user(user)
                .password(() -> DOVECOT.password(user).toCharArray()).build();
    }

    private static BackupReport migrate(Path cache) throws Exception {
        BackupReport r = MigrateSession.builder().source(account(HOST1)).target(ImapTarget.builder(account(HOST2))
                .build()).stateCache(cache).build().run();
        assertThat(r.hasFailures()).as(r.allErrors().toString()).isFalse();
        return r;
    }

    private static void measure(String what, Path cache) throws Exception {
        DOVECOT.clearClientCommands(HOST1);
        DOVECOT.clearClientCommands(HOST2);
        long start = System.nanoTime();
        BackupReport r = migrate(cache);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("%-26s %6d ms  host1 %4d commands  host2 %4d commands  copied %d, from cache %d folders%n",
                what, millis, DOVECOT.clientCommands(HOST1).size(), DOVECOT.clientCommands(HOST2).size(),
                r.totals().messagesCopied(), r.totals().foldersFromCache());
    }

    @Test
    void rerunOf2000MessagesIn20Folders() throws Exception {
        try (ImapTestClient c = DOVECOT.login(HOST1)) {
            for (int f = 0; f < 20; f++) {
                String folder = f == 0 ? "INBOX" : "Folder" + f;
                c.createFolder(folder);
                List<ImapTestClient.Message> batch = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    String id = folder + "-" + i;
                    batch.add(new ImapTestClient.Message(("Message-ID: <" + id + "@example.org>\r\nSubject: " + id
                            + "\r\n\r\n" + "body line of " + id + "\r\n".repeat(20)).getBytes(StandardCharsets.US_ASCII),
                            Set.of(), Instant.parse("2022-01-01T00:00:00Z").plusSeconds(i)));
                }
                c.appendAll(folder, batch);
            }
        }
        Path cache = dir.resolve("bench.cache");
        measure("first run (writes cache)", cache);
        for (int i = 0; i < 3; i++) {
            measure("rerun without the cache", null);
            measure("rerun with the cache", cache);
        }
    }
}
