package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.mbox.BackupLock;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.transfer.MboxImporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounts of a run are independent: one whose credentials cannot be read, one whose directory
 * is in use, and one whose directory cannot be created fail with their own status while the others
 * complete; the connection limits hold. The source of each account is another backup directory,
 * read-only (real files, no server).
 */
@Timeout(120)
class FleetRunTest {

    @TempDir
    Path tmp;

    private MboxStore source(String name, int messages) throws Exception {
        StringBuilder mbox = new StringBuilder();
        for (int i = 0; i < messages; i++) {
            mbox.append("From a@example.org Sat Nov 21 23:39:50 2026\n")
                    .append("Message-ID: <").append(name).append('-').append(i).append("@example.org>\n")
                    .append("Subject: ").append(i).append("\n\nbody ").append(i).append("\n\n");
        }
        Path file = tmp.resolve(name + "-INBOX.mbox");
        Files.writeString(file, mbox, StandardCharsets.ISO_8859_1);
        MboxStore server = MboxStore.builder(tmp.resolve("servers").resolve(name)).build();
        MboxImporter.builder(server).build().importFiles(List.of(file), "INBOX");
        return server;
    }

    private AccountJob job(String name, String host, int connections, MboxStore from) {
        Path dir = tmp.resolve("dest").resolve(MboxStore.fileName(name));
        return new AccountJob(name, host, connections, MboxStore.builder(dir).build(),
                (store, listener) -> BackupSession.builder().source(from.asSource()).target(store)
                        .connections(connections).listener(listener).build());
    }

    @Test
    void oneAccountFailingNeverTouchesTheOthers() throws Exception {
        MboxStore a = source("alice", 5);
        MboxStore c = source("carol", 3);
        List<AccountJob> jobs = new ArrayList<>();
        jobs.add(job("alice@example.org", "imap.example.org", 2, a));
        jobs.add(new AccountJob("bob@example.org", "imap.example.org", 2,
                MboxStore.builder(tmp.resolve("dest/bob@example.org")).build(), (store, listener) -> {
                    throw new BackupException("password file /etc/bob.pw: no such file", null);
                }));
        jobs.add(job("carol@example.org", "imap.example.net", 1, c));
        jobs.add(job("dave@example.org", "imap.example.net", 1, c));
        jobs.add(job("erin/../..@example.org", "imap.example.net", 1, c));
        Files.createDirectories(tmp.resolve("dest"));
        Files.writeString(tmp.resolve("dest/frank@example.org"), "a file where the directory should be");
        jobs.add(job("frank@example.org", "imap.example.net", 1, c));
        List<String> events = new CopyOnWriteArrayList<>();
        AccountsListener listener = new AccountsListener() {
            @Override
            public void accountStarted(String name, Path directory) {
                events.add("started " + name);
            }

            @Override
            public void accountFinished(AccountResult result) {
                events.add("finished " + result.name() + " " + result.exitStatus());
                throw new IllegalStateException("a listener that throws stops nothing");
            }
        };
        Permits permits = new Permits(3, 2);
        List<AccountResult> results;
        try (BackupLock busy = BackupLock.acquire(tmp.resolve("dest/dave@example.org"), "backup from cron")) {
            assertThat(busy.tookOverFrom()).isEmpty();
            results = new FleetRun(jobs, permits, false, "backup --config test", listener).run();
        }
        assertThat(results).extracting(AccountResult::name).containsExactly("alice@example.org", "bob@example.org",
                "carol@example.org", "dave@example.org", "erin/../..@example.org", "frank@example.org");
        assertThat(results).extracting(AccountResult::exitStatus).containsExactly(0, 2, 0, 2, 0, 1);
        assertThat(results.get(0).totals().messagesCopied()).isEqualTo(5);
        assertThat(results.get(1).failure()).contains("password file /etc/bob.pw: no such file");
        assertThat(results.get(1).report()).isEmpty();
        assertThat(results.get(3).failure()).hasValueSatisfying(f -> assertThat(f).contains("is in use by pid")
                .contains("(backup from cron)"));
        assertThat(results.get(4).directory()).isEqualTo(tmp.resolve("dest/erin%2F..%2F..@example.org"));
        assertThat(results.get(4).totals().messagesCopied()).isEqualTo(3);
        assertThat(results.get(5).failure()).isPresent();
        assertThat(permits.peak()).isLessThanOrEqualTo(3);
        assertThat(permits.peakOnOneHost()).isLessThanOrEqualTo(2);
        assertThat(events).hasSize(12).contains("finished bob@example.org 2");
        try (var files = Files.list(tmp.resolve("dest"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("nothing for bob, whose password is missing")
                    .containsExactlyInAnyOrder("alice@example.org", "carol@example.org", "dave@example.org", "erin%2F..%2F..@example.org",
                    "frank@example.org");
        }
        List<AccountResult> again = new FleetRun(jobs.subList(0, 1), new Permits(3, 0), false, "backup", listener).run();
        assertThat(again.get(0).totals().messagesCopied()).as("a second run copies nothing").isZero();
        assertThat(again.get(0).totals().messagesSkipped()).isEqualTo(5);
    }

    @Test
    void theLimitsAreHonouredAndAnAccountLargerThanTheTotalIsCappedNotStuck() throws Exception {
        MboxStore a = source("many", 2);
        List<AccountJob> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            jobs.add(job("user" + i + "@example.org", i % 2 == 0 ? "one.example.org" : "two.example.org",
                    i == 0 ? 9 : 1 + i % 3, a));
        }
        Permits permits = new Permits(4, 3);
        List<AccountResult> results = new FleetRun(jobs, permits, false, "backup", AccountsListener.NONE).run();
        assertThat(results).allSatisfy(r -> assertThat(r.exitStatus()).as(r.toString()).isZero());
        assertThat(permits.peak()).isBetween(1, 4);
        assertThat(permits.peakOnOneHost()).isBetween(1, 3);
    }
}
