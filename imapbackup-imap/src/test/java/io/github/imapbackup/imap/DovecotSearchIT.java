package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A migration with a search expression from Dovecot to Dovecot: only the matching messages arrive,
 * a rerun copies nothing, and an expression Dovecot refuses is named before any folder.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotSearchIT {

    static final String USER = "searched";

    @RegisterExtension
    static final Dovecot HOST1 = Dovecot.builder().user(USER, "Search-s3cret").build();

    @RegisterExtension
    static final Dovecot HOST2 = Dovecot.builder().separator('.').user(USER, "Search-s3cret").build();

    @Test
    void onlyMatchingMessagesArriveAndARerunCopiesNothing() throws Exception {
        try (ImapTestClient c = HOST1.login(USER)) {
            append(c, "INBOX", "a", "Carol <carol@example.org>", "2021-05-01T10:00:00Z");
            append(c, "INBOX", "b", "Dave <dave@example.net>", "2021-05-01T10:00:00Z");
            append(c, "INBOX", "c", "Carol <carol@example.org>", "2019-05-01T10:00:00Z");
            c.createFolder("Work");
            append(c, "Work", "d", "carol@example.org", "2022-05-01T10:00:00Z");
            append(c, "Work", "e", "eve@example.net", "2022-05-01T10:00:00Z");
        }
        ImapSource source = Restores.account(HOST1, USER).toBuilder().search("FROM \"carol\" SINCE 1-Jan-2020").build();
        RestoreSession migrate = RestoreSession.builder().source(source)
                .target(ImapTarget.builder(Restores.account(HOST2, USER)).build()).build();
        BackupReport report = migrate.run();
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(2);
        assertThat(Restores.counts(HOST2, USER)).containsEntry("INBOX", 1L).containsEntry("Work", 1L);
        assertThat(migrate.run().totals().messagesCopied()).isZero();
    }

    @Test
    void anExpressionDovecotRefusesIsNamedBeforeAnyFolder() {
        ImapSource source = Restores.account(HOST1, USER).toBuilder().search("SINCE yesterday-ish").build();
        RestoreSession migrate = RestoreSession.builder().source(source)
                .target(ImapTarget.builder(Restores.account(HOST2, USER)).build()).build();
        assertThatThrownBy(migrate::run).isInstanceOf(SearchRejectedException.class)
                .hasMessageContaining("\"SINCE yesterday-ish\"").hasMessageContaining("folder \"INBOX\"");
    }

    private static void append(ImapTestClient c, String folder, String id, String from, String date) throws Exception {
        c.append(folder, Interop.ascii("From: " + from + "\r\nMessage-ID: <" + id + "@search>\r\n\r\n" + id + "\r\n"),
                Set.of(), Instant.parse(date));
    }
}
