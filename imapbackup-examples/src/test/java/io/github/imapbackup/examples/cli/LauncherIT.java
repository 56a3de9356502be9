package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.imapbackup.examples.demo.DemoServer;
import io.github.imapbackup.examples.demo.SampleAccount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program started as users start it ({@code java} without options) runs its work in a second
 * JVM with bounded memory: real processes, real signals. The work here is a {@code folders} run
 * against a server that accepts the connection and never answers, so it waits until it is stopped.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LauncherIT {

    @TempDir
    Path tmp;

    private ServerSocket silent;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void silentServer() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Socket s = silent.accept();
                    synchronized (sockets) {
                        sockets.add(s);
                    }
                    accepted.incrementAndGet();
                }
            } catch (IOException e) {
                // closed
            }
        }, "silent-server");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void close() throws IOException {
        silent.close();
        synchronized (sockets) {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private String[] waitingFolders(String user) {
        return new String[] {"folders", "--host", "127.0.0.1", "--port", Integer.toString(silent.getLocalPort()),
            "--security", "none", "--user", user, "--password-env", "LAUNCHER_PW", "--timeout", "300"};
    }

    /** Waits until the program has connected to the silent server (it is at work). */
    private void awaitConnection(ChildProgram p, int count) throws InterruptedException {
        while (accepted.get() < count) {
            assertThat(p.process().isAlive()).as("still running; %s", p).isTrue();
            Thread.sleep(5);
        }
    }

    /** The JVM the launcher started (the program is at work: it has connected). */
    private static ProcessHandle worker(ChildProgram p) {
        return p.process().children().findFirst().orElseThrow(() -> new AssertionError("no worker JVM; " + p));
    }

    @Test
    void theWorkRunsInABoundedJvmWithTheSameJavaArgumentsAndEnvironment() throws Exception {
        String[] args = waitingFolders("Ünïcode user with spaces");
        Path temporary = Files.createDirectory(tmp.resolve("temporary"));
        ChildProgram p = ChildProgram.start(tmp, List.of("-Djava.io.tmpdir=" + temporary), Map.of("LAUNCHER_PW", "pw"),
                args);
        awaitConnection(p, 1); // the worker read the password from the environment and connected
        ProcessHandle worker = worker(p);
        List<String> arguments = ChildProgram.arguments(worker);
        assertThat(worker.info().command()).isEqualTo(p.process().info().command());
        assertThat(arguments).containsSubsequence(Launcher.childOptions(Path.of("any")).subList(0, 2))
                .containsSubsequence(WorkerCompiler.OPTIONS)
                .contains("-D" + Launcher.LAUNCHED_BY + "=" + p.process().pid(), Main.class.getName());
        assertThat(arguments.subList(arguments.size() - args.length, arguments.size())).containsExactly(args);
        assertThat(worker.children().count()).as("the worker does not launch again").isZero();
        assertThat(WorkerCompilerIT.directives(worker)).as("C2 for the JDK's digests and ciphers and the line-end search alone")
                .contains("matching: io/github/imapbackup/mbox/internal/Bytes.indexOfNewline, "
                        + "sun/security/util/math/intpoly/IntegerPolynomial1305.*, com/sun/crypto/provider/*.*, "
                        + "sun/security/provider/ByteArrayAccess.*, sun/security/provider/DigestBase.*, "
                        + "sun/security/provider/SHA*.*");
        try (var left = Files.list(temporary)) {
            assertThat(left).as("the directives file, deleted once added").isEmpty();
        }

        // SIGTERM to the launcher alone: passed on; the launcher waits and exits with the worker's status
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(p.process().pid())).start().waitFor()).isZero();
        int exit = p.process().waitFor();
        assertThat(worker.isAlive()).as("the worker ended before the launcher").isFalse();
        assertThat(exit).as(p.toString()).isEqualTo(143);
    }

    /** The shipped jar started as the README says, {@code java -jar FILE …}, with these environment variables. */
    private Process shippedJar(Map<String, String> env, String... args) throws IOException {
        Path jar = Path.of("target", "imapbackup.jar").toAbsolutePath();
        assumeTrue(Files.isRegularFile(jar), "needs the shaded jar (mvn package)");
        List<String> command = new ArrayList<>(List.of(ChildProgram.java(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(tmp.resolve("jar.out").toFile()).redirectError(tmp.resolve("jar.err").toFile());
        pb.environment().remove(Launcher.IN_PROCESS_ENV);
        Launcher.OPTION_VARIABLES.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        return pb.start();
    }

    /** {@return the JVM options of the user's that a worker got: those between its heap bound and the marker} */
    private static List<String> usersOptions(ProcessHandle worker) throws IOException {
        List<String> a = ChildProgram.arguments(worker);
        int heap = -1;
        int marker = -1;
        for (int i = 0; i < a.size(); i++) {
            if (heap < 0 && a.get(i).startsWith("-Xmx")) {
                heap = i;
            } else if (a.get(i).startsWith("-D" + Launcher.LAUNCHED_BY + "=")) {
                marker = i;
            }
        }
        assertThat(heap).as("%s", a).isNotNegative().isLessThan(marker);
        return a.subList(heap + 1, marker);
    }

    @Test
    void theReadmesCommandGivesTheWorkerNoOptionAndTheOptionVariablesAreHeard() throws Exception {
        // java -jar FILE …: the launcher reads its command line instead of asking JMX; the variables
        // that add options make it ask JMX, which sees theirs
        Process plain = shippedJar(Map.of("LAUNCHER_PW", "pw"), waitingFolders("u"));
        Process tool = shippedJar(Map.of("LAUNCHER_PW", "pw", "JAVA_TOOL_OPTIONS", "-Dimapbackup.test.tool=1"),
                waitingFolders("u"));
        Process heap = shippedJar(Map.of("LAUNCHER_PW", "pw", "JDK_JAVA_OPTIONS", "-Xmx200m"), waitingFolders("u"));
        try {
            while (accepted.get() < 3) {
                for (Process p : List.of(plain, tool, heap)) {
                    assertThat(p.isAlive()).as("still running; %s", Files.readString(tmp.resolve("jar.err"))).isTrue();
                }
                Thread.sleep(5);
            }
            ProcessHandle plainWorker = plain.children().findFirst().orElseThrow();
            assertThat(usersOptions(plainWorker)).isEmpty();
            assertThat(ChildProgram.arguments(plainWorker)).doesNotContain("-jar");
            ProcessHandle toolWorker = tool.children().findFirst().orElseThrow();
            assertThat(usersOptions(toolWorker)).contains("-Dimapbackup.test.tool=1");
            assertThat(heap.children().count()).as("the user's heap bound through JDK_JAVA_OPTIONS: one JVM").isZero();
        } finally {
            for (Process p : List.of(plain, tool, heap)) {
                p.destroy();
                p.waitFor();
            }
        }
    }

    @Test
    void ctrlCReachesBothAndTheLauncherEndsAfterTheWorker() throws Exception {
        ChildProgram p = ChildProgram.start(tmp, List.of(), Map.of("LAUNCHER_PW", "pw"), waitingFolders("u"));
        awaitConnection(p, 1);
        ProcessHandle worker = worker(p);
        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(p.process().pid()), Long.toString(worker.pid()))
                .start().waitFor()).isZero();
        int exit = p.process().waitFor();
        assertThat(worker.isAlive()).as("the worker ended before the launcher").isFalse();
        assertThat(exit).as("the worker's status: interrupted (SIGINT, or the SIGTERM passed on); " + p)
                .isIn(130, 143);
    }

    @Test
    void aWorkerWhoseLauncherIsKilledStopsByItself() throws Exception {
        ChildProgram p = ChildProgram.start(tmp, List.of(), Map.of("LAUNCHER_PW", "pw"), waitingFolders("u"));
        awaitConnection(p, 1);
        ProcessHandle worker = worker(p);
        assertThat(new ProcessBuilder("kill", "-KILL", Long.toString(p.process().pid())).start().waitFor()).isZero();
        p.process().waitFor();
        worker.onExit().get(); // else the test times out
        assertThat(worker.isAlive()).isFalse();
    }

    @Test
    void theOptOutsAndTheUsersOwnHeapOptionKeepTheWorkInProcess() throws Exception {
        List<ChildProgram> runs = List.of(
                ChildProgram.start(tmp, List.of("-Dimapbackup.inProcess=true"), Map.of("LAUNCHER_PW", "pw"),
                        waitingFolders("u")),
                ChildProgram.start(tmp, List.of(), Map.of("LAUNCHER_PW", "pw", Launcher.IN_PROCESS_ENV, "1"),
                        waitingFolders("u")),
                ChildProgram.start(tmp, List.of("-Xmx200m"), Map.of("LAUNCHER_PW", "pw"), waitingFolders("u")),
                ChildProgram.start(tmp, List.of("-XX:+UseParallelGC"), Map.of("LAUNCHER_PW", "pw"),
                        waitingFolders("u")));
        awaitConnection(runs.get(0), runs.size());
        for (ChildProgram p : runs) {
            assertThat(p.process().children().count()).as("no second JVM; %s", p).isZero();
            p.process().destroy();
            p.process().waitFor();
        }
    }

    @Test
    void theExitStatusOutputAndErrorsAreTheWorkersAndThePasswordVariableReachesIt() throws Exception {
        try (DemoServer server = DemoServer.start("demo", "demo-pw")) {
            server.load(SampleAccount.generate(7, 16 * 1024));
            String[] folders = {"folders", "--host", DemoServer.HOST, "--port", Integer.toString(server.port()),
                "--security", "none", "--user", "demo", "--password-env", "LAUNCHER_PW"};
            ChildProgram ok = ChildProgram.start(tmp, List.of(), Map.of("LAUNCHER_PW", "demo-pw"), folders);
            assertThat(ok.process().waitFor()).as(ok.toString()).isZero();
            assertThat(ok.out()).contains("INBOX").doesNotContain("directives");
            assertThat(ok.err()).as("nothing from either JVM (compiler directives are added silently)").isEmpty();

            ChildProgram refused = ChildProgram.start(tmp, List.of(), Map.of("LAUNCHER_PW", "wrong"), folders);
            assertThat(refused.process().waitFor()).as(refused.toString()).isEqualTo(ExitStatus.CONNECT);
            assertThat(refused.err()).doesNotContain("wrong");
        }
        ChildProgram usage = ChildProgram.start(tmp, "no-such-command");
        assertThat(usage.process().waitFor()).as(usage.toString()).isEqualTo(ExitStatus.USAGE);
        assertThat(usage.err()).contains("unknown command 'no-such-command'");
    }

    @Test
    void thePasswordPromptWorksThroughTheLauncher() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(script), "needs util-linux's script(1) for a terminal");
        try (DemoServer server = DemoServer.start("demo", "prompted-pw")) {
            server.load(SampleAccount.generate(7, 16 * 1024));
            List<String> command = new ArrayList<>(List.of(ChildProgram.java(), "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "folders", "--host", DemoServer.HOST,
                    "--port", Integer.toString(server.port()), "--security", "none", "--user", "demo"));
            String line = command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
                    .collect(Collectors.joining(" "));
            ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qec", line, "/dev/null")
                    .redirectErrorStream(true);
            pb.environment().remove(Launcher.IN_PROCESS_ENV);
            Process p = pb.start();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            InputStream in = p.getInputStream();
            while (!seen.toString(StandardCharsets.UTF_8).contains("Password for")) {
                int b = in.read();
                assertThat(b).as("the prompt; seen: %s", seen).isNotNegative();
                seen.write(b);
            }
            assertThat(p.descendants().filter(h -> {
                try {
                    return ChildProgram.arguments(h).stream().anyMatch(a -> a.startsWith("-D" + Launcher.LAUNCHED_BY + "="));
                } catch (IOException e) {
                    return false; // not a process of ours any more
                }
            }).count())
                    .as("the prompt comes from the worker JVM").isEqualTo(1);
            OutputStream keys = p.getOutputStream();
            keys.write("prompted-pw\n".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            in.transferTo(seen);
            assertThat(p.waitFor()).as(seen.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(seen.toString(StandardCharsets.UTF_8)).contains("INBOX").doesNotContain("prompted-pw");
        }
    }
}
