package io.github.imapbackup.examples.embedding;

// tag::imports[]
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupListener;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.FolderReport;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.spi.MailboxStore;
import io.github.imapbackup.spi.MessageSource;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
// end::imports[]

/**
 * Embedding example: the smallest complete backup. Builds an {@link ImapSource} and an
 * {@link MboxStore}, runs a {@link BackupSession} and logs each folder and the totals.
 *
 * <p>The tagged regions are README.md's embedding snippet, word for word (ReadmeTest keeps the two
 * equal, so the snippet always compiles).
 *
 * <pre>
 * IMAP_PASSWORD=... java -cp imapbackup.jar io.github.imapbackup.examples.embedding.SimpleBackup \
 *     imap.example.org alice ~/mail
 * </pre>
 */
// tag::code[]
public final class SimpleBackup {

    private static final Logger log = LoggerFactory.getLogger(SimpleBackup.class);

    /** Backs up an account (TLS on port 993; the password from IMAP_PASSWORD) into a directory. */
    public static BackupReport backup(String host, String user, Path dir) throws BackupException {
        MessageSource account = ImapSource.builder()
                .host(host)
                .user(user)
                .password(() -> System.getenv("IMAP_PASSWORD").toCharArray())
                .build();
        return backup(account, dir);
    }

    /** Backs up every folder but Trash and Junk, zstd-compressed, logging each folder. */
    public static BackupReport backup(MessageSource account, Path dir) throws BackupException {
        MailboxStore store = MboxStore.builder(dir)
                .codec("zstd")
                .build();
        BackupReport report = BackupSession.builder()
                .source(account)
                .target(store)
                .exclude("Trash|Junk")
                .listener(new BackupListener() {
                    @Override
                    public void folderFinished(RunInfo run, FolderInfo folder, FolderReport report) {
                        log.info("{}: {} new", folder.name(), report.counters().messagesCopied());
                    }
                })
                .build()
                .run();
        log.info("{} new messages, {} failures", report.totals().messagesCopied(), report.totals().errors());
        return report;
    }

    /** Runs a backup: HOST USER DIR, the password in IMAP_PASSWORD; exits 0 when nothing failed. */
    public static void main(String[] args) throws BackupException {
        if (args.length != 3 || System.getenv("IMAP_PASSWORD") == null) {
            System.err.println("usage: IMAP_PASSWORD=... SimpleBackup HOST USER DIR");
            System.exit(2);
        }
        System.exit(backup(args[0], args[1], Path.of(args[2])).hasFailures() ? 1 : 0);
    }
}
// end::code[]
