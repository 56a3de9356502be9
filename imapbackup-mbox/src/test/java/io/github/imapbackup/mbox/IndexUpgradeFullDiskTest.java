package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.FolderException;
import io.github.imapbackup.spi.FolderArchive;
import io.github.imapbackup.testing.disk.Tmpfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrading a version 1 index on a full disk (a real, small tmpfs; mounting needs root, the test is
 * skipped otherwise): the open fails with a message naming the index and what to do, the version 1
 * index stays as it was and nothing is left behind; with room again the next open upgrades it.
 */
@Timeout(60)
class IndexUpgradeFullDiskTest {

    @TempDir
    Path mountPoint;
    private Tmpfs disk;

    @AfterEach
    void unmount() {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void aFullDiskLeavesTheOldIndexAndTheNextOpenUpgrades() throws Exception {
        disk = Tmpfs.mount(mountPoint, 64 * 1024);
        Path dir = mountPoint.resolve("backup");
        Files.createDirectories(dir);
        for (String f : List.of("INBOX.mbox", "INBOX.mbox.index")) {
            Files.copy(Path.of("src/test/resources/index-v1", f), dir.resolve(f));
        }
        MboxStore store = MboxStore.builder(dir).build();
        try (FolderArchive other = store.open(StoreFixtures.Q3, StoreFixtures.EXTRACTOR)) {
            other.commit(); // records the layout while there is room
        }
        byte[] v1 = Files.readAllBytes(dir.resolve("INBOX.mbox.index"));
        Path filler = disk.fill("filler", 0);
        assertThatThrownBy(() -> store.open(IndexVersionOneTest.INBOX, StoreFixtures.EXTRACTOR).close())
                .isInstanceOf(FolderException.class)
                .hasMessageContaining(dir.resolve("INBOX.mbox.index").toString())
                .hasMessageContaining("upgrade the index to version " + IndexFormat.VERSION)
                .hasMessageContaining("free some space");
        assertThat(Files.readAllBytes(dir.resolve("INBOX.mbox.index"))).isEqualTo(v1);
        assertThat(dir.resolve("INBOX.mbox.itmp")).doesNotExist();

        Files.delete(filler);
        try (FolderArchive a = store.open(IndexVersionOneTest.INBOX, StoreFixtures.EXTRACTOR)) {
            assertThat(a.messages()).hasSize(3);
        }
        assertThat(Files.readString(dir.resolve("INBOX.mbox.index"), StandardCharsets.UTF_8))
                .startsWith("H imapbackup-index " + IndexFormat.VERSION + " ");
    }
}
