package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.bench.TimedRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code mbsync} (isync) pulling an account into a Maildir, for {@link BackupBenchmark}: the C tool
 * users compare the backup with. Its configuration is written for each run (with {@code FSync no}
 * for the run without fsync); it runs under {@link TimedRun} (wall time, CPU, peak RSS).
 */
final class MbsyncRun {

    /**
     * What one run did.
     *
     * @param timed wall time, CPU, RSS
     * @param bytes the bytes of the Maildir's message files
     * @param messages the number of message files
     */
    record Result(TimedRun.Result timed, long bytes, long messages) { }

    private final Path mbsync;

    /** @param mbsync the program */
    MbsyncRun(Path mbsync) {
        this.mbsync = mbsync;
    }

    /** {@return whether the program is there} */
    boolean installed() {
        return Files.isExecutable(mbsync);
    }

    /**
     * Pulls every folder into {@code maildir} (a second run into the same one copies only what is new).
     *
     * @param host the server
     * @param port its port
     * @param pem the server's certificate for implicit TLS, or null for plain IMAP
     * @param user the user
     * @param password the password (written into a 0600 configuration file)
     * @param maildir the Maildir
     * @param fsync whether mbsync syncs (its default) or not ({@code FSync no})
     * @param work where to put the configuration, output and time files
     * @param label names those files
     * @return what it did
     * @throws IOException if it cannot be run
     */
    Result run(String host, int port, Path pem, String user, String password, Path maildir, boolean fsync,
            Path work, String label) throws IOException {
        Files.createDirectories(maildir);
        Path config = work.resolve("mbsyncrc-" + label);
        String text = (fsync ? "" : "FSync no\n\n")
                + "IMAPAccount far\nHost " + host + "\nPort " + port + "\nUser " + user + "\nPass " + password + "\n"
                + (pem == null ? "SSLType None\nAuthMechs LOGIN\n" : "SSLType IMAPS\nCertificateFile " + pem + "\n")
                + "\nIMAPStore far\nAccount far\n\n"
                + "MaildirStore near\nPath " + maildir + "/\nInbox " + maildir + "/INBOX\nSubFolders Verbatim\n\n"
                + "Channel backup\nFar :far:\nNear :near:\nPatterns *\nCreate Near\nSync Pull\nExpunge None\n"
                + "SyncState *\n";
        Files.deleteIfExists(config);
        Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(config, text, StandardCharsets.UTF_8);
        TimedRun.Result t = TimedRun.run(List.of(mbsync.toString(), "-q", "-c", config.toString(), "backup"),
                work.resolve("mbsync-" + label + ".out"), work.resolve("mbsync-" + label + ".time"));
        long bytes = 0;
        long messages = 0;
        try (Stream<Path> s = Files.walk(maildir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String dir = p.getParent().getFileName().toString();
                if (dir.equals("cur") || dir.equals("new")) {
                    bytes += Files.size(p);
                    messages++;
                }
            }
        }
        return new Result(t, bytes, messages);
    }
}
