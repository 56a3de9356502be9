package com.example.mailbackup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.CancelledException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.Outcome;
import io.github.imapbackup.RunInfo;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.VerifyReport;
import io.github.imapbackup.spi.MessageSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an embedder does, against an in-process GreenMail account holding INBOX (three messages)
 * and Archive (two): back up with a codec, plan, listen, cancel, read back, verify, import.
 */
@Timeout(120)
class EmbeddingTest {

    private static GreenMail server;
    private static List<String> inbox;
    private static List<String> archive;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
        server.start();
        GreenMailUser alice = server.setUser("alice@example.org", "alice", "secret");
        for (int i = 1; i <= 5; i++) {
            alice.deliver(GreenMailUtil.newMimeMessage(new ByteArrayInputStream(message(i))));
        }
        ImapHostManager folders = server.getManagers().getImapHostManager();
        MailFolder in = folders.getInbox(alice);
        MailFolder archived = folders.createMailbox(alice, "Archive");
        long[] uids = in.getMessageUids();
        in.moveMessage(uids[3], archived);
        in.moveMessage(uids[4], archived);
        inbox = List.of(digest(message(1)), digest(message(2)), digest(message(3)));
        archive = List.of(digest(message(4)), digest(message(5)));
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    private static MessageSource account() {
        return MailBackup.account("127.0.0.1", server.getImap().getPort(), "alice", "secret");
    }

    @Test
    void runsOnThePathTheBuildSays() {
        boolean modulePath = Boolean.parseBoolean(System.getProperty("embedding.modulePath"));
        assertEquals(modulePath ? "com.example.mailbackup" : null, MailBackup.class.getModule().getName());
        assertEquals(modulePath ? "io.github.imapbackup" : null, BackupSession.class.getModule().getName());
        assertEquals(modulePath ? "io.github.imapbackup.mbox" : null, BackupArchive.class.getModule().getName());
    }

    @Test
    void planWritesNothingAndTheRunCopiesWhatThePlanSaid() throws IOException {
        MailBackup backup = new MailBackup(dir);
        EventCounter planned = new EventCounter();
        BackupReport plan = backup.session(account(), planned).plan();
        assertEquals(5, plan.totals().messagesCopied());
        assertTrue(plan.dryRun());
        assertEquals(List.of(), mboxFiles(), "a plan writes no mbox file");

        EventCounter events = new EventCounter();
        BackupReport report = backup.session(account(), events).run();
        assertEquals(Outcome.COMPLETED, report.outcome());
        assertEquals(false, report.hasFailures());
        assertEquals(5, report.totals().messagesCopied());
        assertEquals(5, report.totals().messagesOnSource());
        assertEquals(1, events.sessionsStarted());
        assertEquals(1, events.sessionsFinished());
        assertEquals(2, events.foldersStarted());
        assertEquals(2, events.foldersFinished());
        assertEquals(5, events.messagesCopied());
        assertEquals(report.totals().bytesCopied(), events.bytesCopied());
        assertEquals(0, events.failures());

        assertEquals(List.of("Archive.mbox.gz", "INBOX.mbox.gz"), mboxFiles());
        for (String file : mboxFiles()) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(file)))) {
                assertEquals("From ", new String(in.readNBytes(5), StandardCharsets.US_ASCII), file);
            }
        }
        assertEquals(0, backup.session(account(), new EventCounter()).run().totals().messagesCopied(),
                "the second run finds nothing new");
    }

    @Test
    void readingBackGivesTheServersBytesAndTheBackupVerifies() throws IOException {
        MailBackup backup = new MailBackup(dir);
        backup.session(account(), new EventCounter()).run();

        assertEquals(Map.of("INBOX", inbox, "Archive", archive), backup.readBack());
        VerifyReport verified = backup.verify();
        assertTrue(verified.ok(), verified.problems().toString());
        assertEquals(2, verified.folders().size());
        assertEquals(5, verified.messages());
    }

    @Test
    void aCancelledRunKeepsWhatItCopiedAndTheNextRunCopiesTheRest() throws IOException {
        MailBackup backup = new MailBackup(dir);
        BackupSession[] session = new BackupSession[1];
        EventCounter cancelling = new EventCounter() {
            @Override
            public void messageCopied(RunInfo run, FolderInfo folder, long uid, long bytes) {
                super.messageCopied(run, folder, uid, bytes);
                session[0].cancel();
            }
        };
        session[0] = backup.session(account(), cancelling);
        CancelledException cancelled = assertThrows(CancelledException.class, session[0]::run);
        assertEquals(Outcome.CANCELLED, cancelled.report().orElseThrow().outcome(),
                "the exception carries the report of the cancelled run");
        assertTrue(cancelling.messagesCopied() >= 1);

        BackupReport rest = backup.session(account(), new EventCounter()).run();
        assertEquals(false, rest.hasFailures());
        assertTrue(rest.totals().messagesCopied() < 5, "the cancelled run kept what it copied");
        assertEquals(Map.of("INBOX", inbox, "Archive", archive), backup.readBack(),
                "every message once, none lost");
        assertTrue(backup.verify().ok());
    }

    @Test
    void importingAnMboxFileTwiceStoresEachMessageOnce() throws IOException {
        Path mbox = dir.resolve("thunderbird.mbox");
        byte[] first = text(6).replace("From here", "So here").getBytes(StandardCharsets.US_ASCII);
        byte[] second = text(7).replace("From here", "So here").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("From bob@example.org Thu Dec  3 10:00:00 2026\n".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(first);
        file.writeBytes("\nFrom - Thu Dec  3 10:01:00 2026\n".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(second);
        file.writeBytes("\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(mbox, file.toByteArray());
        MailBackup backup = new MailBackup(dir.resolve("backup"));

        BackupReport imported = backup.importMbox(mbox, "Imported");
        assertEquals(false, imported.hasFailures());
        assertEquals(2, imported.totals().messagesCopied());
        BackupReport again = backup.importMbox(mbox, "Imported");
        assertEquals(0, again.totals().messagesCopied());
        assertEquals(2, again.totals().messagesSkipped());

        assertEquals(Map.of("Imported", List.of(digest(first), digest(second))), backup.readBack());
        assertTrue(backup.verify().ok());
    }

    private List<String> mboxFiles() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".mbox") || n.endsWith(".mbox.gz"))
                    .sorted()
                    .toList();
        }
    }

    private static byte[] message(int i) {
        return text(i).getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(int i) {
        return ("From: Bob <bob@example.org>\r\n"
                + "To: alice@example.org\r\n"
                + "Subject: message " + i + "\r\n"
                + "Message-ID: <" + i + "@example.org>\r\n"
                + "Date: Thu, 03 Dec 2026 10:0" + i + ":00 +0000\r\n"
                + "\r\n"
                + "Hello, this is message " + i + ".\r\n"
                + "From here on the body needs quoting in an mbox file.\r\n");
    }

    private static String digest(byte[] bytes) throws IOException {
        return MailBackup.sha256(new ByteArrayInputStream(bytes));
    }
}
