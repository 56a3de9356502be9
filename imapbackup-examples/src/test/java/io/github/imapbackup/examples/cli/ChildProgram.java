package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The program running as a child process, as users start it: {@code java -cp … Main ARGS}, its
 * main class on this test's class path, no JVM options unless given, so that it re-launches itself
 * ({@link Launcher}) unless told to stay in process.
 */
final class ChildProgram {

    private final Process process;
    private final Path out;
    private final Path err;

    private ChildProgram(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** The program started through the launcher: the work runs in a second JVM. */
    static ChildProgram start(Path dir, String... args) throws IOException {
        return start(dir, List.of(), Map.of(), args);
    }

    /** The program with JVM options and environment variables of the test's. */
    static ChildProgram start(Path dir, List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "child", ".out");
        Path err = Files.createTempFile(dir, "child", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove(Launcher.IN_PROCESS_ENV);
        pb.environment().putAll(env);
        return new ChildProgram(pb.start(), out, err);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    Process process() {
        return process;
    }

    /**
     * Returns a process's arguments (without the command) from {@code /proc/PID/cmdline}: the JDK's
     * {@code ProcessHandle.Info.arguments()} gives none for a command line longer than a page (4096
     * bytes), as a worker's with a test's class path is.
     */
    static List<String> arguments(ProcessHandle p) throws IOException {
        String all = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of(all.split("\0", -1)));
        args.remove(args.size() - 1); // after the last NUL
        return args.subList(1, args.size());
    }

    /**
     * Waits until {@code ready} holds (the program is at work), sends the signal as a user would and
     * waits until the program (launcher and worker) has ended: {@code INT} is Ctrl-C, which the
     * terminal sends to every process of the foreground group; anything else goes to the process
     * the user started.
     */
    void interruptWhen(String signal, BooleanSupplier ready) throws Exception {
        for (ProcessHandle p : signalWhen(signal, ready)) {
            p.onExit().get(); // a worker whose launcher was killed stops by itself
        }
    }

    /**
     * As {@link #interruptWhen}, and fails unless the program (launcher and worker) has ended
     * within {@code bound} of the signal: a bounded wait, not a measured time.
     */
    void interruptWithin(String signal, BooleanSupplier ready, java.time.Duration bound) throws Exception {
        for (ProcessHandle p : signalWhen(signal, ready)) {
            try {
                p.onExit().get(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                fail("the program did not end within " + bound + " of SIG" + signal + "; " + this);
            }
        }
    }

    /** Waits until {@code ready}, sends the signal; returns the processes signalled, the started one first. */
    private List<ProcessHandle> signalWhen(String signal, BooleanSupplier ready) throws Exception {
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                fail("the child ended before it could be interrupted; " + this);
            }
            Thread.sleep(5);
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(0, process.toHandle());
        List<String> kill = new ArrayList<>(List.of("kill", "-" + signal));
        (signal.equals("INT") ? all : all.subList(0, 1)).forEach(p -> kill.add(Long.toString(p.pid())));
        assertThat(new ProcessBuilder(kill).start().waitFor()).isZero();
        return all;
    }

    /**
     * Sends SIGKILL as soon as {@code when} holds, polling it tightly: to the JVM that does the work
     * (the worker when launched, then the launcher too), as a power cut or the OOM killer would; or,
     * with {@code launcherOnly}, to the process the user started only, whose worker must then stop
     * by itself (within a minute: it did not hang).
     *
     * @return true when killed, false when the program ended by itself first
     */
    boolean killWhen(BooleanSupplier when, boolean launcherOnly) throws Exception {
        while (!when.getAsBoolean()) {
            if (process.waitFor(1, TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        if (launcherOnly) {
            process.destroyForcibly();
        } else {
            all.forEach(ProcessHandle::destroyForcibly);
        }
        process.waitFor();
        for (ProcessHandle p : all) {
            p.onExit().get(1, TimeUnit.MINUTES);
        }
        return true;
    }

    /** The files under {@code dir} that the program (launcher or worker) has open now, from /proc. */
    List<Path> openFiles(Path dir) {
        List<Path> open = new ArrayList<>();
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        for (ProcessHandle p : all) {
            try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(p.pid()), "fd"))) {
                for (Path fd : fds.toList()) {
                    try {
                        Path target = Files.readSymbolicLink(fd);
                        if (target.startsWith(dir)) {
                            open.add(target);
                        }
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // the process has ended
            }
        }
        return open;
    }

    String out() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    String err() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    void assertSaidWhatHappened(String command) throws IOException {
        assertThat(err()).as(toString()).contains("imapbackup " + command + ": interrupted")
                .contains(command + " interrupted after").contains("again");
    }

    @Override
    public String toString() {
        try {
            return "exit " + (process.isAlive() ? "(running)" : process.exitValue())
                    + "\n--- out:\n" + out() + "\n--- err:\n" + err();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
