package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.MemorySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A server whose hierarchy delimiter changes keeps its folders' files (docs/FORMAT-index.md, issue 7 point 12). */
@Timeout(60)
class DelimiterChangeTest {

    @TempDir
    Path dir;

    private static MemorySource dotServer() {
        return StoreFixtures.dotServer("INBOX", "INBOX.Archive", "INBOX.Archive.2019");
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aNewDelimiterKeepsTheFilesAndCarriesOnIncrementally(Layout layout) throws Exception {
        MemorySource source = dotServer();
        MboxStore store = MboxStore.builder(dir).layout(layout).build();
        BackupReport first = BackupSession.builder().source(source).target(store).build().run();
        assertThat(first.allErrors()).isEmpty();
        assertThat(first.totals().messagesCopied()).isEqualTo(9);
        List<Path> before = files(dir);

        source.renameFolder("INBOX.Archive", "INBOX/Archive", "/");
        source.renameFolder("INBOX.Archive.2019", "INBOX/Archive/2019", "/");
        source.folder("INBOX").delimiter("/");
        source.folder("INBOX/Archive").add("Message-ID: <new@x>\r\n\r\nnew\r\n");
        source.resetCounters();

        BackupReport plan = BackupSession.builder().source(source).target(store).build().plan();
        assertThat(plan.allErrors()).isEmpty();
        assertThat(plan.totals().messagesCopied()).isEqualTo(1);
        assertThat(files(dir)).isEqualTo(before);
        source.resetCounters();

        BackupReport second = BackupSession.builder().source(source).target(store).build().run();
        assertThat(second.allErrors()).isEmpty();
        assertThat(second.totals().messagesCopied()).isEqualTo(1);
        assertThat(source.openMessageCalls()).isEqualTo(1);
        assertThat(files(dir)).isEqualTo(before);

        FolderInfo archive = new FolderInfo("INBOX/Archive", "/", Set.of(), true);
        try (FolderArchive a = store.openReadOnly(archive).orElseThrow()) {
            assertThat(a.messages()).hasSize(4);
            assertThat(a.state().orElseThrow().name()).isEqualTo("INBOX/Archive");
        }
        assertThat(store.folders()).extracting(FolderInfo::name)
                .containsExactly("INBOX", "INBOX/Archive", "INBOX/Archive/2019");
        assertThat(store.folders()).extracting(FolderInfo::delimiter).containsOnly("/");
        assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();

        BackupReport third = BackupSession.builder().source(source).target(store).build().run();
        assertThat(third.allErrors()).isEmpty();
        assertThat(third.totals().messagesCopied()).isZero();
        assertThat(files(dir)).isEqualTo(before);
    }

    @Test
    void aDifferentFolderStillCannotTakeTheFile() throws Exception {
        MboxStore store = MboxStore.builder(dir).build();
        FolderInfo inbox = new FolderInfo("INBOX", "/", Set.of(), true);
        store.open(inbox).close();
        Files.move(dir.resolve("INBOX.mbox.index"), dir.resolve("Inbox.mbox.index"));
        Files.move(dir.resolve("INBOX.mbox"), dir.resolve("Inbox.mbox"));
        FolderInfo other = new FolderInfo("Inbox", ".", Set.of(), true);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.open(other))
                .isInstanceOf(io.github.imapbackup.FolderException.class)
                .hasMessageContaining("belongs to the folder \"INBOX\"");
    }

    @Test
    void anInterruptedRenameIsFinishedByTheNextOpen() throws Exception {
        MboxStore store = MboxStore.builder(dir).build();
        FolderInfo dotted = new FolderInfo("A.B", ".", Set.of(), true);
        try (FolderArchive a = store.open(dotted)) {
            a.commit();
        }
        Path index = dir.resolve("A/B.mbox.index");
        String old = Files.readString(index, StandardCharsets.UTF_8);
        // a crash after the journal was complete, while the index was being rewritten in place
        FolderInfo slashed = new FolderInfo("A/B", "/", Set.of(), true);
        try (FolderArchive a = store.open(slashed)) {
            a.commit();
        }
        String renamed = Files.readString(index, StandardCharsets.UTF_8);
        assertThat(renamed).startsWith("H imapbackup-index " + IndexFormat.VERSION + " none / A/B ");
        Files.writeString(dir.resolve("A/B.mbox.inew"), renamed);
        Files.writeString(index, old.substring(0, old.length() / 2));
        try (FolderArchive a = store.open(slashed)) {
            assertThat(a.messages()).isEmpty();
        }
        assertThat(Files.readString(index, StandardCharsets.UTF_8)).isEqualTo(renamed);
        assertThat(dir.resolve("A/B.mbox.inew")).doesNotExist();
    }
}
