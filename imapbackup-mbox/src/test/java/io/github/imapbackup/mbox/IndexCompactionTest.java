package io.github.imapbackup.mbox;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.MemoryFolder;
import io.github.imapbackup.testing.MemorySource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that gives a new UIDVALIDITY to every session (Courier with read-only sessions): every
 * run adopts every message again, and the index is compacted so it does not grow without bound.
 */
@Timeout(120)
class IndexCompactionTest {

    private static final FolderInfo INBOX = new FolderInfo("INBOX", "/", Set.of(), true);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip"})
    void aNewUidValidityOnEveryRunKeepsTheIndexBounded(String codec) throws Exception {
        MemorySource source = new MemorySource();
        MemoryFolder inbox = source.folder("INBOX");
        for (int i = 0; i < 30; i++) {
            inbox.add(("Message-ID: <m" + i + "@x>\r\nSubject: " + i + "\r\n\r\nbody " + i
                    + (i % 3 == 0 ? "" : "\r\n")).getBytes(ISO_8859_1), i % 2 == 0 ? "\\Seen" : "\\Flagged");
        }
        inbox.expunge(inbox.uids()[4]);
        MboxStore store = MboxStore.builder(dir).codec(codec).build();
        BackupSession session = BackupSession.builder().source(source).target(store).build();
        assertThat(session.run().totals().messagesCopied()).isEqualTo(29);
        Path index = dir.resolve("INBOX.mbox.index");
        Path mbox = dir.resolve("INBOX.mbox" + (codec.equals("gzip") ? ".gz" : ""));
        long first = Files.size(index);
        byte[] mboxBytes = Files.readAllBytes(mbox);
        long largest = 0;
        for (int run = 0; run < 20; run++) {
            inbox.uidValidity(inbox.uidValidity() + 1);
            if (run == 7) {
                inbox.flags(inbox.uids()[0], "\\Answered");
            }
            BackupReport r = session.run();
            assertThat(r.allErrors()).isEmpty();
            assertThat(r.totals().messagesCopied()).as("run " + run).isZero();
            largest = Math.max(largest, Files.size(index));
            assertThat(Files.size(index)).as("run " + run + ", first " + first).isLessThan(3 * first);
        }
        assertThat(Files.readAllBytes(mbox)).isEqualTo(mboxBytes);
        try (FolderArchive a = store.openReadOnly(INBOX).orElseThrow()) {
            List<ArchivedMessage> live = a.messages().stream()
                    .filter(m -> m.uidValidity() == inbox.uidValidity()).toList();
            assertThat(live.stream().map(ArchivedMessage::uid).toList())
                    .isEqualTo(MemorySource.list(inbox.uids()));
            assertThat(a.messages()).hasSize(29);
            for (ArchivedMessage m : live) {
                assertThat(m.flags()).isEqualTo(inbox.flagsOf(m.uid()));
                try (InputStream in = a.openMessage(m)) {
                    assertThat(in.readAllBytes()).isEqualTo(inbox.content(m.uid()));
                }
            }
        }
        assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(DirectoryLayout.RECORD, "INBOX.mbox" + (codec.equals("gzip") ? ".gz" : ""),
                            "INBOX.mbox.index", "INBOX.mbox.isum");
        }
    }

    @org.junit.jupiter.api.Test
    void anAdoptionThatChangesNothingWritesNoRecord() throws Exception {
        MboxStore store = MboxStore.builder(dir).build();
        byte[] m = "Message-ID: <a@x>\r\n\r\nbody\r\n".getBytes(ISO_8859_1);
        try (FolderArchive a = store.open(INBOX, StoreFixtures.EXTRACTOR)) {
            a.append(StoreFixtures.newMessage(9, 1, m), new java.io.ByteArrayInputStream(m));
        }
        Path index = dir.resolve("INBOX.mbox.index");
        long size = Files.size(index);
        try (FolderArchive a = store.open(INBOX, StoreFixtures.EXTRACTOR)) {
            ArchivedMessage e = a.messages().get(0);
            a.adopt(e, e.uidValidity(), e.uid(), e.flags());
            a.adopt(e, e.uidValidity(), e.uid(), e.flags(), e.length(), e.sha256());
        }
        assertThat(Files.size(index)).isEqualTo(size);
        try (FolderArchive a = store.open(INBOX, StoreFixtures.EXTRACTOR)) {
            ArchivedMessage e = a.messages().get(0);
            a.adopt(e, e.uidValidity() + 1, e.uid(), e.flags());
        }
        assertThat(Files.size(index)).isGreaterThan(size);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aCompactionCutShortLeavesAUsableIndex(boolean tornTemp) throws Exception {
        MemorySource source = new MemorySource();
        MemoryFolder inbox = source.folder("INBOX");
        for (int i = 0; i < 5; i++) {
            inbox.add(("Message-ID: <m" + i + "@x>\r\n\r\nbody\r\n").getBytes(ISO_8859_1));
        }
        MboxStore store = MboxStore.builder(dir).build();
        BackupSession session = BackupSession.builder().source(source).target(store).build();
        session.run();
        Path index = dir.resolve("INBOX.mbox.index");
        // a crash during a compaction leaves the old index and a temporary file, whole or torn
        byte[] old = Files.readAllBytes(index);
        Path temp = dir.resolve("INBOX.mbox.itmp");
        Files.write(temp, tornTemp ? java.util.Arrays.copyOf(old, old.length / 2) : old);
        inbox.uidValidity(inbox.uidValidity() + 1);
        BackupReport r = session.run();
        assertThat(r.allErrors()).isEmpty();
        assertThat(r.totals().messagesCopied()).isZero();
        assertThat(Files.exists(temp)).isFalse();
        try (FolderArchive a = store.openReadOnly(INBOX).orElseThrow()) {
            assertThat(a.messages()).hasSize(5);
            assertThat(a.messages()).allSatisfy(m -> assertThat(m.uidValidity()).isEqualTo(inbox.uidValidity()));
        }
        assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
    }
}
