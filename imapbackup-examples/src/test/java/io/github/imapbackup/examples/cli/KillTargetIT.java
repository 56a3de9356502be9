package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restore} (a backup directory into a real Dovecot) and {@code migrate} (GreenMail host1 to
 * Dovecot host2) killed with {@code kill -9} at seeded points ({@link KillHarness}): when the APPENDs
 * passing a proxy ({@link AppendWatch}) reach a random number of literal bytes (an APPEND in
 * flight), when a random number of APPENDs were answered, or after a random time; each run again,
 * killed again, then completed. Afterwards every message of the target, fetched and hashed
 * ({@code BODY.PEEK[]}), is the backup's exactly once per copy, byte for byte.
 */
@Timeout(value = 3, unit = TimeUnit.HOURS)
class KillTargetIT {

    private static final String PASSWORD = "kill-target-pw";
    private static final Map<String, String> ENV = Map.of("KILL_PW", PASSWORD);
    /** Target accounts, one per fresh start (Dovecot rereads its password file once a second at most). */
    /**
     * Fresh target accounts: a chain of kills starts on a fresh one, and a chain can end after one
     * kill (the command finished first), so the profile needs one per kill point, and one more.
     */
    private static final int ACCOUNTS = KillHarness.FULL ? KillHarness.KILLS + 1 : 8;

    @RegisterExtension
    static final Dovecot DOVECOT = users(Dovecot.builder().separator('.')).build();

    private static DemoServer source;
    private static AppendWatch watch;
    private static long totalBytes;
    private static int accountsUsed;

    @TempDir
    static Path backup;

    @TempDir
    Path tmp;

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static Dovecot.Builder users(Dovecot.Builder b) {
        for (int i = 0; i < ACCOUNTS; i++) {
            b.user("target" + i, PASSWORD);
        }
        b.user("reference-restore", PASSWORD).user("reference-migrate", PASSWORD);
        return b;
    }

    @BeforeAll
    static void start() throws Exception {
        source = DemoServer.start("demo", PASSWORD);
        source.load(SampleAccount.generate(23, 256 * 1024, KillHarness.FULL ? 400 : 80));
        CliRun b = CliRun.run(ENV, "backup", "--host", DemoServer.HOST, "--port", Integer.toString(source.port()),
                "--security", "none", "--user", "demo", "--password-env", "KILL_PW", "--dir", backup.toString());
        assertThat(b.status).as(b.toString()).isZero();
        totalBytes = BackupFiles.bytes(backup, ".mbox");
        watch = new AppendWatch(DOVECOT.port());
    }

    @AfterAll
    static void stop() throws IOException {
        watch.close();
        source.close();
    }

    @Test
    void aRestoreKilledAnywhereAndRunAgainPutsEveryMessageOnTheTargetOnce() throws Exception {
        new KillHarness("restore", seeds.pick(), tmp, ENV).run(new TargetScenario("reference-restore", user -> new String[] {"restore",
            "--host", "127.0.0.1", "--port", Integer.toString(watch.port()), "--security", "none", "--user", user,
            "--password-env", "KILL_PW", "--dir", backup.toString(), "--quiet"}),
                KillHarness.KILLS, KillHarness.CHAIN);
    }

    @Test
    void aMigrationKilledAnywhereAndRunAgainPutsEveryMessageOnTheTargetOnce() throws Exception {
        new KillHarness("migrate", seeds.pick(), tmp, ENV).run(new TargetScenario("reference-migrate", user -> new String[] {"migrate",
            "--host1", DemoServer.HOST, "--port1", Integer.toString(source.port()), "--security1", "none",
            "--user1", "demo", "--password-env1", "KILL_PW", "--host2", "127.0.0.1", "--port2",
            Integer.toString(watch.port()), "--security2", "none", "--user2", user, "--password-env2", "KILL_PW",
            "--quiet"}), KillHarness.KILLS, KillHarness.CHAIN);
    }

    /**
     * A fresh target account per start; kill points in the APPENDs the proxy sees; checked against
     * what the target holds after the same command without kills (Dovecot sends some messages back
     * in its own form, e.g. with CRLF for a bare LF).
     */
    private static final class TargetScenario implements KillHarness.Scenario {
        private final java.util.function.Function<String, String[]> command;
        private final Map<String, List<String>> want;
        private String user;
        private String seen;
        /** The proxy's APPEND bytes when this start began. */
        private long base;

