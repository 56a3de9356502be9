package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Dovecot harness itself: starts, loads exact bytes, shows what the server sends back. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotHarnessIT {

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().separator('.').user("alice", "secret").build();

    @Test
    void appendKeepsBytesFlagsAndInternalDate() throws Exception {
        byte[] msg = "Subject: t\r\n\r\nFrom me\r\n>From you\r\n".getBytes(StandardCharsets.US_ASCII);
        Instant date = Instant.parse("2020-01-01T08:00:00Z");
        DOVECOT.createFolder("alice", "Archive");
        long uid = DOVECOT.append("alice", "Archive.2019", msg, Set.of("\\Seen", "$Label1"), date);
        try (ImapTestClient c = DOVECOT.login("alice")) {
            assertThat(c.fetchBody("Archive.2019", uid)).isEqualTo(msg);
            assertThat(c.flags("Archive.2019").get(uid)).containsExactlyInAnyOrder("\\Seen", "$Label1");
            List<ImapTestClient.Response> fetch = c.command("UID FETCH " + uid + " (INTERNALDATE)");
            assertThat(fetch.get(0).text()).contains("01-Jan-2020 08:00:00 +0000");
            assertThat(c.command("LIST \"\" \"*\"")).extracting(ImapTestClient.Response::text)
                    .anyMatch(t -> t.endsWith("\".\" Archive.2019"));
        }
        assertThat(DOVECOT.doveadm("fetch", "-u", "alice", "uid", "mailbox", "Archive.2019", "all"))
                .contains("uid: " + uid);
    }

    @Test
    void mboxMailFormatKeepsBytesButAddsAFinalLineEnd() throws Exception {
        byte[] msg = "Subject: m\r\n\r\nFrom inside\r\nlast".getBytes(StandardCharsets.US_ASCII);
        try (Dovecot mbox = Dovecot.builder().mailFormat(Dovecot.MailFormat.MBOX).user("carol", "pw").build().start()) {
            long uid = mbox.append("carol", "Lists/dev", msg, Set.of("\\Flagged"),
                    Instant.parse("2021-05-06T07:08:09Z"));
            try (ImapTestClient c = mbox.login("carol")) {
                // Dovecot's mbox storage cannot keep a missing final line end: it adds CRLF
                assertThat(c.fetchBody("Lists/dev", uid))
                        .isEqualTo("Subject: m\r\n\r\nFrom inside\r\nlast\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(c.flags("Lists/dev").get(uid)).containsExactly("\\Flagged");
            }
        }
    }

    @Test
    void tlsServerGivesCertificateAndTrustStore() throws Exception {
        try (Dovecot tls = Dovecot.builder().tls(true).user("bob", "pw").build().start()) {
            assertThat(tls.tlsPort()).isPositive().isNotEqualTo(tls.port());
            assertThat(tls.pemCertificate()).content().startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(tls.trustStorePkcs12()).isNotEmptyFile();
            try (ImapTestClient c = tls.login("bob")) {
                assertThat(c.capabilities()).contains("IMAP4REV1");
            }
        }
    }
}
