package io.github.imapbackup.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Runs the program in a child JVM with a bounded heap when it was started without heap or collector
 * options ({@code java -jar imapbackup.jar}): a JVM's defaults on a large machine let the heap grow
 * to hundreds of megabytes although the program streams every message (see {@code docs/CLI.md},
 * "Memory"). The parent only waits: same {@code java}, class path, arguments and environment, the
 * terminal inherited; Ctrl-C reaches both (one process group) and the parent exits with the child's
 * status after it; SIGTERM to the parent is passed on; a child whose parent dies stops as on SIGTERM.
 */
final class Launcher {

    /** The options the child runs with: measured in {@code docs/benchmarks.md}, "Launcher". */
    static final List<String> CHILD_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx192m", "-XX:TieredStopAtLevel=1");

    /** The marker that the child carries: the launcher's process id. */
    static final String LAUNCHED_BY = "imapbackup.launchedBy";

    /** The opt-out: this system property {@code true}, or the environment variable {@code 1}. */
    static final String IN_PROCESS_PROPERTY = "imapbackup.inProcess";
    static final String IN_PROCESS_ENV = "IMAPBACKUP_IN_PROCESS";

    /** The status of a JVM ended by SIGTERM (128 + 15), as the child's stop on the launcher's death. */
    private static final int TERMINATED = 143;

    /** A JVM option of the user's that says how the heap is to be sized or collected. */
    private static final List<String> USER_MEMORY_OPTIONS = List.of("-Xmx", "-XX:MaxHeapSize=", "-XX:MaxRAM",
            "-XX:+Use", "-agentlib:jdwp"); // a debugger attached to this JVM wants the work here

    private Launcher() { }

    /**
     * Decides whether to re-launch.
     *
     * @param jvmArguments this JVM's input arguments
     * @param inProcessEnv the value of {@link #IN_PROCESS_ENV}, or null
     * @param inProcessProperty the value of {@link #IN_PROCESS_PROPERTY}, or null
     * @param launchedBy the value of {@link #LAUNCHED_BY}, or null
     * @param classPath the class path, or null/empty (run from the module path)
     * @return whether to run the program in a child JVM
     */
    static boolean shouldRelaunch(List<String> jvmArguments, String inProcessEnv, String inProcessProperty,
            String launchedBy, String classPath) {
        if (launchedBy != null || "1".equals(inProcessEnv) || "true".equalsIgnoreCase(inProcessEnv)
                || "true".equalsIgnoreCase(inProcessProperty) || classPath == null || classPath.isEmpty()) {
            return false;
        }
        return jvmArguments.stream().noneMatch(a -> USER_MEMORY_OPTIONS.stream().anyMatch(a::startsWith));
    }

    /**
     * Returns the child's command line.
     *
     * @param java the {@code java} binary
     * @param jvmArguments this JVM's input arguments (kept: {@code -D…} and the like)
     * @param classPath the class path
     * @param parentPid this process's id
     * @param args the program's arguments, unchanged
     * @return the command
     */
    static List<String> command(String java, List<String> jvmArguments, String classPath, long parentPid,
            List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(CHILD_OPTIONS);
        command.addAll(jvmArguments);
        command.add("-D" + LAUNCHED_BY + "=" + parentPid);
        command.add("-cp");
        command.add(classPath);
        command.add(Main.class.getName());
        command.addAll(args);
        return command;
    }

    /**
     * In the launcher: runs the program in a child JVM and returns its exit status, or returns empty
     * when the program is to run in this JVM (the user chose its memory options, opted out, or this
     * is the child).
     *
     * @param args the program's arguments
     * @param err where a failure to start the child is reported
     * @return the child's exit status, or empty
     */
    static OptionalInt relaunch(String[] args, PrintStream err) {
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String classPath = System.getProperty("java.class.path");
        if (!shouldRelaunch(jvm, System.getenv(IN_PROCESS_ENV), System.getProperty(IN_PROCESS_PROPERTY),
                System.getProperty(LAUNCHED_BY), System.getProperty("jdk.module.main") == null ? classPath : null)) {
            return OptionalInt.empty();
        }
        List<String> command = command(java(), jvm, classPath, ProcessHandle.current().pid(), List.of(args));
        Process child;
        try {
            child = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            err.println("imapbackup: cannot start a child JVM (" + e.getMessage() + "); running in this one. Set "
                    + IN_PROCESS_ENV + "=1 to skip the attempt.");
            return OptionalInt.empty();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Ctrl-C (the child has it too) or SIGTERM to this process alone: the child stops, then we
            if (child.isAlive()) {
                child.destroy();
                Runtime.getRuntime().halt(waitFor(child));
            }
        }, "imapbackup-launcher"));
        return OptionalInt.of(waitFor(child));
    }

    /** In the child: stops the program as on SIGTERM when the launcher is gone (killed with SIGKILL). */
    static void watchLauncher() {
        String by = System.getProperty(LAUNCHED_BY);
        if (by == null) {
            return;
        }
        Optional<ProcessHandle> launcher;
        try {
            launcher = ProcessHandle.of(Long.parseLong(by));
        } catch (NumberFormatException e) {
            return;
        }
        if (launcher.isEmpty()) {
            System.exit(TERMINATED);
        }
        launcher.get().onExit().thenRun(() -> System.exit(TERMINATED));
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int waitFor(Process child) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return child.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
