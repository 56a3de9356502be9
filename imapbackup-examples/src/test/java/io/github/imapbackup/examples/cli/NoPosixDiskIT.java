package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.disk.ExfatImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup directory on a file system without POSIX permissions and with case-insensitive names: a
 * real exFAT image mounted through a loop device (skipped, saying why, where that is impossible).
 * Every command that writes works there (backup plain and compressed, import, export, and verify
 * reads it); folder names with characters FAT refuses ({@code :}, {@code ?}, {@code *}) are
 * percent-encoded by the folder-name encoding (docs/FORMAT-index.md). (Two folders whose names
 * differ only in case: GreenMail cannot hold them; NoPosixStoreTest in the mbox module shows them
 * on exFAT.)
 */
@Timeout(300)
class NoPosixDiskIT {

    private static DiskRig rig;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        rig = DiskRig.start(3, List.of("INBOX", "Projects: 2024", "What?", "Star*", "Archive", "Archive.2019"));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void everyCommandWorksOnExfat() throws Exception {
        Path reference = tmp.resolve("reference");
        assertThat(CliRun.run(DiskRig.ENV, rig.backup(reference)).status).isZero();
        Map<String, List<String>> all = DiskRig.contents(reference);
        try (ExfatImage disk = ExfatImage.mount(Files.createDirectory(tmp.resolve("disk")), 64L << 20)) {
            int cases = 0;
            for (String codec : List.of("none", "gzip")) {
                Path dir = disk.root().resolve("backup-" + codec);
                Path report = dir.resolve("report.json");
                CliRun first = CliRun.run(DiskRig.ENV, rig.backup(dir, "--compress", codec));
                CliRun second = CliRun.run(DiskRig.ENV, rig.backup(dir, "--report", report.toString()));
                cases += 2;
                for (CliRun run : List.of(first, second)) {
                    assertThat(run.status).as(codec + ": " + run).isZero();
                }
                assertThat(DiskRig.contents(dir)).as(codec).isEqualTo(all);
                assertThat(dir.resolve("Projects%3A 2024.mbox" + (codec.equals("gzip") ? ".gz" : ""))).exists();
                assertThat(dir.resolve("What%3F.mbox" + (codec.equals("gzip") ? ".gz" : ""))).exists();
                assertThat(dir.resolve("Star%2A.mbox" + (codec.equals("gzip") ? ".gz" : ""))).exists();
                assertThat(Files.readString(report)).contains("\"exitStatus\":0");
                CliRun verify = CliRun.run("verify", "--dir", dir.toString());
                assertThat(verify.status).as(verify.toString()).isZero();
                cases++;
            }
            Path imported = disk.root().resolve("imported");
            Path foreign = MboxFiles.mbox(tmp.resolve("Old.mbox"), List.of(MboxFiles.message("old@example.org",
                    "old", "An old message.\r\n")));
            CliRun imp = CliRun.run("import", "--dir", imported.toString(), "--compress", "zstd", foreign.toString());
            assertThat(imp.status).as(imp.toString()).isZero();
            CliRun eml = CliRun.run("export", "--dir", disk.root().resolve("backup-none").toString(), "--eml",
                    disk.root().resolve("eml").toString());
            assertThat(eml.status).as(eml.toString()).isZero();
            CliRun mbox = CliRun.run("export", "--dir", disk.root().resolve("backup-gzip").toString(), "--mbox",
                    disk.root().resolve("mbox").toString(), "--compress", "xz");
            assertThat(mbox.status).as(mbox.toString()).isZero();
            cases += 3;
            DiskRig.summary("backup,import,export,verify", "exfat-no-posix", cases, "", "none (fixed cases)");
        }
    }
}
