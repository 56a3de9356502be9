package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.FolderCollisionException;
import io.github.imapbackup.testing.MemorySource;
import io.github.imapbackup.testing.disk.ExfatImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a real file system without POSIX permissions and with case-insensitive names (an
 * exFAT image through a loop device; skipped, saying why, where that cannot be mounted): backups,
 * with every codec, write there without trying to set permissions; characters FAT refuses are
 * percent-encoded; two folders whose names differ only in case would share one file, so the run is
 * refused before it starts, naming both (docs/FORMAT-index.md, "Collisions"): nothing is mixed.
 */
@Timeout(120)
class NoPosixStoreTest {

    @TempDir
    Path tmp;

    @Test
    void backupsWorkThereAndCaseTwinsAreRefusedNotMixed() throws Exception {
        try (ExfatImage disk = ExfatImage.mount(tmp, 32L << 20)) {
            for (String codec : List.of("none", "gzip", "bzip2", "xz", "zstd")) {
                MemorySource source = new MemorySource();
                for (String folder : List.of("INBOX", "a:b*c?", "Case", "CASE")) {
                    source.folder(folder).add("Message-ID: <" + folder.hashCode() + "@x>\r\nSubject: " + folder
                            + "\r\n\r\nbody\r\n");
                }
                Path dir = disk.root().resolve(codec);
                MboxStore store = MboxStore.builder(dir).codec(codec).build();
                BackupSession session = BackupSession.builder().source(source).target(store).build();
                assertThatThrownBy(session::run).as(codec).isInstanceOf(FolderCollisionException.class)
                        .hasMessageContaining("\"Case\"").hasMessageContaining("\"CASE\"")
                        .hasMessageContaining(dir.toString());
                source.deleteFolder("CASE"); // as the message says: one of them excluded (or renamed)
                BackupReport report = BackupSession.builder().source(source).target(store).build().run();
                assertThat(report.allErrors()).as(codec).isEmpty();
                assertThat(report.totals().messagesCopied()).as(codec).isEqualTo(3);
                assertThat(Files.list(dir).map(p -> p.getFileName().toString()))
                        .as(codec).anyMatch(n -> n.startsWith("a%3Ab%2Ac%3F.mbox"));
                try (BackupArchive archive = store.read()) {
                    assertThat(archive.verify().ok()).as(codec).isTrue();
                }
                System.out.println("RELIABILITY disk library exfat-no-posix-" + codec + ": 2 cases run, lost 0,"
                        + " duplicated 0, corrupt 0, seed none (fixed cases)");
            }
        }
    }
}
