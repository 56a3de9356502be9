package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.disk.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup directory on a read-only file system, for real: a tmpfs remounted {@code ro}, which
 * refuses root too (mode bits do not). The commands that write it ({@code backup}, {@code import})
 * stop before they start with exit status 2 and one line naming the directory and what to do, no
 * stack trace, nothing changed; the commands that only read it ({@code verify}, {@code export},
 * {@code restore}) work as on a writable one. An export into a read-only directory is refused the
 * same way. With the file system writable again the next backup goes on.
 */
@Timeout(300)
class ReadOnlyDirIT {

    private static DiskRig rig;

    @TempDir
    Path tmp;
    private Tmpfs disk;
    private Path dir;
    private Map<String, List<String>> before;

    @BeforeAll
    static void start() throws Exception {
        rig = DiskRig.start(3);
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @BeforeEach
    void readOnlyBackup() throws Exception {
        disk = Tmpfs.mount(Files.createDirectory(tmp.resolve("disk")), 16L << 20);
        dir = disk.root().resolve("backup");
        CliRun first = CliRun.run(DiskRig.ENV, rig.backup(dir, "--compress", "gzip"));
        assertThat(first.status).as(first.toString()).isZero();
        before = DiskRig.contents(dir);
        disk.readOnly(true);
    }

    @AfterEach
    void unmount() {
        disk.close();
    }

    @Test
    void backupAndImportStopBeforeTheyStartNamingTheDirectory() throws Exception {
        Path foreign = MboxFiles.mbox(tmp.resolve("Old.mbox"), List.of(MboxFiles.message("old@example.org",
                "old", "An old message.\r\n")));
        Path report = tmp.resolve("report.json");
        for (String[] args : List.of(rig.backup(dir, "--report", report.toString()),
                new String[] {"import", "--dir", dir.toString(), foreign.toString()},
                new String[] {"import", "--dir", dir.resolve("new").toString(), foreign.toString()})) {
            CliRun run = CliRun.run(DiskRig.ENV, args);
            assertThat(run.status).as(run.toString()).isEqualTo(2);
            assertThat(run.err).as(run.toString()).contains(dir.toString()).contains("read-only file system")
                    .doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(run.err.lines().filter(l -> l.startsWith("imapbackup")).count()).as(run.toString()).isOne();
        }
        assertThat(Files.readString(report)).contains("\"exitStatus\":2").contains("read-only file system");
        assertThat(DiskRig.contents(dir)).isEqualTo(before);

        disk.readOnly(false);
        CliRun again = CliRun.run(DiskRig.ENV, rig.backup(dir));
        assertThat(again.status).as(again.toString()).isZero();
        assertThat(DiskRig.contents(dir)).isEqualTo(before);
        DiskRig.summary("backup,import", "read-only-dir", 3, "", "none (fixed cases)");
    }

    @Test
    void verifyExportAndRestoreReadIt() throws Exception {
        CliRun verify = CliRun.run("verify", "--dir", dir.toString());
        assertThat(verify.status).as(verify.toString()).isZero();
        Path out = tmp.resolve("out");
        CliRun eml = CliRun.run("export", "--dir", dir.toString(), "--eml", out.resolve("eml").toString());
        assertThat(eml.status).as(eml.toString()).isZero();
        assertThat(DiskRig.files(out.resolve("eml"))).hasSize(DiskRig.count(before));
        CliRun mbox = CliRun.run("export", "--dir", dir.toString(), "--mbox", out.resolve("mbox").toString());
        assertThat(mbox.status).as(mbox.toString()).isZero();
        CliRun restore = CliRun.run(DiskRig.ENV, rig.restore(dir, "--prefix", "Restored"));
        assertThat(restore.status).as(restore.toString()).isZero();
        assertThat(restore.out).containsPattern("Total +" + DiskRig.count(before) + " +" + DiskRig.count(before));

        // an export into a read-only directory is refused before it starts
        for (Path target : List.of(dir, dir.resolve("eml"))) {
            CliRun into = CliRun.run("export", "--dir", dir.toString(), "--eml", target.toString());
            assertThat(into.status).as(into.toString()).isEqualTo(2);
            assertThat(into.err).as(into.toString()).contains(dir.toString()).contains("read-only file system")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(DiskRig.contents(dir)).isEqualTo(before);
        DiskRig.summary("verify,export,restore", "read-only-dir", 6, "", "none (fixed cases)");
    }
}
