package io.github.imapbackup.imap;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.base.GreenMailOperations;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;

/** Shared helpers for the GreenMail integration tests. */
final class Fixtures {

    static final String USER = "alice";
    static final String PASSWORD = "s3cret-Pa55word";

    private Fixtures() { }

    static GreenMailUser user(GreenMailOperations greenMail) {
        return greenMail.setUser("alice@example.org", USER, PASSWORD);
    }

    /** A source for GreenMail's plain IMAP port. */
    static ImapSource.Builder plain(GreenMailOperations greenMail) {
        return ImapSource.builder()
                .host("localhost")
                .port(greenMail.getImap().getPort())
                .security(Security.NONE)
                .user(USER)
                .password(PASSWORD::toCharArray)
                .timeout(Duration.ofSeconds(10));
    }

    /** Returns a 7-bit message with CRLF line ends. */
    static byte[] message(String messageId, String from, String subject, String body) {
        StringBuilder sb = new StringBuilder();
        if (from != null) {
            sb.append("From: ").append(from).append("\r\n");
        }
        sb.append("To: Bob <bob@example.org>\r\n");
        sb.append("Subject: ").append(subject).append("\r\n");
        sb.append("Date: Sat, 21 Nov 2026 23:39:50 +0000\r\n");
        if (messageId != null) {
            sb.append("Message-ID: ").append(messageId).append("\r\n");
        }
        sb.append("MIME-Version: 1.0\r\n");
        sb.append("Content-Type: text/plain; charset=us-ascii\r\n");
        sb.append("\r\n");
        sb.append(body.replace("\n", "\r\n"));
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends raw bytes to a folder (created when missing); returns the UID. */
    static long append(GreenMailOperations greenMail, GreenMailUser user, String folder, byte[] raw,
            Flags flags, Instant internalDate) throws Exception {
        MailFolder f = greenMail.getManagers().getImapHostManager().getFolder(user, folder);
        if (f == null) {
            f = greenMail.getManagers().getImapHostManager().createMailbox(user, folder);
        }
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw));
        return f.appendMessage(m, flags == null ? new Flags() : flags, Date.from(internalDate));
    }
}
