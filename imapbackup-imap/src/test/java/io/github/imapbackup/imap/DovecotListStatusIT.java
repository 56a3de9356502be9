package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.testing.imap.Dovecot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dovecot announces LIST-STATUS (RFC 5819): the folders' statuses come with the LIST, no STATUS is
 * sent per folder, and they are the statuses STATUS gives, folder by folder (names with spaces,
 * quotes and non-ASCII characters, an empty folder, flags changed since: HIGHESTMODSEQ); a run with
 * nothing new sends no STATUS and reports what a run with STATUS reports.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DovecotListStatusIT {

    /** A special-use folder: its attribute comes with a plain LIST, and with an extended one only when asked. */
    private static final String[] TRASH = {"mailbox Trash {", "  special_use = \\Trash", "  auto = create", "}"};

    @RegisterExtension
    static final Dovecot DOVECOT = Dovecot.builder().separator('/').rawlog(true).user(Interop.USER, Interop.PASSWORD)
            .namespaceConfig(TRASH).build();

    /** The same folders on a server that does not announce LIST-STATUS (LIST, then STATUS per folder). */
    @RegisterExtension
    static final Dovecot WITHOUT = Dovecot.builder().separator('/').user(Interop.USER, Interop.PASSWORD)
            .namespaceConfig(TRASH).config("imap_capability = IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE CHILDREN "
                    + "NAMESPACE UIDPLUS SPECIAL-USE CONDSTORE QRESYNC").build();

    /** As sent to Dovecot (modified UTF-7: Entwürfe). */
    private static final List<String> FOLDERS = List.of("INBOX", "Archive/2019", "Entw&APw-rfe", "with \"quotes\" and space",
            "Empty", "Lists/a");

    @TempDir
    Path dir;

    @BeforeAll
    static void account() throws Exception {
        int n = 0;
        for (String folder : FOLDERS) {
            if (!folder.equals("INBOX")) {
                DOVECOT.createFolder(Interop.USER, folder);
                WITHOUT.createFolder(Interop.USER, folder);
            }
            for (int i = 0; folder.equals("Empty") ? false : i <= n; i++) {
                DOVECOT.append(Interop.USER, folder, ("Message-ID: <" + n + "." + i + "@example.org>\r\nSubject: s\r\n\r\n"
                        + "body\r\n").getBytes(StandardCharsets.US_ASCII), i % 2 == 0 ? Set.of("\\Seen") : Set.of(),
                        Instant.parse("2021-03-04T05:06:07Z"));
            }
            n++;
        }
    }

    private static List<String> sent() throws Exception {
        return DOVECOT.clientCommands(Interop.USER).stream().map(c -> c.toUpperCase(Locale.ROOT)).toList();
    }

    /** {@return every folder's status: after a LIST when {@code listFirst}, else by STATUS alone} */
    private static Map<String, FolderStatus> statuses(List<FolderInfo> folders, boolean listFirst) throws Exception {
        Map<String, FolderStatus> out = new LinkedHashMap<>();
        try (SourceConnection c = Interop.source(DOVECOT).build().connect()) {
            if (listFirst) {
                assertThat(c.folders()).containsAll(folders);
            }
            for (FolderInfo f : folders) {
                out.put(f.name(), c.status(f));
            }
        }
        return out;
    }

    @Test
    void theListBringsEveryStatusAndTheyAreThoseOfStatus() throws Exception {
        List<FolderInfo> folders;
        try (SourceConnection c = Interop.source(DOVECOT).build().connect()) {
            assertThat(c.hasCapability("LIST-STATUS")).isTrue();
            folders = c.folders().stream().filter(f -> f.attributes().stream()
                    .noneMatch(a -> a.equalsIgnoreCase("\\Noselect") || a.equalsIgnoreCase("\\NonExistent"))).toList();
        }
        assertThat(folders).extracting(FolderInfo::name).contains("INBOX", "Archive/2019", "Entwürfe",
                "with \"quotes\" and space", "Empty", "Lists/a");

        DOVECOT.clearClientCommands(Interop.USER);
        Map<String, FolderStatus> listed = statuses(folders, true);
        List<String> listedCommands = sent();
        DOVECOT.clearClientCommands(Interop.USER);
        Map<String, FolderStatus> asked = statuses(folders, false);

        assertThat(listedCommands).anyMatch(c -> c.startsWith("LIST \"\" \"*\" RETURN (CHILDREN SPECIAL-USE STATUS "
                + "(MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ))")).noneMatch(c -> c.startsWith("STATUS"));
        assertThat(sent()).filteredOn(c -> c.startsWith("STATUS")).hasSize(folders.size());
        assertThat(listed).isEqualTo(asked);
        assertThat(listed.get("Empty").messages()).isZero();
        assertThat(listed.get("Lists/a").messages()).isEqualTo(6);
        assertThat(listed.values()).allSatisfy(s -> assertThat(s.uidValidity()).isPositive())
                .allSatisfy(s -> assertThat(s.highestModSeq()).isPositive());
    }

    @Test
    void theListedMessageCountsAreThoseOfStatusAndLeaveTheStatusesToHandOut() throws Exception {
        try (SourceConnection c = Interop.source(DOVECOT).build().connect()) {
            List<FolderInfo> folders = c.folders().stream().filter(f -> f.attributes().stream()
                    .noneMatch(a -> a.equalsIgnoreCase("\\Noselect") || a.equalsIgnoreCase("\\NonExistent"))).toList();
            FolderInfo lists = folders.stream().filter(f -> f.name().equals("Lists/a")).findFirst().orElseThrow();
            assertThat(c.listedMessages(lists)).hasValue(6);
            DOVECOT.clearClientCommands(Interop.USER);
            for (FolderInfo f : folders) {
                long listed = c.listedMessages(f).orElseThrow();
                assertThat(c.status(f).messages()).as(f.name()).isEqualTo(listed);
            }
            assertThat(sent()).as("the counts did not use the listed statuses up").noneMatch(x -> x.startsWith("STATUS"));
        }
        try (SourceConnection c = Interop.source(WITHOUT).build().connect()) {
            FolderInfo inbox = c.folders().stream().filter(f -> f.name().equals("INBOX")).findFirst().orElseThrow();
            assertThat(c.listedMessages(inbox)).as("without LIST-STATUS the listing counts nothing").isEmpty();
        }
    }

    @Test
    void theFoldersAndTheirAttributesAreThoseOfAPlainList() throws Exception {
        List<FolderInfo> extended;
        List<FolderInfo> plain;
        try (SourceConnection c = Interop.source(DOVECOT).build().connect()) {
            extended = c.folders();
        }
        try (SourceConnection c = Interop.source(WITHOUT).build().connect()) {
            assertThat(c.hasCapability("LIST-STATUS")).isFalse();
            plain = c.folders();
        }
        assertThat(extended).containsExactlyInAnyOrderElementsOf(plain);
        assertThat(extended).filteredOn(f -> f.name().equals("Trash")).singleElement()
                .satisfies(f -> assertThat(f.attributes()).contains("\\Trash"));
        assertThat(extended).filteredOn(f -> f.name().equals("Lists")).singleElement()
                .satisfies(f -> assertThat(f.attributes()).contains("\\Noselect"));
    }

    @Test
    void aListedStatusIsHandedOutOnceAndThenStatusIsAskedAgain() throws Exception {
        DOVECOT.clearClientCommands(Interop.USER); // a connection's raw log starts with it
        try (SourceConnection c = Interop.source(DOVECOT).build().connect()) {
            FolderInfo inbox = c.folders().stream().filter(f -> f.name().equals("INBOX")).findFirst().orElseThrow();
            assertThat(c.status(inbox)).isEqualTo(c.status(inbox));
        }
        assertThat(sent()).filteredOn(s -> s.startsWith("STATUS")).hasSize(1)
                .allMatch(s -> s.startsWith("STATUS \"INBOX\""));
    }

    @Test
    void aRunWithNothingNewSendsNoStatusAndReportsTheSame() throws Exception {
        BackupReport full = Interop.backup(Interop.source(DOVECOT).build(), dir);
        assertThat(full.allErrors()).isEmpty();
        DOVECOT.clearClientCommands(Interop.USER);

        BackupReport again = Interop.backup(Interop.source(DOVECOT).build(), dir);

        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesCopied()).isZero();
        assertThat(again.totals().messagesOnSource()).isEqualTo(full.totals().messagesOnSource()).isEqualTo(16);
        assertThat(again.folders()).extracting(f -> f.name()).doesNotContain("Lists", "Archive");
        assertThat(sent()).noneMatch(c -> c.matches("^(STATUS|EXAMINE|SELECT)\\b.*"));
    }
}
