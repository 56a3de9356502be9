package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.testing.MemorySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One layout per backup directory: recorded, detected, conflicts refused (issue 7 point 4). */
@Timeout(60)
class DirectoryLayoutTest {

    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void backupDirectory() throws Exception {
        dir = Files.createDirectory(tmp.resolve("backup"));
    }

    private static MemorySource dotServer() {
        return StoreFixtures.dotServer("INBOX", "INBOX.Sent", "Archive.2019");
    }

    private static String message(String folder, int i) {
        return StoreFixtures.message(folder, i);
    }

    private static BackupReport backup(MemorySource source, MboxStore store) throws Exception {
        return BackupSession.builder().source(source).target(store).build().run();
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    /**
     * Writes an mbox as the original imapbackup.py named it: flat names, no index. The messages keep
     * the server's bytes (the script's own form of them: {@link OriginalScriptAdoptionTest}).
     */
    private void originalScriptFile(String file, String folder, int messages) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < messages; i++) {
            sb.append("From nobody Sat Nov 21 23:39:50 2026\n")
                    .append(message(folder, i)).append('\n');
        }
        Files.writeString(dir.resolve(file), sb.toString(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void theLayoutIsRecordedOwnerOnlyWithAVersion() throws Exception {
        MboxStore store = MboxStore.builder(dir).build();
        assertThat(backup(dotServer(), store).allErrors()).isEmpty();
        Path record = dir.resolve(DirectoryLayout.RECORD);
        assertThat(record).isRegularFile();
        assertThat(Files.readString(record)).contains("version=1").contains("layout=nested");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(record))).isEqualTo("rw-------");
        assertThat(store.layout()).isEqualTo(Layout.NESTED);
        assertThat(record.getFileName().toString()).doesNotEndWith(".mbox");
    }

    @Test
    void aConflictingLayoutIsRefusedAndNothingIsStoredTwice() throws Exception {
        assertThat(backup(dotServer(), MboxStore.builder(dir).build()).allErrors()).isEmpty();
        List<String> before = files(dir);
        MboxStore flat = MboxStore.builder(dir).layout(Layout.FLAT).build();
        assertThatThrownBy(flat::layout).isInstanceOf(LayoutConflictException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("nested").hasMessageContaining("flat");
        BackupReport report = backup(dotServer(), flat);
        assertThat(report.totals().messagesCopied()).isZero();
        assertThat(report.allErrors()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.message()).contains("nested layout"));
        assertThat(files(dir)).isEqualTo(before);

        // a directory that a version without the record wrote: detected from its indexes
        Files.delete(dir.resolve(DirectoryLayout.RECORD));
        MboxStore flatAgain = MboxStore.builder(dir).layout(Layout.FLAT).build();
        assertThatThrownBy(flatAgain::layout).isInstanceOf(LayoutConflictException.class)
                .hasMessageContaining("detected from Archive/2019.mbox.index");
        assertThat(backup(dotServer(), flatAgain).totals().messagesCopied()).isZero();
        assertThat(MboxStore.builder(dir).build().layout()).isEqualTo(Layout.NESTED);
    }

    @Test
    void anEmbedderOpeningAFlatBackupWithTheDefaultGetsTheFlatFiles() throws Exception {
        assertThat(backup(dotServer(), MboxStore.builder(dir).layout(Layout.FLAT).build()).allErrors()).isEmpty();
        List<String> before = files(dir);
        assertThat(before).contains("INBOX.Sent.mbox", "Archive.2019.mbox");
        MboxStore plain = MboxStore.builder(dir).build();
        assertThat(plain.layout()).isEqualTo(Layout.FLAT);
        MemorySource source = dotServer();
        source.folder("INBOX.Sent").add(message("new", 1));
        BackupReport report = backup(source, plain);
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(1);
        assertThat(files(dir)).isEqualTo(before);
    }

    @Test
    void anIndexLessFlatDirectoryOfTheOriginalScriptIsAdopted() throws Exception {
        originalScriptFile("INBOX.mbox", "INBOX", 3);
        originalScriptFile("INBOX.Sent.mbox", "INBOX.Sent", 3);
        originalScriptFile("Archive.2019.mbox", "Archive.2019", 3);
        MemorySource source = dotServer();
        source.folder("INBOX.Sent").add(message("new", 1));
        MboxStore store = MboxStore.builder(dir).build();
        assertThat(store.layout()).isEqualTo(Layout.FLAT);
        BackupReport report = backup(source, store);
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isEqualTo(1);
        assertThat(source.openMessageCalls()).isEqualTo(1);
        assertThat(files(dir)).containsExactly(DirectoryLayout.RECORD, "Archive.2019.mbox", "Archive.2019.mbox.index",
                "Archive.2019.mbox.isum", "INBOX.Sent.mbox", "INBOX.Sent.mbox.index", "INBOX.Sent.mbox.isum",
                "INBOX.mbox", "INBOX.mbox.index", "INBOX.mbox.isum");
        assertThat(Files.readString(dir.resolve(DirectoryLayout.RECORD))).contains("layout=flat");
        assertThat(new BackupVerifier(dir).verify().problems()).isEmpty();
        assertThat(backup(source, MboxStore.builder(dir).build()).totals().messagesCopied()).isZero();
    }

