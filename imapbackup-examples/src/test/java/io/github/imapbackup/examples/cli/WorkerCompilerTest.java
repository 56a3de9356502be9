package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the launcher gives its worker compiler directives, and the file it hands over. */
class WorkerCompilerTest {

    @Test
    void onlyAHotSpotServerJvmWithTheDiagnosticCommandsGetsDirectives() {
        assertThat(WorkerCompiler.supported("OpenJDK 64-Bit Server VM", true)).isTrue();
        assertThat(WorkerCompiler.supported("Java HotSpot(TM) 64-Bit Server VM", true)).isTrue();
        assertThat(WorkerCompiler.supported("OpenJDK 64-Bit Server VM", false)).as("no jdk.management").isFalse();
        assertThat(WorkerCompiler.supported("Eclipse OpenJ9 VM", true)).isFalse();
        assertThat(WorkerCompiler.supported("Java HotSpot(TM) Client VM", true)).as("no C2").isFalse();
        assertThat(WorkerCompiler.supported(null, true)).isFalse();
        assertThat(WorkerCompiler.internalPackage()).as("this JDK has them").isTrue();
    }

    @Test
    void theProgramsOwnMethodsThatTheDirectivesNameExist() throws Exception {
        // a directive naming a renamed or moved method is accepted and matches nothing: the method
        // would silently be left to C1 again
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(io/github/imapbackup/[^\"]+)\\.([^.\"]+)\"")
                .matcher(WorkerCompiler.DIRECTIVES);
        int found = 0;
        while (m.find()) {
            Class<?> c = Class.forName(m.group(1).replace('/', '.'));
            String method = m.group(2);
            assertThat(c.getDeclaredMethods()).as(m.group()).anyMatch(x -> x.getName().equals(method));
            found++;
        }
        assertThat(found).isEqualTo(1);
    }

    @Test
    void theFileIsNewAndTheOwnersAlone(@TempDir Path dir) throws Exception {
        Path file = WorkerCompiler.write(dir, 42).orElseThrow();
        assertThat(file.getParent()).isEqualTo(dir);
        assertThat(file.getFileName().toString()).startsWith("imapbackup-42-").endsWith(".directives");
        assertThat(Files.readString(file)).isEqualTo(WorkerCompiler.DIRECTIVES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(WorkerCompiler.write(dir, 42).orElseThrow()).as("a second launcher of the same id").isNotEqualTo(file);
        WorkerCompiler.delete(file);
        WorkerCompiler.delete(file);
        assertThat(file).doesNotExist();
    }

    @Test
    void withoutAFileTheWorkerRunsWithTheOptionsOfBefore(@TempDir Path dir) throws Exception {
        assertThat(WorkerCompiler.write(dir.resolve("missing"), 1)).isEmpty();
        Path spaced = Files.createDirectory(dir.resolve("a b"));
        assertThat(WorkerCompiler.write(spaced, 1)).as("the command's arguments are split at spaces").isEmpty();
        try (var files = Files.list(spaced)) {
            assertThat(files).isEmpty();
        }
        assertThat(Launcher.childOptions(null)).isEqualTo(Launcher.CHILD_OPTIONS);
    }

    @Test
    void withAFileTheWorkerGetsTheCompilerOptionsAndItsName(@TempDir Path dir) {
        Path file = dir.resolve("d");
        List<String> options = Launcher.childOptions(file);
        assertThat(options).startsWith("-XX:+UseSerialGC", "-Xmn16m").containsSubsequence(WorkerCompiler.OPTIONS)
                .endsWith("-D" + WorkerCompiler.FILE_PROPERTY + "=" + file.toAbsolutePath())
                .noneMatch(o -> o.startsWith("-XX:Tier4InvocationThreshold=500000"));
        List<String> c = Launcher.command("java", List.of("-Dx=y"), "/a.jar", 42, List.of("backup"), file, List.of());
        assertThat(c).containsSubsequence(Launcher.childOptions(file, List.of("backup")))
                .containsSubsequence(WorkerCompiler.OPTIONS).containsSubsequence("-Dx=y", "-cp", "/a.jar");
    }

    @Test
    void aRefusedFileIsReportedNotThrown(@TempDir Path dir) {
        // in this JVM both routes fail before the JVM reads anything: the package is not opened to
        // the tests, and the MBean gets a file that does not exist
        assertThat(WorkerCompiler.add(dir.resolve("none.json"))).startsWith("not added (direct: ")
                .contains("MBean: ");
    }
}
