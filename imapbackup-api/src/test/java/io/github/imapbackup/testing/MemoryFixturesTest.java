package io.github.imapbackup.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.ArchivedMessage;
import io.github.imapbackup.BackupException;
import io.github.imapbackup.ConnectionException;
import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.spi.FolderState;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fixtures keep the promises other modules' tests rely on. */
@Timeout(10)
class MemoryFixturesTest {

    private static final FolderInfo INBOX = new FolderInfo("INBOX", "/", Set.of(), true);

    private static FolderArchive.NewMessage message(long uv, long uid) {
        return new FolderArchive.NewMessage(uv, uid, MessageIdentity.ofMessageId("<" + uid + "@x>"), -1,
                Instant.EPOCH, Set.of("\\Seen"), null);
    }

    @Test
    void storeCommitsOnCommitAndClose() throws BackupException {
        MemoryStore store = new MemoryStore();
        try (FolderArchive a = store.open(INBOX)) {
            a.append(message(7, 1), new ByteArrayInputStream("one\r\n".getBytes(ISO_8859_1)));
            assertThat(a.messages()).hasSize(1);
            assertThat(store.messages("INBOX")).isEmpty();
            a.commit();
            assertThat(store.messages("INBOX")).hasSize(1);
            a.append(message(7, 2), new ByteArrayInputStream("two\r\n".getBytes(ISO_8859_1)));
            a.state(new FolderState("INBOX", "/", 7, 3, 0, 2));
            assertThatThrownBy(() -> store.open(INBOX)).isInstanceOf(IllegalStateException.class);
        }
        assertThat(store.messages("INBOX")).extracting(ArchivedMessage::uid).containsExactly(1L, 2L);
        assertThat(store.state("INBOX")).hasValueSatisfying(s -> assertThat(s.uidNext()).isEqualTo(3));
        ArchivedMessage first = store.messages("INBOX").get(0);
        assertThat(first.length()).isEqualTo(5);
        assertThat(first.size()).isEqualTo(5);
        assertThat(first.sha256()).hasSize(64);
        assertThat(store.content("INBOX", first)).isEqualTo("one\r\n".getBytes(ISO_8859_1));
    }

    @Test
    void aFailingAppendLeavesNothing() throws BackupException {
        MemoryStore store = new MemoryStore();
        try (FolderArchive a = store.open(INBOX)) {
            InputStream broken = new InputStream() {
                private int n;

                @Override
                public int read() throws IOException {
                    if (n++ > 3) {
                        throw new IOException("cut");
                    }
                    return 'x';
                }
            };
            assertThatThrownBy(() -> a.append(message(7, 1), broken)).isInstanceOf(BackupException.class);
            assertThat(a.messages()).isEmpty();
        }
        assertThat(store.messages("INBOX")).isEmpty();
        assertThat(store.appends()).isZero();
    }

    @Test
    void readOnlyArchivesRefuseWritesAndCrashesLoseUncommittedWork() throws BackupException {
        MemoryStore store = new MemoryStore();
        assertThat(store.openReadOnly(INBOX)).isEmpty();
        FolderArchive a = store.open(INBOX);
        a.append(message(7, 1), new ByteArrayInputStream(new byte[] {'a'}));
        a.commit();
        a.append(message(7, 2), new ByteArrayInputStream(new byte[] {'b'}));
        store.crash("INBOX");
        assertThatThrownBy(a::commit).isInstanceOf(IllegalStateException.class);
        assertThat(store.messages("INBOX")).hasSize(1);
        FolderArchive ro = store.openReadOnly(INBOX).orElseThrow();
        assertThatThrownBy(() -> ro.markExpunged(1)).isInstanceOf(IllegalStateException.class);
        ro.close();
        int writes = store.writes();
        try (FolderArchive again = store.open(INBOX)) {
            assertThat(again.messages()).hasSize(1);
        }
        assertThat(store.writes()).isEqualTo(writes);
    }

    @Test
    void uidsAreAddressedUnderTheLatestStatesUidValidity() throws BackupException {
        MemoryStore store = new MemoryStore();
        try (FolderArchive a = store.open(INBOX)) {
            a.append(message(7, 1), new ByteArrayInputStream(new byte[] {'a'}));
            a.append(message(8, 1), new ByteArrayInputStream(new byte[] {'b'}));
            a.state(new FolderState("INBOX", "/", 8, 2, 0, 1));
            a.markExpunged(1);
            a.state(new FolderState("INBOX", "/", 7, 2, 0, 1));
            a.updateFlags(1, Set.of("\\Flagged"));
            ArchivedMessage b = a.messages().get(1);
            a.adopt(b, 9, 5, Set.of());
        }
        assertThat(store.messages("INBOX").get(0).flags()).containsExactly("\\Flagged");
        assertThat(store.messages("INBOX").get(0).expunged()).isFalse();
        ArchivedMessage adopted = store.messages("INBOX").get(1);
        assertThat(adopted.uid()).isEqualTo(5);
        assertThat(adopted.uidValidity()).isEqualTo(9);
        assertThat(adopted.expunged()).isFalse();
    }

    @Test
    void sourceCountsCallsAndInjectsFailures() throws Exception {
        MemorySource source = new MemorySource();
        MemoryFolder inbox = source.folder("INBOX");
        long uid = inbox.add("Message-ID: <a@b>\r\n\r\nx\r\n");
        inbox.add("Subject: s\r\n\r\ny\r\n");
        source.dropConnectionAtOpenMessage(2);
        try (SourceConnection c = source.connect(); SourceFolder f = c.open(c.folders().get(0))) {
            assertThat(f.messages(1)).hasSize(2).first()
                    .satisfies(m -> assertThat(m.identity().value()).isEqualTo("mid:<a@b>"));
            try (InputStream in = f.openMessage(uid)) {
                assertThat(in.readAllBytes()).isEqualTo(inbox.content(uid));
            }
            assertThatThrownBy(() -> f.openMessage(uid)).isInstanceOf(ConnectionException.class);
            assertThatThrownBy(f::uids).isInstanceOf(ConnectionException.class);
        }
        assertThat(source.openMessageCalls()).isEqualTo(2);
        assertThat(source.openConnections()).isZero();
        inbox.failing(true);
        try (SourceConnection c = source.connect()) {
            assertThatThrownBy(() -> c.status(c.folders().get(0))).isInstanceOf(FolderException.class);
        }
        long before = inbox.uidValidity();
        inbox.uidValidity(before + 1);
        assertThat(MemorySource.list(inbox.uids())).containsExactly(1L, 2L);
    }
}