    @Test
    void aSingleTopLevelFileIsTheSameInBothLayouts() throws Exception {
        originalScriptFile("INBOX.mbox", "INBOX", 3);
        MemorySource source = new MemorySource();
        for (int i = 0; i < 3; i++) {
            source.folder("INBOX").add(message("INBOX", i));
        }
        assertThat(MboxStore.builder(dir).build().layout()).isEqualTo(Layout.NESTED);
        MboxStore flat = MboxStore.builder(dir).layout(Layout.FLAT).build();
        assertThat(flat.layout()).isEqualTo(Layout.FLAT);
        BackupReport report = backup(source, flat);
        assertThat(report.allErrors()).isEmpty();
        assertThat(report.totals().messagesCopied()).isZero();
        assertThat(Files.readString(dir.resolve(DirectoryLayout.RECORD))).contains("layout=flat");
    }

    /** Backs the server up here in the nested layout and into another directory in the flat one; returns that. */
    private Path nestedHereFlatThere() throws Exception {
        Path other = tmp.resolve("flat");
        assertThat(backup(dotServer(), MboxStore.builder(dir).build()).allErrors()).isEmpty();
        assertThat(backup(dotServer(), MboxStore.builder(other).layout(Layout.FLAT).build()).allErrors()).isEmpty();
        return other;
    }

    @Test
    void aDirectoryHoldingBothLayoutsIsRefused() throws Exception {
        Path other = nestedHereFlatThere();
        Files.copy(other.resolve("Archive.2019.mbox"), dir.resolve("Archive.2019.mbox"));
        Files.copy(other.resolve("Archive.2019.mbox.index"), dir.resolve("Archive.2019.mbox.index"));
        Files.delete(dir.resolve(DirectoryLayout.RECORD));
        assertThatThrownBy(() -> MboxStore.builder(dir).build().layout())
                .isInstanceOf(LayoutConflictException.class)
                .hasMessageContaining("Archive.2019.mbox.index").hasMessageContaining("Archive/2019.mbox.index");
    }

    @Test
    void verifyFindsTwoFilesHoldingOneFolder() throws Exception {
        Path other = nestedHereFlatThere();
        Files.copy(other.resolve("INBOX.Sent.mbox"), dir.resolve("INBOX.Sent.mbox"));
        Files.copy(other.resolve("INBOX.Sent.mbox.index"), dir.resolve("INBOX.Sent.mbox.index"));
        BackupVerifier.Result result = new BackupVerifier(dir).verify();
        assertThat(result.ok()).isFalse();
        assertThat(result.problems()).anySatisfy(p -> assertThat(p.toString())
                .contains("INBOX.Sent.mbox.index").contains("INBOX/Sent.mbox.index").contains("INBOX.Sent"));
        assertThat(new BackupVerifier(dir).verify("INBOX.Sent").ok()).isFalse();
        assertThat(new BackupVerifier(dir).verify("INBOX").ok()).isTrue();
    }

    @Test
    void verifyFindsAnOriginalScriptFileBesideTheFolderItHolds() throws Exception {
        assertThat(backup(dotServer(), MboxStore.builder(dir).build()).allErrors()).isEmpty();
        originalScriptFile("INBOX.Sent.mbox", "INBOX.Sent", 3);
        BackupVerifier.Result result = new BackupVerifier(dir).verify();
        assertThat(result.problems()).anySatisfy(p -> assertThat(p.toString())
                .contains("INBOX.Sent.mbox").contains("INBOX/Sent.mbox.index"));
        assertThat(new BackupVerifier(dir).verify("INBOX.Sent").problems()).singleElement()
                .satisfies(p -> assertThat(p.folder()).isEqualTo("INBOX.Sent"));
    }

    @Test
    void aRecordOfAnUnknownVersionIsRefused() throws Exception {
        Files.writeString(dir.resolve(DirectoryLayout.RECORD), "version=9\nlayout=nested\n");
        assertThatThrownBy(() -> MboxStore.builder(dir).build().layout())
                .isInstanceOf(io.github.imapbackup.BackupException.class)
                .hasMessageContaining(DirectoryLayout.RECORD).hasMessageContaining("version 9");
        assertThatThrownBy(() -> MboxStore.builder(dir).build().open(new FolderInfo("INBOX", "/", Set.of(), true)))
                .isInstanceOf(io.github.imapbackup.BackupException.class);
    }
}
