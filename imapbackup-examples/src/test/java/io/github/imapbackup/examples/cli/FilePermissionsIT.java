package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file the program writes is created readable by its owner only (0600) and every directory
 * 0700, from the start, whatever the umask (docs/CLI.md, "Disk faults and permissions"): the program runs
 * as a child process under {@code umask 022}, and everything it made is looked at with
 * {@code stat}: the mbox files (plain and compressed), indexes, the lock, the layout record,
 * a torn tail set aside, nested folder directories, the report in the backup directory, an
 * import, and what export writes. A file or directory the user made keeps the permissions
 * the user gave it.
 */
@Timeout(300)
class FilePermissionsIT {

    private static DiskRig rig;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Path.of("/").getFileSystem().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions only");
        rig = DiskRig.start(3);
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void everythingWrittenUnderUmask022IsOwnerOnly() throws Exception {
        Path dir = tmp.resolve("backup");
        // plain and compressed folders, nested directories
        child(rig.backup(dir));
        child(rig.backup(dir.resolve("zst"), "--compress", "zstd"));
        // a torn tail that the next backup sets aside into a file of its own
        Files.write(dir.resolve("INBOX.mbox"), "From torn@example.org Sat Nov 21 10:00:00 2026\nSubject: cut"
                .getBytes(StandardCharsets.US_ASCII), java.nio.file.StandardOpenOption.APPEND);
        child(rig.backup(dir, "--report", dir.resolve("report.json").toString())); // the report in the directory
        Path foreign = MboxFiles.mbox(tmp.resolve("Old.mbox"), List.of(MboxFiles.message("old@example.org",
                "old", "An old message.\r\n")));
        child("import", "--dir", dir.toString(), "--compress", "gzip", foreign.toString());
        Path out = tmp.resolve("out");
        child("export", "--dir", dir.toString(), "--eml", out.resolve("eml/nested").toString());
        child("export", "--dir", dir.toString(), "--mbox", out.resolve("mbox").toString(), "--compress", "xz");

        Map<String, String> modes = modes(dir);
        modes.putAll(modes(out));
        assertThat(modes).as("what was made").containsKeys(dir.resolve("INBOX.mbox").toString(),
                dir.resolve("INBOX.mbox.index").toString(), dir.resolve("Archive").toString(),
                dir.resolve("Archive/2019.mbox").toString(), dir.resolve("report.json").toString(),
                dir.resolve("zst/INBOX.mbox.zst").toString(), dir.resolve("Old.mbox.gz").toString(),
                out.resolve("eml/nested").toString());
        assertThat(modes.keySet()).as("a torn tail set aside").anyMatch(p -> p.contains("INBOX.mbox.torn"));
        modes.forEach((path, mode) -> assertThat(mode).as(path)
                .isEqualTo(Files.isDirectory(Path.of(path)) ? "rwx------" : "rw-------"));
        DiskRig.summary("backup,import,export", "umask-022", 7, ", files and directories checked " + modes.size(),
                "none (fixed cases)");
    }

    @Test
    void filesAndDirectoriesTheUserMadeKeepTheirPermissions() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("mine"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        child(rig.backup(dir));
        Files.setPosixFilePermissions(dir.resolve("INBOX.mbox"), PosixFilePermissions.fromString("rw-r-----"));
        Path report = Files.createFile(tmp.resolve("report.json"));
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-r--r--"));
        child(rig.backup(dir, "--report", report.toString()));
        assertThat(mode(dir)).isEqualTo("rwxr-x---");
        assertThat(mode(dir.resolve("INBOX.mbox"))).isEqualTo("rw-r-----");
        assertThat(mode(report)).isEqualTo("rw-r--r--");
        assertThat(mode(dir.resolve("Archive"))).as("made by the program").isEqualTo("rwx------");
    }

    /** Runs the program as a child process under umask 022 and expects exit status 0. */
    private void child(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "umask 022 && exec \"$0\" \"$@\"",
                ChildProgram.java(), "-Dimapbackup.inProcess=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "child", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(DiskRig.ENV);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("ended").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", args) + ":\n" + Files.readString(log)).isZero();
    }

    private static Map<String, String> modes(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                m.put(p.toString(), mode(p));
            }
        }
        return m;
    }

    /** The permissions as {@code stat} shows them, as the system (not Java) sees the file. */
    private static String mode(Path p) throws IOException {
        try {
            Process stat = new ProcessBuilder("stat", "-c", "%a", p.toString()).redirectErrorStream(true).start();
            String octal = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            stat.waitFor();
            return PosixFilePermissions.toString(PosixFilePermissions.fromString(rwx(Integer.parseInt(octal, 8))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String rwx(int mode) {
        StringBuilder sb = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = (mode >> shift) & 7;
            sb.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return sb.toString();
    }
}
