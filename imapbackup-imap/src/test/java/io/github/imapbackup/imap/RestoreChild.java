package io.github.imapbackup.imap;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.MigrateSession;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.mbox.MboxStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One restore (or migration) in its own JVM, for {@link KilledRestoreIT} to kill: a backup
 * directory (or another account) into a plain-IMAP account on the loopback interface; the password comes from {@value #PASSWORD_ENV}.
 * Prints {@code RESULT copied=N skipped=N failures=B} when the run ends.
 */
public final class RestoreChild {

    /** The environment variable holding the account's password. */
    static final String PASSWORD_ENV = "IMAPBACKUP_TEST_PASSWORD";
    /** The third argument that makes the child migrate from the user named after it instead of restoring. */
    static final String MIGRATE_FROM = "migrate-from:";

    private RestoreChild() { }

    /**
     * Runs one restore.
     *
     * @param args port, user, backup directory (or {@value #MIGRATE_FROM} and host1's user, same
     *     server and password), connections
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String password = System.getenv(PASSWORD_ENV);
        ImapSource account = ImapSource.builder().host("127.0.0.1").port(Integer.parseInt(args[0]))
                .security(Security.NONE).user(args[1]).password(password::toCharArray)
                .timeout(Duration.ofSeconds(30)).build();
        int connections = Integer.parseInt(args[3]);
        BackupReport report;
        if (args[2].startsWith(MIGRATE_FROM)) { // a migration from another user of the same server
            ImapSource host1 = ImapSource.builder().host("127.0.0.1").port(Integer.parseInt(args[0]))
                    .security(Security.NONE).user(args[2].substring(MIGRATE_FROM.length()))
                    .password(password::toCharArray).timeout(Duration.ofSeconds(30)).build();
            report = MigrateSession.builder().source(host1).target(ImapTarget.builder(account).build())
                    .connections(connections).build().run();
        } else {
            report = RestoreSession.builder()
                    .source(MboxStore.builder(Path.of(args[2])).build().asSource())
                    .target(ImapTarget.builder(account).build())
                    .connections(connections)
                    .build().run();
        }
        if (report.hasFailures()) {
            System.out.println(report.allErrors());
        }
        System.out.println("RESULT copied=" + report.totals().messagesCopied() + " skipped="
                + report.totals().messagesSkipped() + " failures=" + report.hasFailures());
    }
}
