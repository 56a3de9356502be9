package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.mbox.ArchiveSelection;
import io.github.imapbackup.testing.imap.Dovecot;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Back up a Dovecot account of varied mail, restore it into an empty account of a Dovecot with
 * the other hierarchy delimiter, back that up: both backups hold the same folders (by name
 * segments) and the same messages (bytes, INTERNALDATE, flags and keywords; copies counted). A
 * second restore adds nothing; under a prefix the tree lands one level down.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DovecotRoundTripIT {

    static final String SOURCE = "roundtrip";

    @RegisterExtension
    static final Dovecot SLASH = targets(Dovecot.builder().separator('/').user(SOURCE, "Slash-s3cret")).build();

    @RegisterExtension
    static final Dovecot DOT = targets(Dovecot.builder().separator('.').user(SOURCE, "Dot-s3cret")).build();

    /** Dovecot storing mail in mbox files: a mailbox holds messages or other mailboxes, never both. */
    @RegisterExtension
    static final Dovecot MBOX = targets(Dovecot.builder().separator('/').mailFormat(Dovecot.MailFormat.MBOX)
            .user(SOURCE, "Mbox-s3cret")).build();

    static final String NO_FINAL_LINE_END = "Message-ID: <nofinal@varied>\r\nSubject: no final\r\n\r\nno line end";

    /**
     * Dovecot's mbox storage: the parents of nested folders are made directories, and the message
     * without final line end gets one there (an mbox cannot keep it without), which a second
     * restore still recognises.
     */
    @Test
    void intoDovecotsMboxStorageNestedFoldersArriveAndASecondRestoreAddsNothing(@TempDir Path first,
            @TempDir Path second) throws Exception {
        List<String> expected = backUpSource(SLASH, first).stream().map(l -> l.replace(
                Interop.sha256(VariedMail.bytes(NO_FINAL_LINE_END)),
                Interop.sha256(VariedMail.bytes(NO_FINAL_LINE_END + "\r\n")))).sorted().toList();
        BackupReport restore = Restores.restore(first, MBOX, "restored-slash");
        assertThat(restore.allErrors()).isEmpty();
        assertThat(restore.totals().messagesCopied()).isEqualTo(expected.size());
        assertThat(Restores.backup(MBOX, "restored-slash", second).allErrors()).isEmpty();
        assertThat(Restores.contents(second)).containsExactlyElementsOf(expected);
        assertThat(Restores.restore(first, MBOX, "restored-slash").totals().messagesCopied()).isZero();
    }

    /** The target accounts, added up front: Dovecot rereads its password file once a second at most. */
    static Dovecot.Builder targets(Dovecot.Builder b) {
        for (String user : List.of("restored-slash", "restored-dot", "prefixed-slash", "prefixed-dot", "planned",
                "gzip", "bzip2", "dotted")) {
            b.user(user, "Restore-s3cret");
        }
        return b;
    }

    static Dovecot server(char separator) {
        return separator == '/' ? SLASH : DOT;
    }

    static Dovecot other(char separator) {
        return separator == '/' ? DOT : SLASH;
    }

    /** Fills the source account of {@code d} once and backs it up into {@code dir}. */
    static List<String> backUpSource(Dovecot d, Path dir) throws Exception {
        synchronized (d) {
            if (Restores.counts(d, SOURCE).getOrDefault("INBOX", 0L) == 0) {
                VariedMail.fill(d, SOURCE);
            }
        }
        BackupReport report = Restores.backup(d, SOURCE, dir);
        assertThat(report.allErrors()).isEmpty();
        List<String> contents = Restores.contents(dir);
        assertThat(contents).hasSize(10);
        assertThat(contents).filteredOn(l -> l.startsWith("Archive > 2020 | ")).hasSize(3);
        assertThat(contents).as("exact bytes, date and flags are in the backup to compare").contains(
                "Archive > 2019 > Q3 | " + Interop.sha256(VariedMail.bytes(
                        NO_FINAL_LINE_END))
                        + " | 2019-08-01T00:00:00Z | [Later, Work, \\Seen]",
                "Sent | " + Interop.sha256(VariedMail.bytes(
                        "Message-ID: <sent@varied>\r\nTo: b@example.org\r\nSubject: sent\r\n\r\nsent\r\n"))
                        + " | 2016-12-31T23:59:59Z | [$Forwarded, Work, \\Answered, \\Draft, \\Flagged, \\Seen]");
        return contents;
    }

    @ParameterizedTest
    @ValueSource(chars = {'/', '.'})
    void aRestoredAccountBacksUpToTheSameFoldersBytesFlagsAndDatesAndASecondRestoreAddsNothing(char from,
            @TempDir Path first, @TempDir Path second) throws Exception {
        List<String> expected = backUpSource(server(from), first);
        Dovecot to = other(from);
        String user = "restored-" + (from == '/' ? "slash" : "dot");

        BackupReport restore = Restores.restore(first, to, user);
        assertThat(restore.command()).isEqualTo("restore");
        assertThat(restore.allErrors()).isEmpty();
        assertThat(restore.totals().messagesCopied()).isEqualTo(expected.size());
        assertThat(restore.totals().flagsDropped()).isZero();
        assertThat(Restores.counts(to, user)).containsEntry("Archive" + to.separator() + "2019" + to.separator() + "Q3", 2L)
                .containsEntry("Entw&APw-rfe", 1L);

        assertThat(Restores.backup(to, user, second).allErrors()).isEmpty();
        assertThat(Restores.contents(second)).containsExactlyElementsOf(expected);

        BackupReport again = Restores.restore(first, to, user);
        assertThat(again.allErrors()).isEmpty();
        assertThat(again.totals().messagesCopied()).as("a second restore adds nothing").isZero();
        assertThat(again.totals().messagesSkipped()).isEqualTo(expected.size());
        assertThat(Restores.counts(to, user).values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(expected.size());
    }

    @ParameterizedTest
    @ValueSource(chars = {'/', '.'})
    void underAPrefixTheTreeLandsOneLevelDownWithTheTargetsDelimiter(char from, @TempDir Path first,
            @TempDir Path second) throws Exception {
        List<String> expected = backUpSource(server(from), first);
        Dovecot to = other(from);
        String user = "prefixed-" + (from == '/' ? "slash" : "dot");
        ImapTarget target = ImapTarget.builder(Restores.account(to, user)).prefix("Restored").build();

        BackupReport restore = Restores.restore(first, ArchiveSelection.all(), target);
        assertThat(restore.allErrors()).isEmpty();
        assertThat(restore.totals().messagesCopied()).isEqualTo(expected.size());
        char t = to.separator();
        java.util.Map<String, Long> held = new java.util.TreeMap<>(Restores.counts(to, user));
        held.values().removeIf(n -> n == 0);
        assertThat(held).as("folders holding mail").containsOnlyKeys("Restored" + t + "INBOX",
                "Restored" + t + "Archive" + t + "2019" + t + "Q3", "Restored" + t + "Archive" + t + "2020",
                "Restored" + t + "Entw&APw-rfe", "Restored" + t + "Sent")
                .containsEntry("Restored" + t + "INBOX", 3L);

        assertThat(Restores.backup(to, user, second).allErrors()).isEmpty();
        assertThat(Restores.contents(second)).containsExactlyElementsOf(Restores.underPrefix(expected, "Restored"));
        assertThat(Restores.restore(first, ArchiveSelection.all(), target).totals().messagesCopied()).isZero();
    }

    @Test
    void aDryRunReportsWhatARestoreWouldCopyAndWritesNothing(@TempDir Path first) throws Exception {
        List<String> expected = backUpSource(SLASH, first);
        ImapTarget target = ImapTarget.builder(Restores.account(DOT, "planned")).build();
        BackupReport plan = RestoreSession.builder().source(MboxStore.builder(first).build().asSource())
                .target(target).build().plan();
        assertThat(plan.dryRun()).isTrue();
        assertThat(plan.allErrors()).isEmpty();
        assertThat(plan.totals().messagesCopied()).isEqualTo(expected.size());
        assertThat(Restores.counts(DOT, "planned")).as("no folder created, nothing appended")
                .containsExactly(java.util.Map.entry("INBOX", 0L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "bzip2"}) // the codecs this module has; xz and zstd are optional modules
    void aCompressedBackupRestoresTheSame(String codec, @TempDir Path plain, @TempDir Path compressed,
            @TempDir Path second) throws Exception {
        List<String> expected = backUpSource(SLASH, plain);
        assertThat(Restores.backup(SLASH, SOURCE, MboxStore.builder(compressed).codec(codec).build()).allErrors())
                .isEmpty();
        assertThat(Restores.contents(compressed)).containsExactlyElementsOf(expected);
        BackupReport restore = Restores.restore(compressed, DOT, codec);
        assertThat(restore.allErrors()).isEmpty();
        assertThat(Restores.backup(DOT, codec, second).allErrors()).isEmpty();
        assertThat(Restores.contents(second)).containsExactlyElementsOf(expected);
        assertThat(Restores.restore(compressed, DOT, codec).totals().messagesCopied()).isZero();
    }

    /** From Dovecot's mbox storage (its maildir refuses a '.' in a name) to an account delimited by '.'. */
    @Test
    void aFolderWhoseNameHoldsTheTargetsDelimiterFailsAloneWithItsName(@TempDir Path dir) throws Exception {
        try (io.github.imapbackup.testing.imap.ImapTestClient c = MBOX.login("dotted")) {
            c.createFolder("Release v1.2");
            c.append("Release v1.2", Interop.ascii("Message-ID: <r@dotted>\r\n\r\nr\r\n"), java.util.Set.of(), null);
            c.append("INBOX", Interop.ascii("Message-ID: <i@dotted>\r\n\r\ni\r\n"), java.util.Set.of(), null);
        }
        assertThat(Restores.backup(MBOX, "dotted", dir).allErrors()).isEmpty();
        BackupReport restore = Restores.restore(dir, DOT, "dotted");
        assertThat(restore.hasFailures()).isTrue();
        assertThat(restore.allErrors()).singleElement().satisfies(e -> {
            assertThat(e.folder()).isEqualTo("Release v1.2");
            assertThat(e.message()).contains("Release v1.2");
        });
        assertThat(restore.totals().messagesCopied()).isEqualTo(1);
        assertThat(Restores.counts(DOT, "dotted")).containsExactly(java.util.Map.entry("INBOX", 1L));
    }
}
