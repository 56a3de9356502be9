package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.FolderException;
import io.github.imapbackup.spi.FolderArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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
    private boolean mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", mountPoint.toString());
        }
    }

    @Test
    void aFullDiskLeavesTheOldIndexAndTheNextOpenUpgrades() throws Exception {
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=64k,mode=700", "tmpfs",
                mountPoint.toString()) == 0, "cannot mount a tmpfs (not root?)");
        mounted = true;
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
        Path filler = mountPoint.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[4096];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            // the disk is full
        }
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

    private static int run(String... command) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1; // no mount command
        }
    }
}
