package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration's state cache between two Dovecot accounts: a rerun on unchanged folders sends host1
 * one LIST with every folder's status (LIST-STATUS) and no EXAMINE (its raw log) and host2 no SELECT; a new message on host1,
 * a flag changed there (HIGHESTMODSEQ), a message deleted from host2 by hand each make that folder
 * listed again and copied exactly; a damaged cache file is a full pass without failure.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DovecotStateCacheIT {

    private static final String HOST1 = "cache-host1";
    private static final String HOST2 = "cache-host2";

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().separator('/').rawlog(true).user(HOST1, "One-s3cret")
            .user(HOST2, "Two-s3cret").build();

    private static final Instant DATE = Instant.parse("2021-03-04T05:06:07Z");

    @TempDir
    Path dir;

    private static void put(String user, String folder, String... ids) throws Exception {
        for (String id : ids) {
            DOVECOT.append(user, folder, ("Message-ID: <" + id + "@example.org>\r\nSubject: " + id
                    + "\r\n\r\nbody of " + id + "\r\n").getBytes(StandardCharsets.US_ASCII), Set.of(), DATE);
        }
    }

    private static BackupReport migrate(Path cache) throws BackupException {
        BackupReport r = MigrateSession.builder().source(Restores.account(DOVECOT, HOST1))
                .target(ImapTarget.builder(Restores.account(DOVECOT, HOST2)).build()).stateCache(cache).build().run();
        assertThat(r.hasFailures()).as(r.allErrors().toString()).isFalse();
        return r;
    }

    private static List<String> sent(String user) throws Exception {
        return DOVECOT.clientCommands(user).stream().map(c -> c.toUpperCase(Locale.ROOT)).toList();
    }

    private static void clear() throws Exception {
        DOVECOT.clearClientCommands(HOST1);
        DOVECOT.clearClientCommands(HOST2);
    }

    @Test
    void aRerunSendsStatusOnlyAndEveryChangeOnEitherSideIsCopied() throws Exception {
        Path cache = dir.resolve("migrate.cache");
        put(HOST1, "INBOX", "a", "b", "a");
        put(HOST1, "Archive/2019", "c", "d");
        put(HOST1, "Sent", "e");
        assertThat(migrate(cache).totals().messagesCopied()).isEqualTo(6);
        assertThat(Files.readString(cache)).contains("cache-host1@", "cache-host2@").doesNotContain("s3cret");
        clear();

        BackupReport again = migrate(cache);

        assertThat(again.totals().foldersFromCache()).isEqualTo(3);
        assertThat(again.totals().messagesOnSource()).isEqualTo(6);
        assertThat(again.totals().messagesSkipped()).isEqualTo(6);
        assertThat(again.totals().messagesCopied()).isZero();
        // host1's statuses come with its LIST (LIST-STATUS); host2's target asks STATUS
        assertThat(sent(HOST1)).noneMatch(c -> c.startsWith("STATUS"))
                .anyMatch(c -> c.startsWith("LIST \"\" \"*\" RETURN (") && c.contains(" STATUS ("));
        assertThat(sent(HOST1)).noneMatch(c -> c.matches("^(UID )?(SELECT|EXAMINE|FETCH|SEARCH)\\b.*"));
        assertThat(sent(HOST2)).filteredOn(c -> c.startsWith("STATUS")).hasSize(3);
        assertThat(sent(HOST2)).noneMatch(c -> c.matches("^(UID )?(SELECT|EXAMINE|FETCH|APPEND)\\b.*"));

        put(HOST1, "Archive/2019", "new");
        clear();
        BackupReport newOnHost1 = migrate(cache);
        assertThat(newOnHost1.totals().messagesCopied()).isEqualTo(1);
        assertThat(newOnHost1.totals().foldersFromCache()).isEqualTo(2);
        assertThat(sent(HOST1)).filteredOn(c -> c.startsWith("EXAMINE")).hasSize(1)
                .allMatch(c -> c.contains("ARCHIVE/2019"));
        assertThat(Restores.counts(DOVECOT, HOST2)).containsEntry("Archive/2019", 3L);

        Restores.expunge(DOVECOT, HOST2, "INBOX", 2);
        assertThat(Restores.counts(DOVECOT, HOST2)).containsEntry("INBOX", 2L);
        BackupReport deletedOnHost2 = migrate(cache);
        assertThat(deletedOnHost2.totals().messagesCopied()).as("copied back").isEqualTo(1);
        assertThat(Restores.counts(DOVECOT, HOST2)).containsEntry("INBOX", 3L);

        try (ImapTestClient c = DOVECOT.login(HOST1)) {
            c.store("Sent", 1, "+FLAGS", Set.of("\\Flagged"));
        }
        clear();
        BackupReport flagged = migrate(cache);
        assertThat(flagged.totals().foldersFromCache()).as("HIGHESTMODSEQ changed: Sent listed").isEqualTo(2);
        assertThat(flagged.totals().messagesCopied()).isZero();
        assertThat(migrate(cache).totals().foldersFromCache()).isEqualTo(3);
    }

    @Test
    void aDamagedCacheFileIsAFullPass() throws Exception {
        Path cache = dir.resolve("damaged.cache");
        put(HOST1, "Drafts", "x");
        migrate(cache);
        Files.writeString(cache, "\u0000\u0001 garbage \\uZZZZ\n");
        clear();

        BackupReport r = migrate(cache);

        assertThat(r.totals().foldersFromCache()).isZero();
        assertThat(r.totals().messagesCopied()).isZero();
        assertThat(sent(HOST1)).anyMatch(c -> c.startsWith("EXAMINE"));
        assertThat(migrate(cache).totals().foldersFromCache()).as("written anew").isPositive();
    }
}