        TargetScenario(String reference, java.util.function.Function<String, String[]> command) throws IOException {
            this.command = command;
            CliRun r = CliRun.run(ENV, command.apply(reference));
            assertThat(r.status).as(r.toString()).isZero();
            this.want = onTarget(reference);
            assertThat(want.values().stream().mapToInt(List::size).sum())
                    .isEqualTo(BackupFiles.contents(backup).values().stream().mapToInt(List::size).sum());
        }

        @Override
        public void fresh() {
            assertThat(accountsUsed).as("target accounts").isLessThan(ACCOUNTS);
            user = "target" + accountsUsed++;
            base = watch.appendBytes();
        }

        @Override
        public String[] args() {
            return command.apply(user);
        }

        @Override
        public KillHarness.Point next(Random r) {
            long bytes = watch.appendBytes();
            long answered = watch.answered();
            String trigger;
            java.util.function.BooleanSupplier when;
            switch (r.nextInt(5)) {
                case 0, 1, 2 -> {
                    long at = bytes + 1 + (long) (r.nextDouble() * Math.max(1, totalBytes - (bytes - base)));
                    trigger = "APPEND bytes > " + (at - bytes);
                    when = () -> watch.appendBytes() > at;
                }
                case 3 -> {
                    long n = answered + 1 + r.nextInt(40);
                    trigger = "APPENDs answered >= " + (n - answered);
                    when = () -> watch.answered() >= n;
                }
                default -> {
                    long millis = 300 + r.nextInt(2500);
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                    trigger = "after " + millis + " ms";
                    when = () -> System.nanoTime() > end;
                }
            }
            long startBytes = bytes;
            long startAnswered = answered;
            return new KillHarness.Point(trigger, child -> {
                if (!when.getAsBoolean()) {
                    return false;
                }
                seen = watch.appendBytes() == startBytes && watch.answered() == startAnswered
                        ? "before the first APPEND" : watch.state();
                return true;
            });
        }

        @Override
        public String phase(ChildProgram killed) {
            return seen;
        }

        /**
         * Waits until Dovecot has no session of the user left: the imap process of a killed client
         * may still be storing an APPEND whose literal it received whole, and a rerun that lists
         * the folder before it lands would copy it once more. A user who runs the command again by
         * hand is slower than that; the test waits for it instead.
         */
        @Override
        public void settle() throws Exception {
            for (int i = 0; i < 1000 && DOVECOT.doveadm("who", "-1", user).lines()
                    .anyMatch(l -> l.startsWith(user + " ")); i++) {
                Thread.sleep(10);
            }
        }

        @Override
        public void check(CliRun last, String stderr, KillHarness.Tally tally) throws Exception {
            assertThat(last.status).as(last.toString()).isZero();
            tally.compare(want, onTarget(user));
        }
    }

    /** Folder name → the sorted SHA-256 of every message's bytes as the target sends them. */
    static Map<String, List<String>> onTarget(String user) throws IOException {
        Map<String, List<String>> out = new TreeMap<>();
        Pattern list = Pattern.compile("^\\* LIST \\([^)]*\\) \"(.)\" (?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+))$");
        try (ImapTestClient c = DOVECOT.login(user)) {
            List<String> names = new ArrayList<>();
            for (ImapTestClient.Response r : c.command("LIST \"\" \"*\"")) {
                Matcher m = list.matcher(r.text());
                if (m.matches()) {
                    names.add(m.group(2) != null ? m.group(2).replaceAll("\\\\(.)", "$1") : m.group(3));
                }
            }
            for (String name : names) {
                List<String> hashes = new ArrayList<>();
                c.examine(name);
                for (ImapTestClient.Response r : c.command("UID FETCH 1:* (BODY.PEEK[])")) {
                    r.literals().forEach(l -> hashes.add(MboxFiles.sha256(l)));
                }
                hashes.sort(null);
                out.put(BASE64MailboxDecoder.decode(name), hashes);
            }
        }
        return out;
    }
}
