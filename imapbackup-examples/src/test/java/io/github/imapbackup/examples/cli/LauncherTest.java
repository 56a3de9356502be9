package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When the program re-launches itself, and with what command line. */
class LauncherTest {

    private static final String CP = "/opt/imapbackup.jar";
    /** A backup's heap bound before connections and xz: its young generation is bigger. */
    private static final int B = Launcher.BASE_HEAP_MB + Launcher.BACKUP_YOUNG_EXTRA_MB;

    @Test
    void aJvmWithoutMemoryOptionsReLaunches() {
        assertThat(Launcher.shouldRelaunch(List.of(), null, null, null, CP)).isTrue();
        assertThat(Launcher.shouldRelaunch(List.of("-Dfile.encoding=UTF-8", "-Xss2m", "-ea"), null, null, null, CP))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-Xmx1g", "-XX:MaxHeapSize=512m", "-XX:MaxRAM=2g", "-XX:MaxRAMPercentage=25",
        "-XX:+UseG1GC", "-XX:+UseSerialGC", "-XX:+UseZGC", "-XX:+UseParallelGC",
        "-agentlib:jdwp=transport=dt_socket,server=y,address=5005"})
    void theUsersOwnMemoryOrCollectorOptionKeepsTheWorkInProcess(String option) {
        assertThat(Launcher.shouldRelaunch(List.of("-Dx=y", option), null, null, null, CP)).isFalse();
    }

    @Test
    void theOptOutsAndTheChildStayInProcess() {
        assertThat(Launcher.shouldRelaunch(List.of(), "1", null, null, CP)).as("IMAPBACKUP_IN_PROCESS=1").isFalse();
        assertThat(Launcher.shouldRelaunch(List.of(), null, "true", null, CP)).as("-Dimapbackup.inProcess").isFalse();
        assertThat(Launcher.shouldRelaunch(List.of(), "0", "false", null, CP)).as("switched off").isTrue();
        assertThat(Launcher.shouldRelaunch(List.of(), null, null, "1234", CP)).as("the child itself").isFalse();
        assertThat(Launcher.shouldRelaunch(List.of(), null, null, null, "")).as("module path").isFalse();
    }

    @Test
    void onlyJavaDashJarAndTheProgramsArgumentsWithoutOptionVariablesHasNoJvmOptions() {
        java.util.function.UnaryOperator<String> none = v -> null;
        List<String> args = List.of("backup", "--user", "a b", "");
        assertThat(Launcher.plainJar(List.of("/usr/bin/java", "-jar", "x.jar", "backup", "--user", "a b", ""), args, none))
                .isTrue();
        assertThat(Launcher.plainJar(List.of("java", "-jar", "x.jar"), List.of(), none)).isTrue();
        assertThat(Launcher.plainJar(List.of("java", "-Xmx1g", "-jar", "x.jar", "backup", "--user", "a b", ""), args,
                none)).as("an option").isFalse();
        assertThat(Launcher.plainJar(List.of("java", "@opts", "-jar", "x.jar"), List.of(), none)).as("an @argfile")
                .isFalse();
        assertThat(Launcher.plainJar(List.of("java", "-cp", "x.jar", "Main"), List.of(), none)).isFalse();
        assertThat(Launcher.plainJar(List.of("java", "-jar", "x.jar", "backup"), List.of("restore"), none))
                .as("not this program's arguments").isFalse();
        assertThat(Launcher.plainJar(List.of(), List.of(), none)).as("no /proc").isFalse();
        for (String variable : Launcher.OPTION_VARIABLES) {
            assertThat(Launcher.plainJar(List.of("java", "-jar", "x.jar"), List.of(), v -> v.equals(variable) ? "-Xmx1g"
                    : null)).as(variable).isFalse();
            assertThat(Launcher.plainJar(List.of("java", "-jar", "x.jar"), List.of(), v -> v.equals(variable) ? " "
                    : null)).as(variable + " blank").isTrue();
        }
    }

    @Test
    void theChildRunsTheSameJavaClassPathAndArgumentsWithTheChosenOptionsAndTheMarker() {
        List<String> args = List.of("restore", "--user", "a b ü", "--password-env", "PW", "");
        List<String> c = Launcher.command("/usr/lib/jvm/bin/java", List.of("-Dfile.encoding=UTF-8"), CP, 42, args, null, List.of());
        assertThat(c.get(0)).isEqualTo("/usr/lib/jvm/bin/java");
        assertThat(c).containsSubsequence(Launcher.CHILD_OPTIONS)
                .containsSubsequence("-Dfile.encoding=UTF-8", "-Dimapbackup.launchedBy=42", "-cp", CP,
                        Main.class.getName());
        assertThat(c.subList(c.size() - args.size(), c.size())).isEqualTo(args);
        assertThat(c.indexOf("-Dfile.encoding=UTF-8")).as("the user's options after ours: theirs win")
                .isGreaterThan(c.indexOf(Launcher.CHILD_OPTIONS.get(0)));
        assertThat(c).contains("-Xmx128m");
    }

    @Test
    void aBackupRunsWithABiggerYoungGenerationAndTheOldOneKeepsItsRoom() {
        List<String> backup = Launcher.childOptions(null, List.of("backup", "--host", "h"));
        assertThat(backup).startsWith("-XX:+UseSerialGC").containsSubsequence(Launcher.BACKUP_YOUNG)
                .doesNotContain("-Xmn16m").containsSubsequence(Launcher.CHILD_OPTIONS.subList(2, 6));
        assertThat(Launcher.childOptions(Path.of("d"), List.of("backup"))).containsSubsequence(Launcher.BACKUP_YOUNG)
                .doesNotContain("-Xmn16m").containsSubsequence(WorkerCompiler.OPTIONS);
        for (String other : List.of("restore", "migrate", "folders", "--help")) {
            assertThat(Launcher.childOptions(null, List.of(other))).as(other).isEqualTo(Launcher.CHILD_OPTIONS);
            assertThat(Launcher.heapMegabytes(List.of(other))).as(other).isEqualTo(128);
        }
        assertThat(Launcher.childOptions(null, List.of())).isEqualTo(Launcher.CHILD_OPTIONS);
        assertThat(Launcher.heapMegabytes(List.of("backup"))).isEqualTo(128 + 16);
        assertThat(Launcher.command("java", List.of(), CP, 1, List.of("backup"), null, List.of()))
                .contains("-Xmx144m", "-Xmn32m", "-XX:SurvivorRatio=4").doesNotContain("-Xmn16m");
    }

    @Test
    void theHeapBoundGrowsWithTheConnectionsAskedFor() {
        assertThat(Launcher.heapMegabytes(List.of("restore"))).isEqualTo(128);
        assertThat(Launcher.heapMegabytes(List.of("restore", "--connections", "4"))).isEqualTo(128);
        assertThat(Launcher.heapMegabytes(List.of("restore", "--connections", "16"))).isEqualTo(128 + 12 * 16);
        assertThat(Launcher.heapMegabytes(List.of("migrate", "--connections=10"))).isEqualTo(128 + 6 * 16);
        assertThat(Launcher.heapMegabytes(List.of("migrate", "--accounts", "f", "--parallel", "4")))
                .as("4 accounts at once, 4 connections each").isEqualTo(128 + 12 * 16);
        assertThat(Launcher.heapMegabytes(List.of("migrate", "--parallel", "4"))).as("--parallel without --accounts")
                .isEqualTo(128);
        assertThat(Launcher.heapMegabytes(List.of("backup", "--connections", "100000"))).isEqualTo(2048);
        assertThat(Launcher.heapMegabytes(List.of("backup", "--connections", "x"))).as("reported by the program")
                .isEqualTo(B);
    }

    @Test
    void withAConfigurationTheHeapBoundGrowsWithItsTotalConnections(@TempDir Path dir) throws Exception {
        Path original = Files.writeString(dir.resolve("config.json"), "{\"destination\": \"/backup\", \"total_processes\": 10,\n"
                + " \"accounts\": []}\n");
        assertThat(Launcher.heapMegabytes(List.of("backup", "--config", original.toString()))).isEqualTo(B + 6 * 16);
        Path yaml = Files.writeString(dir.resolve("c.yaml"), "destination: /backup\nconnections:\n  total: 8\n");
        assertThat(Launcher.heapMegabytes(List.of("backup", "--config=" + yaml))).isEqualTo(B + 4 * 16);
        Path none = Files.writeString(dir.resolve("d.yaml"), "destination: /backup\n");
        assertThat(Launcher.heapMegabytes(List.of("backup", "--config", none.toString()))).as("the default 4").isEqualTo(B);
        assertThat(Launcher.heapMegabytes(List.of("backup", "--config", dir.resolve("missing").toString())))
                .as("reported by the program").isEqualTo(B);
    }

    @Test
    void anXzBackupHasRoomForTheEncoderOfEachFolderWrittenAtOnce(@TempDir Path dir) throws Exception {
        assertThat(Launcher.heapMegabytes(List.of("backup", "--compress", "xz"))).isEqualTo(B + 4 * 96);
        assertThat(Launcher.heapMegabytes(List.of("backup", "--compress=xz", "--connections", "1"))).isEqualTo(B + 96);
        assertThat(Launcher.heapMegabytes(List.of("backup", "--compress", "zstd"))).isEqualTo(B);
        Path yaml = Files.writeString(dir.resolve("c.yaml"), "destination: /backup\ncompress: xz\nconnections:\n  total: 2\n");
        assertThat(Launcher.heapMegabytes(List.of("backup", "--config", yaml.toString()))).isEqualTo(B + 2 * 96);
        Path json = Files.writeString(dir.resolve("c.json"), "{\"destination\": \"/b\", \"accounts\": [{\"compress\": \"XZ\"}]}");
        assertThat(Launcher.heapMegabytes(List.of("backup", "--config", json.toString()))).as("an account's")
                .isEqualTo(B + 4 * 96);
    }
}
