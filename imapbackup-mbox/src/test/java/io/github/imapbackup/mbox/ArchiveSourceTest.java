package io.github.imapbackup.mbox;

import static io.github.imapbackup.mbox.StoreFixtures.EXTRACTOR;
import static io.github.imapbackup.mbox.StoreFixtures.INBOX;
import static io.github.imapbackup.mbox.StoreFixtures.Q3;
import static io.github.imapbackup.mbox.StoreFixtures.newMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderStatus;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.MessageSource;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A backup directory read as a source: a backup of it copies every message exactly once, bytes, flags and dates intact. */
@Timeout(60)
class ArchiveSourceTest {

    @TempDir
    Path tmp;

    private static final FolderInfo SENT = new FolderInfo("INBOX/Sent", "/", Set.of(), true);

    private static void store(MboxStore store, FolderInfo folder, long fromUid, int n) throws IOException {
        store(store, folder, fromUid, n, "");
    }

    private static void store(MboxStore store, FolderInfo folder, long fromUid, int n, String field)
            throws IOException {
        try (FolderArchive a = store.open(folder)) {
            for (long uid = fromUid; uid < fromUid + n; uid++) {
                byte[] b = ("From: Ann <ann@example.org>\r\nMessage-ID: <" + folder.name() + uid + "@x>\r\n" + field
                        + "\r\n"
                        + "From here\r\n>From there\r\nbody " + uid + (uid == 2 ? "" : "\r\n"))
                        .getBytes(StandardCharsets.ISO_8859_1);
                a.append(newMessage(7, uid, b), new ByteArrayInputStream(b));
            }
        }
    }

    /** Each folder's messages as SHA-256, flags and INTERNALDATE, in mbox order. */
    private static List<String> contents(MboxStore store) throws IOException {
        List<String> out = new ArrayList<>();
        try (BackupArchive archive = store.read()) {
            for (FolderInfo f : archive.folders()) {
                for (StoredMessage m : archive.messages(f).toList()) {
                    try (InputStream in = archive.open(m)) {
                        out.add(f.name() + " " + StoreFixtures.sha256(in.readAllBytes()) + " "
                                + new java.util.TreeSet<>(m.message().flags()) + " " + m.message().internalDate()
                                + " " + m.message().identity());
                    }
                }
            }
        }
        return out;
    }

    private static BackupReport backup(MessageSource source, MboxStore target) throws Exception {
        return BackupSession.builder().source(source).target(target).build().run();
    }

    @Test
    void aBackupFromABackupDirectoryCopiesEveryMessageOnceWithBytesFlagsAndDates() throws Exception {
        MboxStore from = MboxStore.builder(tmp.resolve("from")).build();
        store(from, INBOX, 1, 4);
        store(MboxStore.builder(tmp.resolve("from")).codec("gzip").build(), Q3, 1, 3);
        store(from, SENT, 1, 2);
        MboxStore to = MboxStore.builder(tmp.resolve("to")).build();

        BackupReport first = backup(from.asSource(), to);
        assertThat(first.allErrors()).isEmpty();
        assertThat(first.totals().messagesCopied()).isEqualTo(9);
        assertThat(contents(to)).isEqualTo(contents(from)).hasSize(9);
        assertThat(Files.readString(tmp.resolve("to/INBOX.mbox"), StandardCharsets.ISO_8859_1))
                .startsWith("From ann@example.org Sat Nov 21 23:40:51 2026\n").contains("\n>From here\r\n>>From there");

        BackupReport second = backup(from.asSource(), to);
        assertThat(second.allErrors()).isEmpty();
        assertThat(second.totals().messagesCopied()).isZero();
        assertThat(second.totals().messagesOnSource()).isEqualTo(9);

        store(from, INBOX, 5, 1);
        BackupReport third = backup(from.asSource(), to);
        assertThat(third.totals().messagesCopied()).isEqualTo(1);
        assertThat(contents(to)).isEqualTo(contents(from)).hasSize(10);
        try (BackupArchive archive = to.read()) {
            assertThat(archive.verify().ok()).isTrue();
        }
    }

