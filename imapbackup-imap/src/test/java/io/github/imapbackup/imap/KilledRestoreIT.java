package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore (and a migration) in a real child JVM killed with {@code kill -9} at seeded random points (after N
 * messages seen on the server, or after a random delay), then run to the end: the target holds
 * exactly what the backup holds (no duplicate, no gap, copies counted). Seed printed; replay with
 * {@code -Dimapbackup.seed=N}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KilledRestoreIT {

    static final String SOURCE = "killsource";
    static final String PASSWORD = "Kill-s3cret";
    /** Runs, each into its own account (added up front: Dovecot rereads its password file once a second at most). */
    static final int RUNS = 3;
    static final int KILLS = 3;

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().separator('/').user(SOURCE, PASSWORD)
            .user("killed0", PASSWORD).user("killed1", PASSWORD).user("killed2", PASSWORD)
            .user("migrated0", PASSWORD).user("migrated1", PASSWORD).user("migrated2", PASSWORD).build();

    @TempDir
    static Path backup;

    @RegisterExtension
    final Seeds seeds = new Seeds();

    static List<String> expected;

    @BeforeAll
    static void backUpAnAccountOfSomeHundredMessages() throws Exception {
        int total = 0;
        try (ImapTestClient c = DOVECOT.login(SOURCE)) {
            for (String folder : List.of("INBOX", "Work/Projects/2024", "Lists")) {
                c.createFolder(folder);
                List<ImapTestClient.Message> batch = new ArrayList<>();
                Random r = new Random(folder.hashCode());
                for (int i = 0; i < 80; i++) {
                    byte[] m = message(folder, i, 200 + r.nextInt(20_000));
                    Set<String> flags = i % 3 == 0 ? Set.of("\\Seen") : i % 7 == 0 ? Set.of("\\Flagged", "Todo") : Set.of();
                    Instant date = Instant.parse("2015-01-01T00:00:00Z").plusSeconds(86_400L * i + folder.length());
                    batch.add(new ImapTestClient.Message(m, flags, date));
                    if (i % 10 == 0) { // the same message twice in the folder
                        batch.add(new ImapTestClient.Message(m, Set.of(), date));
                    }
                }
                c.appendAll(folder, batch);
                total += batch.size();
            }
        }
        assertThat(Restores.backup(DOVECOT, SOURCE, backup).allErrors()).isEmpty();
        expected = Restores.contents(backup);
        assertThat(expected).hasSize(total);
    }

    static byte[] message(String folder, int i, int size) {
        StringBuilder sb = new StringBuilder(size + 200);
        if (i % 25 != 7) {
            sb.append("Message-ID: <").append(i).append('.').append(folder.replace('/', '-')).append("@killed>\r\n");
        }
        sb.append("From: Sender ").append(i).append(" <s").append(i).append("@example.org>\r\nSubject: message ")
                .append(i).append(" of ").append(folder).append("\r\n\r\n");
        while (sb.length() < size) {
            sb.append("line ").append(sb.length()).append(" of message ").append(i).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aRestoreKilledAtRandomPointsAndRunAgainLeavesNoDuplicateAndNoGap() throws Exception {
        killAndRerun("killed", backup.toString());
    }

    /** The same for a migration from the backed-up account (host1) into another (host2) of the server. */
    @Test
    void aMigrationKilledAtRandomPointsAndRunAgainLeavesNoDuplicateAndNoGap() throws Exception {
        killAndRerun("migrated", RestoreChild.MIGRATE_FROM + SOURCE);
    }

    private void killAndRerun(String users, String from) throws Exception {
        long seed = seeds.pick();
        System.out.println("KilledRestoreIT seed " + seed + " (replay with -Dimapbackup.seed=" + seed + ")");
        Random random = seeds.random();
        for (int run = 0; run < RUNS; run++) {
            String user = users + run;
            List<String> kills = new ArrayList<>();
            String where = "seed " + seed + " (-Dimapbackup.seed=" + seed + "), run " + run + ", kills " + kills;
            long seen = 0;
            for (int k = 0; k < KILLS; k++) {
                Process child = start(user, from, 1 + random.nextInt(4));
                if (random.nextBoolean()) {
                    long n = seen + 1 + random.nextInt((int) Math.max(1, (expected.size() - seen) / 2));
                    awaitMessages(child, user, n);
                    kills.add("after " + n + " messages");
                } else {
                    int millis = random.nextInt(1500);
                    child.waitFor(millis, TimeUnit.MILLISECONDS);
                    kills.add("after " + millis + " ms");
                }
                child.destroyForcibly().waitFor();
                awaitNoSession(user);
                seen = total(user);
                kills.add("(" + seen + " on the server" + (child.exitValue() == 0 ? ", finished first)" : ")"));
            }
            where = "seed " + seed + " (-Dimapbackup.seed=" + seed + "), run " + run + ", kills " + kills;
            System.out.println("KilledRestoreIT " + where);
            Process last = start(user, from, 2);
            String out = new String(last.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(last.waitFor(120, TimeUnit.SECONDS)).as(where).isTrue();
            assertThat(last.exitValue()).as(where + "\n" + out).isZero();
            assertThat(out).as(where).contains("failures=false")
                    .contains("copied=" + (expected.size() - seen) + " ");
            Path after = Files.createTempDirectory(backup.getParent(), "after-kill");
            assertThat(Restores.backup(DOVECOT, user, after).allErrors()).as(where).isEmpty();
            assertThat(Restores.contents(after)).as(where).containsExactlyElementsOf(expected);
        }
    }

    private static Process start(String user, String from, int connections) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), RestoreChild.class.getName(),
                Integer.toString(DOVECOT.port()), user, from, Integer.toString(connections)));
        pb.environment().put(RestoreChild.PASSWORD_ENV, PASSWORD);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    /** Waits until the account holds {@code n} messages or the child has ended. */
    private static void awaitMessages(Process child, String user, long n) throws Exception {
        try (ImapTestClient c = DOVECOT.login(user)) {
            while (child.isAlive() && Restores.counts(c).values().stream().mapToLong(Long::longValue).sum() < n) {
                child.waitFor(5, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Waits until Dovecot has no session of the user left: the imap process of a killed client
     * may still be storing the appends that were in its socket buffer, and a rerun that listed
     * the folder before they land would copy them once more. A user who runs the restore again
     * by hand is slower than that; the test waits for it instead.
     */
    private static void awaitNoSession(String user) throws Exception {
        for (int i = 0; i < 1000 && DOVECOT.doveadm("who", "-1", user).lines().anyMatch(l -> l.startsWith(user + " ")); i++) {
            Thread.sleep(10);
        }
    }

    private static long total(String user) throws IOException {
        return Restores.counts(DOVECOT, user).values().stream().mapToLong(Long::longValue).sum();
    }
}
