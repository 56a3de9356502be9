package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker adds its compiler directives without a word on its output, through the public MBean
 * when the internal package is not opened to it, and runs on when the JVM refuses them: real JVMs
 * started as the launcher starts its worker, the directives read back with {@code jcmd}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkerCompilerIT {

    @TempDir
    Path tmp;

    /** {@return what {@code jcmd PID Compiler.directives_print} says of a running JVM} */
    static String directives(ProcessHandle jvm) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        assumeTrue(Files.isExecutable(jcmd), "needs the JDK's jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(jvm.pid()), "Compiler.directives_print")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    /** The options the launcher gives a worker, the internal package opened or not, and the file's name. */
    private static List<String> workerOptions(boolean opened, Path file) {
        List<String> options = new ArrayList<>(Launcher.childOptions(file));
        if (!opened) {
            options.removeIf(o -> o.startsWith("--add-opens"));
        }
        options.add("-D" + Launcher.LAUNCHED_BY + "=" + ProcessHandle.current().pid());
        return options;
    }

    @Test
    void withoutTheInternalPackageThePublicMBeanAddsThemAsSilently() throws Exception {
        Path file = WorkerCompiler.write(tmp, 1).orElseThrow();
        try (DemoServer server = DemoServer.start("demo", "demo-pw")) {
            server.load(SampleAccount.generate(7, 16 * 1024));
            ChildProgram p = ChildProgram.start(tmp, workerOptions(false, file), Map.of("PW", "demo-pw"), "folders",
                    "--host", DemoServer.HOST, "--port", Integer.toString(server.port()), "--security", "none",
                    "--user", "demo", "--password-env", "PW", "--debug");
            assertThat(p.process().waitFor()).as(p.toString()).isZero();
            assertThat(p.out()).contains("INBOX").doesNotContain("directives");
            assertThat(p.err()).as("only at DEBUG").contains("compiler directives: 2 compiler directives added");
        }
        assertThat(file).as("deleted once added").doesNotExist();
    }

    @Test
    void aJvmThatRefusesThemRunsOnAndSaysNothing() throws Exception {
        Path garbage = Files.writeString(tmp.resolve("garbage.directives"), "[ { match: ");
        try (DemoServer server = DemoServer.start("demo", "demo-pw")) {
            server.load(SampleAccount.generate(7, 16 * 1024));
            for (Path file : List.of(tmp.resolve("missing.directives"), garbage)) {
                ChildProgram p = ChildProgram.start(tmp, workerOptions(true, file), Map.of("PW", "demo-pw"),
                        "folders", "--host", DemoServer.HOST, "--port", Integer.toString(server.port()), "--security",
                        "none", "--user", "demo", "--password-env", "PW");
                assertThat(p.process().waitFor()).as(p.toString()).isZero();
                assertThat(p.out()).contains("INBOX").doesNotContain("directives");
                assertThat(p.err()).as(file.toString()).isEmpty();
            }
        }
    }

    @Test
    void aJvmOutsideTheLauncherIsLeftAlone() throws Exception {
        Path file = WorkerCompiler.write(tmp, 2).orElseThrow();
        // the property alone, as an embedder or a user might set it, without the launcher's marker
        ChildProgram p = ChildProgram.start(tmp, List.of("-Dimapbackup.inProcess=true",
                "-D" + WorkerCompiler.FILE_PROPERTY + "=" + file), Map.of(), "folders", "--help");
        assertThat(p.process().waitFor()).as(p.toString()).isZero();
        assertThat(file).as("not the worker: not read, not deleted").exists();
    }
}
