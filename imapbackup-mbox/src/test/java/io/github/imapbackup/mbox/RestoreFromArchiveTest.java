package io.github.imapbackup.mbox;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.RestoreSession;
import io.github.imapbackup.spi.MessageTarget;
import io.github.imapbackup.testing.DirectoryTarget;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A restore from a real backup directory ({@link MboxStore#asSource()}) into targets over real
 * files: an account-like target (no SHA-256, UIDs) and a second backup directory. The server's
 * bytes, INTERNALDATE and flags come back; a second restore adds nothing; copies are counted.
 */
@Timeout(60)
class RestoreFromArchiveTest {

    private static final Logger log = LoggerFactory.getLogger(RestoreFromArchiveTest.class);
    private static final Instant DATE = Instant.parse("2020-02-03T04:05:06Z");

    @TempDir
    Path tmp;

    private final MemorySource server = new MemorySource("server");
    private int serial;

    private byte[] message(String id) {
        serial++;
        return ("From: Ann <ann@example.org>\r\nMessage-ID: <" + id + "@example.org>\r\nSubject: " + serial
                + "\r\n\r\nFrom here\r\n>From there\r\nbody " + serial + (serial % 2 == 0 ? "" : "\r\n"))
                .getBytes(ISO_8859_1);
    }

    /** Backs up the server into a new backup directory. */
    private MboxStore backup(String codec) throws BackupException {
        MboxStore store = MboxStore.builder(tmp.resolve("backup-" + codec)).codec(codec).build();
        BackupReport r = BackupSession.builder().source(server).target(store).build().run();
        assertThat(r.hasFailures()).isFalse();
        return store;
    }

    private static BackupReport restore(MboxStore from, MessageTarget to) throws BackupException {
        return RestoreSession.builder().source(from.asSource()).target(to).build().run();
    }

    /** Each server folder's messages: bytes, INTERNALDATE and flags (without \Recent), in UID order. */
    private List<String> onServer() {
        List<String> out = new ArrayList<>();
        for (String name : List.of("INBOX", "Archive/2019", "Sent")) {
            MemoryFolder f = server.folder(name);
            for (long uid : f.uids()) {
                TreeSet<String> flags = new TreeSet<>(f.flagsOf(uid));
                flags.remove("\\Recent");
                out.add(name + " " + new String(f.content(uid), ISO_8859_1) + " " + flags);
            }
        }
        return out;
    }

    private static List<String> inAccount(DirectoryTarget account) {
        List<String> out = new ArrayList<>();
        for (String name : List.of("INBOX", "Archive/2019", "Sent")) {
            for (ArchivedMessage m : account.messages(name)) {
                out.add(name + " " + new String(account.content(name, m), ISO_8859_1) + " "
                        + new TreeSet<>(m.flags()));
            }
        }
        return out;
    }

    private void fill() {
        server.folder("INBOX").add(message("a"), DATE, "ann@example.org", "\\Seen", "$Label1", "\\Recent");
        server.folder("INBOX").add(message("b"), DATE.plusSeconds(1), null);
        server.folder("Archive/2019").add(message("c"), DATE.plusSeconds(2), null, "\\Flagged");
        server.folder("Sent").add(message("d"), DATE.plusSeconds(3), null, "\\Seen");
        server.folder("Sent").add(message("e"), DATE.plusSeconds(4), null);
    }

    @Test
    void aBackupDirectoryRestoresWithTheServersBytesDatesAndFlagsAndASecondRestoreAddsNothing() throws Exception {
        fill();
        for (String codec : List.of("none", "gzip")) {
            MboxStore backup = backup(codec);
            DirectoryTarget account = new DirectoryTarget(tmp.resolve("account-" + codec));

            BackupReport first = restore(backup, account);

            assertThat(first.allErrors()).isEmpty();
            assertThat(first.command()).isEqualTo("restore");
            assertThat(first.totals().messagesCopied()).isEqualTo(5);
            assertThat(inAccount(account)).as(codec).isEqualTo(onServer());
            assertThat(account.messages("INBOX")).extracting(ArchivedMessage::internalDate)
                    .containsExactly(DATE, DATE.plusSeconds(1));
            assertThat(account.messages("Sent").get(1).internalDate()).isEqualTo(DATE.plusSeconds(4));

            BackupReport second = restore(backup, account);
            assertThat(second.totals().messagesCopied()).isZero();
            assertThat(second.totals().messagesSkipped()).isEqualTo(5);
            assertThat(account.appends()).isEqualTo(5);
        }
    }

    @Test
    void aMessageHeldTwiceIsRestoredTwiceNeverThreeTimes() throws Exception {
        byte[] twice = message("twice");
        server.folder("INBOX").add(twice);
        server.folder("INBOX").add(message("other"));
        DirectoryTarget account = new DirectoryTarget(tmp.resolve("account"));
        restore(backup("none"), account);
        assertThat(account.messages("INBOX")).hasSize(2);

        server.folder("INBOX").add(twice); // the account holds one copy, the new backup two
        MboxStore later = backup("gzip");
        BackupReport r = restore(later, account);

        assertThat(r.totals().messagesCopied()).isEqualTo(1);
        assertThat(account.messages("INBOX")).hasSize(3);
        assertThat(restore(later, account).totals().messagesCopied()).isZero();
        assertThat(account.messages("INBOX")).hasSize(3);
    }

    @Test
    void aSecondBackupDirectoryIsATargetToo() throws Exception {
        fill();
        MboxStore backup = backup("none");
        MboxStore copy = MboxStore.builder(tmp.resolve("copy")).codec("gzip").build();

        BackupReport first = RestoreSession.builder().source(backup.asSource()).target(copy).connections(2)
                .build().run();

        assertThat(first.allErrors()).isEmpty();
        assertThat(first.totals().messagesCopied()).isEqualTo(5);
        assertThat(restore(backup, copy).totals().messagesCopied()).isZero();
        try (BackupArchive archive = copy.read()) {
            assertThat(archive.verify().ok()).isTrue();
            FolderInfo inbox = archive.folders().stream().filter(f -> f.name().equals("INBOX")).findFirst()
                    .orElseThrow();
            List<StoredMessage> messages = archive.messages(inbox).toList();
            assertThat(messages).hasSize(2);
            try (InputStream in = archive.open(messages.get(0))) {
                assertThat(in.readAllBytes()).isEqualTo(server.folder("INBOX").content(1));
            }
            assertThat(messages.get(0).message().internalDate()).isEqualTo(DATE);
            assertThat(messages.get(0).message().flags()).containsExactlyInAnyOrder("\\Seen", "$Label1");
        }
    }

    @Test
    void aMessageWhoseBytesNoLongerMatchTheIndexFailsAloneAndTheOthersAreRestored() throws Exception {
        server.folder("INBOX").add(message("a"));
        server.folder("INBOX").add(message("b"));
        server.folder("INBOX").add(message("c"));
        MboxStore backup = backup("none");
        Path mbox = tmp.resolve("backup-none/INBOX.mbox");
        byte[] bytes = java.nio.file.Files.readAllBytes(mbox);
        int at = new String(bytes, ISO_8859_1).indexOf("body 2");
        bytes[at] ^= 0x20;
        java.nio.file.Files.write(mbox, bytes);
        DirectoryTarget account = new DirectoryTarget(tmp.resolve("account"));

        BackupReport r = restore(backup, account);

        assertThat(r.totals().messagesCopied()).isEqualTo(2);
        assertThat(r.allErrors()).singleElement().satisfies(e -> {
            assertThat(e.folder()).isEqualTo("INBOX");
            assertThat(e.uid()).isEqualTo(2);
            assertThat(e.message()).contains("INBOX.mbox").contains("do not match");
        });
        assertThat(account.messages("INBOX")).hasSize(2);
    }

    /** The snippet of {@link RestoreSession}'s Javadoc, kept compiling here (it names a directory of the caller's). */
    static BackupReport snippet(MessageTarget account) throws BackupException {
        MboxStore backup = MboxStore.builder(Path.of("backup")).build();
        BackupReport report = RestoreSession.builder()
                .source(backup.asSource())
                .target(account)              // e.g. ImapTarget.builder(imapSource).prefix("Restored").build()
                .folders("INBOX", "Sent")
                .build()
                .run();
        log.info("{} restored, {} already there", report.totals().messagesCopied(),
                report.totals().messagesSkipped());
        return report;
    }
}
