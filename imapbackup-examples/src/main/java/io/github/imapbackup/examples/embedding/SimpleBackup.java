package io.github.imapbackup.examples.embedding;

import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.imap.Security;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.spi.MessageSource;
import java.nio.file.Path;

/**
 * Embedding example: the smallest complete backup. Builds an {@link ImapSource} and an
 * {@link MboxStore}, runs a {@link BackupSession} and prints the totals.
 *
 * <pre>
 * IMAP_PASSWORD=... java -cp imapbackup.jar io.github.imapbackup.examples.embedding.SimpleBackup \
 *     imap.example.org alice ~/mail
 * </pre>
 */
public final class SimpleBackup {

    private SimpleBackup() { }

    /**
     * Backs up every folder except Trash and Junk into {@code dir}, zstd-compressed.
     *
     * @param host the server (TLS on port 993)
     * @param user the login name
     * @param password the password
     * @param dir the backup directory
     * @return the report
     * @throws BackupException if the server cannot be reached or the run fails as a whole
     */
    public static BackupReport backup(String host, String user, char[] password, Path dir) throws BackupException {
        return backup(ImapSource.builder()
                .host(host)
                .security(Security.TLS)
                .user(user)
                .password(password::clone)
                .build(), dir);
    }

    /**
     * Backs up a source into {@code dir}: the part that does not depend on where the account is.
     *
     * @param account the account
     * @param dir the backup directory
     * @return the report
     * @throws BackupException if the run fails as a whole
     */
    public static BackupReport backup(MessageSource account, Path dir) throws BackupException {
        MailboxStore store = MboxStore.builder(dir).codec("zstd").build();
        return BackupSession.builder()
                .source(account)
                .store(store)
                .exclude("Trash|Junk")
                .build()
                .run();
    }

    /**
     * Runs the example.
     *
     * @param args host, user, backup directory; the password comes from {@code IMAP_PASSWORD}
     * @throws BackupException if the backup fails
     */
    public static void main(String[] args) throws BackupException {
        if (args.length != 3 || System.getenv("IMAP_PASSWORD") == null) {
            System.err.println("usage: IMAP_PASSWORD=... SimpleBackup HOST USER DIR");
            System.exit(2);
        }
        BackupReport report = backup(args[0], args[1], System.getenv("IMAP_PASSWORD").toCharArray(), Path.of(args[2]));
        System.out.println(report.totals().messagesCopied() + " new messages, "
                + report.totals().errors() + " failures");
        System.exit(report.hasFailures() ? 1 : 0);
    }
}
