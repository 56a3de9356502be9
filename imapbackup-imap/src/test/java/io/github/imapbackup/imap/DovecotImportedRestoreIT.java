package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.transfer.MboxImporter;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another program's mbox file (Thunderbird's: bare line feeds, {@code From - } separators, flags
 * and tags in {@code X-Mozilla-Status}/{@code X-Mozilla-Keys}) imported into a backup directory and
 * restored into Dovecot: the flags its headers carried, the date of its From_ line, and a second
 * restore adds nothing although Dovecot counts RFC822.SIZE with CRLF line ends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DovecotImportedRestoreIT {

    static final String USER = "imported";

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().separator('.').user(USER, "Imp-s3cret").build();

    static final String THUNDERBIRD = """
            From - Sat Nov 21 23:39:50 2020
            X-Mozilla-Status: 0003
            X-Mozilla-Status2: 00000000
            X-Mozilla-Keys: $label1 work
            Message-ID: <tb1@import>
            Date: Sat, 21 Nov 2020 23:39:50 +0000
            Subject: read and replied

            first body
            >From the quoted line

            From - Sun Nov 22 08:00:00 2020
            X-Mozilla-Status: 0000
            Subject: no id, unread

            second body

            From - Mon Nov 23 09:30:00 2020
            X-Mozilla-Status: 0004
            Message-ID: <tb3@import>
            Subject: flagged

            third body
            third body
            """;

    @Test
    void aThunderbirdFileRestoresWithItsFlagsAndDatesAndASecondRestoreAddsNothing(@TempDir Path dir,
            @TempDir Path files) throws Exception {
        Path file = Files.writeString(files.resolve("Inbox"), THUNDERBIRD, StandardCharsets.UTF_8);
        BackupReport imported = MboxImporter.builder(MboxStore.builder(dir).codec("none").build()).build()
                .importFiles(List.of(file), "Imported/Thunderbird");
        assertThat(imported.allErrors()).isEmpty();
        assertThat(imported.totals().messagesCopied()).isEqualTo(3);

        BackupReport restore = Restores.restore(dir, DOVECOT, USER);
        assertThat(restore.allErrors()).isEmpty();
        assertThat(restore.totals().messagesCopied()).isEqualTo(3);
        String folder = "Imported.Thunderbird";
        try (ImapTestClient c = DOVECOT.login(USER)) {
            assertThat(new ArrayList<>(new TreeMap<>(c.flags(folder)).values())).containsExactly(
                    Set.of("\\Seen", "\\Answered", "$label1", "work"), Set.of(), Set.of("\\Flagged"));
            String dates = c.command("UID FETCH 1:* (INTERNALDATE)").toString();
            assertThat(dates).contains("21-Nov-2020 23:39:50 +0000", "22-Nov-2020 08:00:00 +0000",
                    "23-Nov-2020 09:30:00 +0000");
        }

        BackupReport again = Restores.restore(dir, DOVECOT, USER);
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesCopied()).as("Dovecot's CRLF sizes still match the bare-LF archive")
                .isZero();
        assertThat(Restores.counts(DOVECOT, USER)).containsEntry(folder, 3L);
    }
}