    @Test
    void theSourceListsFoldersWithAStableStatusAndUidsByPosition() throws Exception {
        MboxStore from = MboxStore.builder(tmp.resolve("from")).build();
        store(from, INBOX, 1, 3);
        MessageSource source = from.asSource();
        assertThat(source.describe()).contains("from");
        FolderStatus status;
        try (SourceConnection c = source.connect()) {
            assertThat(c.folders()).extracting(FolderInfo::name).containsExactly("INBOX");
            status = c.status(c.folders().get(0));
            assertThat(status.messages()).isEqualTo(3);
            assertThat(status.uidNext()).isEqualTo(4);
            try (SourceFolder f = c.open(c.folders().get(0))) {
                assertThat(f.uids()).containsExactly(1, 2, 3);
                assertThat(f.messages(3)).singleElement().satisfies(m -> {
                    assertThat(m.uid()).isEqualTo(3);
                    assertThat(m.flags()).containsExactlyInAnyOrder("\\Seen", "$Label,1");
                    assertThat(m.sender()).as("left to an mbox target, which reads it as it writes").isNull();
                });
                try (InputStream in = f.openMessage(2)) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).endsWith("body 2");
                }
            }
        }
        try (SourceConnection c = source.connect()) {
            assertThat(c.status(c.folders().get(0))).isEqualTo(status);
        }
    }

    @Test
    void aCorruptedMessageIsReportedAndNotCopied() throws Exception {
        MboxStore from = MboxStore.builder(tmp.resolve("from")).build();
        store(from, INBOX, 1, 3);
        Path mbox = tmp.resolve("from/INBOX.mbox");
        byte[] bytes = Files.readAllBytes(mbox);
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("body 3");
        bytes[at] ^= 0x20;
        Files.write(mbox, bytes);
        MboxStore to = MboxStore.builder(tmp.resolve("to")).build();
        BackupReport r = backup(from.asSource(), to);
        assertThat(r.totals().messagesCopied()).isEqualTo(2);
        assertThat(r.allErrors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("INBOX.mbox").contains("do not match"));
        assertThat(contents(to)).hasSize(2);
    }

    @Test
    void listingAFolderReadsNoMessage() throws Exception {
        assumeTrue(Files.isReadable(PROC_IO), "needs Linux's " + PROC_IO);
        MboxStore from = MboxStore.builder(tmp.resolve("from")).build();
        int n = 400;
        store(from, INBOX, 1, n, "X-Filler: " + "x".repeat(4000) + "\r\n");
        long mboxSize = Files.size(tmp.resolve("from/INBOX.mbox"));
        try (SourceConnection c = from.asSource().connect();
                SourceFolder f = c.open(c.folders().get(0))) {
            assertThat(f.messages(1)).hasSize(n); // classes loaded, index read
            long before = bytesRead();
            assertThat(f.messages(1)).hasSize(n);
            long read = bytesRead() - before;
            assertThat(read).as("bytes read while listing %d messages (%d bytes in the mbox)", n, mboxSize)
                    .isLessThan(mboxSize / 10);
        }
    }

    @Test
    void mboxTargetsStillWriteTheSenderOfTheHeader() throws Exception {
        MboxStore from = MboxStore.builder(tmp.resolve("from")).build();
        store(from, INBOX, 1, 3);
        MboxStore gzip = MboxStore.builder(tmp.resolve("gzip")).codec("gzip").build();
        assertThat(backup(from.asSource(), gzip).totals().messagesCopied()).isEqualTo(3);
        assertThat(senders(tmp.resolve("gzip/INBOX.mbox.gz"))).containsExactly("ann@example.org", "ann@example.org",
                "ann@example.org");

        Path out = tmp.resolve("export");
        BackupReport r = io.github.imapbackup.mbox.transfer.MboxExporter.builder(from).build()
                .exportMbox(out, io.github.imapbackup.mbox.format.Dialect.MBOXRD,
                        io.github.imapbackup.mbox.codec.Codecs.NONE);
        assertThat(r.allErrors()).isEmpty();
        assertThat(senders(out.resolve("INBOX.mbox"))).containsExactly("ann@example.org", "ann@example.org",
                "ann@example.org");
    }

    private static final Path PROC_IO = Path.of("/proc/self/io");

    /** Bytes this process read through system calls (Linux). */
    private static long bytesRead() throws IOException {
        return Files.readAllLines(PROC_IO).stream().filter(l -> l.startsWith("rchar:"))
                .mapToLong(l -> Long.parseLong(l.substring("rchar:".length()).trim())).findFirst().orElseThrow();
    }

    private static List<String> senders(Path mbox) throws IOException {
        List<String> out = new ArrayList<>();
        try (io.github.imapbackup.mbox.format.MboxReader r = io.github.imapbackup.mbox.format.MboxReader.open(mbox)) {
            for (var e = r.next(); e != null; e = r.next()) {
                out.add(e.sender());
                e.content().close();
            }
        }
        return out;
    }
}
