package io.github.imapbackup.imap.bench;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.imap.ImapTarget;
import io.github.imapbackup.imap.Security;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One account-to-account copy in its own JVM for {@link MigrateBenchmark}, through the library as
 * the {@code migrate} command will run it: {@link RestoreSession} with an {@link ImapSource} (host1)
 * as source and an {@link ImapTarget} (host2) as target. Writes the counters as the command line
 * program's JSON report does ({@code startedAt}, {@code finishedAt}, {@code totals}).
 */
public final class MigrateChild {

    /** The environment variable holding both accounts' password. */
    static final String PASSWORD_ENV = "MIGRATE_BENCH_PASSWORD";

    private MigrateChild() { }

    /**
     * Runs one copy.
     *
     * @param args host1, port1, user1, host2, port2, user2, connections, report file
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String password = System.getenv(PASSWORD_ENV);
        Instant started = Instant.now();
        BackupReport report = RestoreSession.builder()
                .source(account(args[0], args[1], args[2], password))
                .target(ImapTarget.builder(account(args[3], args[4], args[5], password)).build())
                .connections(Integer.parseInt(args[6]))
                .build().run();
        Instant finished = Instant.now();
        if (report.hasFailures()) {
            System.out.println(report.allErrors());
        }
        var t = report.totals();
        Files.writeString(Path.of(args[7]), "{\"command\":\"migrate\",\"startedAt\":\"" + started
                + "\",\"finishedAt\":\"" + finished + "\",\"exitStatus\":" + (report.hasFailures() ? 1 : 0)
                + ",\"totals\":{\"messagesOnSource\":" + t.messagesOnSource() + ",\"messagesCopied\":"
                + t.messagesCopied() + ",\"bytesCopied\":" + t.bytesCopied() + "}}\n");
        System.exit(report.hasFailures() ? 1 : 0);
    }

    private static ImapSource account(String host, String port, String user, String password) {
        return ImapSource.builder().host(host).port(Integer.parseInt(port)).security(Security.NONE).user(user)
                .password(password::toCharArray).timeout(Duration.ofSeconds(60)).build();
    }
}
