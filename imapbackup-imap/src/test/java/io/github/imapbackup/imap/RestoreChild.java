package io.github.imapbackup.imap;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.mbox.MboxStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One restore in its own JVM, for {@link KilledRestoreIT} to kill: a backup directory into a
 * plain-IMAP account on the loopback interface; the password comes from {@value #PASSWORD_ENV}.
 * Prints {@code RESULT copied=N skipped=N failures=B} when the run ends.
 */
public final class RestoreChild {

    /** The environment variable holding the account's password. */
    static final String PASSWORD_ENV = "IMAPBACKUP_TEST_PASSWORD";

    private RestoreChild() { }

    /**
     * Runs one restore.
     *
     * @param args port, user, backup directory, connections
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String password = System.getenv(PASSWORD_ENV);
        ImapSource account = ImapSource.builder().host("127.0.0.1").port(Integer.parseInt(args[0]))
                .security(Security.NONE).user(args[1]).password(password::toCharArray)
                .timeout(Duration.ofSeconds(30)).build();
        BackupReport report = RestoreSession.builder()
                .source(MboxStore.builder(Path.of(args[2])).build().asSource())
                .target(ImapTarget.builder(account).build())
                .connections(Integer.parseInt(args[3]))
                .build().run();
        if (report.hasFailures()) {
            System.out.println(report.allErrors());
        }
        System.out.println("RESULT copied=" + report.totals().messagesCopied() + " skipped="
                + report.totals().messagesSkipped() + " failures=" + report.hasFailures());
    }
}
