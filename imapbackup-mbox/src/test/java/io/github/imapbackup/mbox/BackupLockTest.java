package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run at a time per backup directory: a second run, in this process or another, is refused
 * with the holder named; the lock of a process killed with {@code kill -9} is taken over.
 */
@Timeout(120)
class BackupLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondRunInTheSameProcessIsRefusedUntilTheFirstEnds() throws Exception {
        MboxStore store = MboxStore.builder(dir.resolve("backup")).build();
        try (BackupLock lock = store.lock("backup")) {
            assertThat(lock.tookOverFrom()).isEmpty();
            assertThatThrownBy(() -> MboxStore.builder(dir.resolve("backup/../backup")).build().lock("import"))
                    .isInstanceOf(DirectoryLockedException.class)
                    .hasMessageContaining("is in use by pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("(backup)").hasMessageContaining(BackupLock.FILE_NAME);
            assertThat(Files.readString(dir.resolve("backup").resolve(BackupLock.FILE_NAME)))
                    .contains("pid=" + ProcessHandle.current().pid()).contains("command=backup");
        }
        assertThat(dir.resolve("backup").resolve(BackupLock.FILE_NAME)).isEmptyFile();
        try (BackupLock again = store.lock("backup")) {
            assertThat(again.tookOverFrom()).as("a released lock is not stale").isEmpty();
        }
    }

    @Test
    void theLockFileIsNeverTakenForAFolder() throws Exception {
        Path backup = dir.resolve("backup");
        try (BackupLock lock = BackupLock.acquire(backup, "backup")) {
            assertThat(lock.directory()).isEqualTo(backup);
            assertThat(MboxStore.builder(backup).build().folders()).isEmpty();
            try (BackupArchive archive = MboxStore.builder(backup).build().read()) {
                assertThat(archive.folders()).isEmpty();
            }
        }
    }

    @Test
    void aLockFileWhoseLockNobodyHoldsIsTakenOver() throws Exception {
        Path backup = Files.createDirectories(dir.resolve("backup"));
        Files.writeString(backup.resolve(BackupLock.FILE_NAME),
                "pid=999999999\nhost=elsewhere\nstarted=2026-12-01T03:00:00Z\ncommand=backup --config c.yaml\n");
        try (BackupLock lock = BackupLock.acquire(backup, "backup")) {
            assertThat(lock.tookOverFrom()).contains(
                    "pid 999999999 on elsewhere since 2026-12-01T03:00:00Z (backup --config c.yaml)");
        }
    }

    @Test
    void anotherProcessIsRefusedWhileTheHolderLivesAndTakesOverOnceItIsKilled() throws Exception {
        Path backup = dir.resolve("backup");
        Process holder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), backup.toString()))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("locked")) {
                // the child's log lines
            }
            assertThat(line).as("the child said it holds the lock").isEqualTo("locked");
            assertThatThrownBy(() -> BackupLock.acquire(backup, "backup"))
                    .isInstanceOf(DirectoryLockedException.class)
                    .hasMessageContaining("in use by pid " + holder.pid())
                    .hasMessageContaining("(backup from the test's child)")
                    .satisfies(e -> assertThat(((DirectoryLockedException) e).holder())
                            .startsWith("pid " + holder.pid() + " on "));
            holder.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            holder.waitFor();
        } finally {
            holder.destroyForcibly();
        }
        try (BackupLock lock = BackupLock.acquire(backup, "backup")) {
            assertThat(lock.tookOverFrom()).hasValueSatisfying(h -> assertThat(h)
                    .startsWith("pid " + holder.pid() + " on ").endsWith("(backup from the test's child)"));
        }
    }

    /** The child: holds the lock of the directory it is given until it is killed. */
    static final class LockHolder {

        private LockHolder() { }

        public static void main(String[] args) throws Exception {
            BackupLock.acquire(Path.of(args[0]), "backup from the test's child");
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
