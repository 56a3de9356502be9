package io.github.imapbackup.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the program in a child JVM with a bounded heap when it was started without heap or collector
 * options ({@code java -jar imapbackup.jar}): a JVM's defaults on a large machine let the heap grow
 * to hundreds of megabytes although the program streams every message (see {@code docs/CLI.md},
 * "Memory"). The parent only waits: same {@code java}, class path, arguments and environment, the
 * terminal inherited; Ctrl-C reaches both (one process group) and the parent exits with the child's
 * status after it; SIGTERM to the parent is passed on; a child whose parent dies stops as on SIGTERM.
 */
final class Launcher {

    /**
     * The options the child runs with besides its heap bound ({@link #heapMegabytes}) when it cannot be
     * given compiler directives ({@link WorkerCompiler}; not HotSpot, no file for them): measured in
     * {@code docs/benchmarks.md}, "Launcher" and "CPU per gigabyte". A small fixed young generation
     * keeps the memory the collector touches close to what is live. The C2 compiler starts only at
     * a hundred times its usual thresholds: it then compiles the few methods that run millions of
     * times (SHA-256, whose CPU instructions only C2 code uses) and little else, so a run spends
     * about half the CPU of C1 alone ({@code -XX:TieredStopAtLevel=1}, which hashed at 130 MB/s)
     * without C2's start-up work and memory.
     */
    static final List<String> CHILD_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmn16m",
            "-XX:Tier4InvocationThreshold=500000", "-XX:Tier4MinInvocationThreshold=60000",
            "-XX:Tier4CompileThreshold=1500000", "-XX:Tier4BackEdgeThreshold=4000000");

    /** The child's collector options, with or without compiler directives. */
    private static final List<String> COLLECTOR_OPTIONS = CHILD_OPTIONS.subList(0, 2);

    /**
     * A backup's young generation instead of {@code -Xmn16m}: a backup keeps a few megabytes in
     * flight (each connection's current response, the bodies a server sent early, the folder's
     * index), more than the 1.6 MB survivor spaces of a 16 MB young generation hold, so every
     * young collection copied them into the old generation, into pages touched for the first time.
     * With 5 MB survivor spaces they die young: half the collections and half their time, and a
     * lower peak RSS (docs/benchmarks-imap.md, "A backup's young generation"). Restores and
     * migrations keep {@code -Xmn16m}: their measured memory (MULTIAPPEND batches) was made with it.
     */
    static final List<String> BACKUP_YOUNG = List.of("-Xmn32m", "-XX:SurvivorRatio=4");
    /** What {@link #BACKUP_YOUNG} adds to the heap bound, so that the old generation keeps its room. */
    static final int BACKUP_YOUNG_EXTRA_MB = 16;

    /** The heap bound for up to {@value #SMALL_RUN} connections in all. */
    static final int BASE_HEAP_MB = 128;
    /**
     * Connections in all that {@link #BASE_HEAP_MB} covers: the default 4 (a 20,000-message migration
     * with 4 connections ran at 184 MB RSS with it; docs/benchmarks.md, "Launcher").
     */
    static final int SMALL_RUN = 4;
    /** What each further connection may hold: two MULTIAPPEND batches of 4 MiB, a fetch chunk, its buffers. */
    static final int HEAP_MB_PER_CONNECTION = 16;
    /**
     * What each connection may hold more when the backup is compressed with xz: one xz encoder at
     * its default level, 6 (93 MiB, as {@code xz -6}; docs/CODECS.md, "Memory"), for the folder it
     * writes.
     */
    static final int XZ_HEAP_MB_PER_CONNECTION = 96;
    /** The most the heap is bounded to, however many connections are asked for. */
    static final int MAX_HEAP_MB = 2048;

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
        for (String a : jvmArguments) { // loops, not streams: the launcher JVM loads as little as it can
            for (String option : USER_MEMORY_OPTIONS) {
                if (a.startsWith(option)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Returns the child's command line.
     *
     * @param java the {@code java} binary
     * @param jvmArguments this JVM's input arguments (kept: {@code -D…} and the like)
     * @param classPath the class path
     * @param parentPid this process's id
     * @param args the program's arguments, unchanged
     * @param directives the compiler directives file for the child ({@link WorkerCompiler}), or null
     * @param archive the child's class archive options ({@link WorkerClassArchive}), or empty
     * @return the command
     */
    static List<String> command(String java, List<String> jvmArguments, String classPath, long parentPid,
            List<String> args, Path directives, List<String> archive) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(childOptions(directives, args));
        command.addAll(archive);
        command.add("-Xmx" + heapMegabytes(args) + "m");
        command.addAll(jvmArguments);
        command.add("-D" + LAUNCHED_BY + "=" + parentPid);
        command.add("-cp");
        command.add(classPath);
        command.add(Main.class.getName());
        command.addAll(args);
        return command;
    }

    /**
     * Returns the child's options besides its heap bound: {@link #CHILD_OPTIONS} without a directives
     * file, else the collector's and {@link WorkerCompiler#OPTIONS} with the file's name.
     *
     * @param directives the compiler directives file, or null
     * @return the options
     */
    static List<String> childOptions(Path directives) {
        return childOptions(directives, List.of());
    }

    /**
     * Returns the child's options besides its heap bound for a run of {@code args}: those of
     * {@link #childOptions(Path)}, with {@link #BACKUP_YOUNG} for {@code -Xmn16m} when the command
     * is {@code backup}.
     *
     * @param directives the compiler directives file, or null
     * @param args the program's arguments
     * @return the options
     */
    static List<String> childOptions(Path directives, List<String> args) {
        List<String> options = new ArrayList<>(directives == null ? CHILD_OPTIONS : COLLECTOR_OPTIONS);
        if (backup(args)) {
            options.remove("-Xmn16m");
            options.addAll(1, BACKUP_YOUNG);
        }
        if (directives != null) {
            options.addAll(WorkerCompiler.OPTIONS);
            options.add("-D" + WorkerCompiler.FILE_PROPERTY + "=" + directives.toAbsolutePath());
        }
        return options;
    }

    /** {@return whether the arguments run the {@code backup} command} */
    private static boolean backup(List<String> args) {
        return !args.isEmpty() && args.get(0).equals("backup");
    }

    /**
     * Returns the child's heap bound: {@value #BASE_HEAP_MB} MB, and {@value #HEAP_MB_PER_CONNECTION} MB
     * more for each connection beyond {@value #SMALL_RUN} that the arguments ask for in all
     * ({@code --connections N}, times {@code --parallel N} of {@code migrate --accounts}; with
     * {@code backup --config FILE}, the file's total connections), and
     * {@value #XZ_HEAP_MB_PER_CONNECTION} MB more for each connection when the backup is compressed
     * with xz ({@code --compress xz}, or {@code compress: xz} in the file), and
     * {@value #BACKUP_YOUNG_EXTRA_MB} MB more for a backup's bigger young generation
     * ({@link #BACKUP_YOUNG}), at most {@value #MAX_HEAP_MB} MB. Messages are streamed; what grows
     * with the connections is each one's batches and buffers, and the encoder of each folder written
     * at once.
     *
     * @param args the program's arguments
     * @return megabytes
     */
    static int heapMegabytes(List<String> args) {
        String config = value(args, "--config");
        String text = config != null ? configText(Path.of(config)) : "";
        long connections = config != null ? configTotalConnections(text)
                : Math.max(1, option(args, "--connections", 4)) * Math.max(1,
                given(args, "--accounts") ? option(args, "--parallel", 2) : 1);
        long mb = BASE_HEAP_MB + Math.max(0, connections - SMALL_RUN) * HEAP_MB_PER_CONNECTION
                + (backup(args) ? BACKUP_YOUNG_EXTRA_MB : 0);
        if ("xz".equalsIgnoreCase(value(args, "--compress")) || XZ.matcher(text).find()) {
            mb += connections * XZ_HEAP_MB_PER_CONNECTION;
        }
        return (int) Math.min(MAX_HEAP_MB, mb);
    }

    /** {@return the value of {@code --name N} or {@code --name=N}, or the default when absent or not a number} */
    private static long option(List<String> args, String name, long otherwise) {
        String value = value(args, name);
        if (value != null) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                return otherwise; // the program itself reports the bad value
            }
        }
        return otherwise;
    }

    /** {@return whether {@code --name} or {@code --name=V} is among the arguments} */
    private static boolean given(List<String> args, String name) {
        for (String a : args) {
            if (a.equals(name) || a.startsWith(name + "=")) {
                return true;
            }
        }
        return false;
    }

    /** {@return the value of {@code --name V} or {@code --name=V}, or null} */
    private static String value(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(name) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return null;
    }

    /** The total connections of a configuration file: {@code total_processes} or {@code total} (docs/CONFIG.md). */
    private static final Pattern TOTAL = Pattern.compile("\"?(?:total_processes|total)\"?\\s*:\\s*(\\d{1,4})\\b");
    /** A configuration file's {@code compress: xz}, of the file or of an account. */
    private static final Pattern XZ = Pattern.compile("\"?compress\"?\\s*:\\s*\"?xz\\b", Pattern.CASE_INSENSITIVE);

    /**
     * Returns a configuration file's total connections, read with a glance at its text rather than the
     * configuration reader (which the launcher does not load): the accounts together use no more; 4
     * (the default) when the file does not say or cannot be read, which the program itself then reports.
     */
    static long configTotalConnections(String text) {
        try {
            Matcher m = TOTAL.matcher(text);
            return m.find() ? Math.max(1, Long.parseLong(m.group(1))) : 4;
        } catch (RuntimeException e) {
            return 4;
        }
    }

    /** {@return a configuration file's text, or the empty string when it cannot be read (the program reports it)} */
    private static String configText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
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
        if (System.getProperty(LAUNCHED_BY) != null) {
            return OptionalInt.empty(); // the child: without asking for the JVM's arguments (30-50 ms cold)
        }
        List<String> jvm = jvmArguments(args);
        String classPath = System.getProperty("java.class.path");
        if (!shouldRelaunch(jvm, System.getenv(IN_PROCESS_ENV), System.getProperty(IN_PROCESS_PROPERTY),
                null, System.getProperty("jdk.module.main") == null ? classPath : null)) {
            return OptionalInt.empty();
        }
        long pid = ProcessHandle.current().pid();
        Path directives = WorkerCompiler.supported(System.getProperty("java.vm.name"), WorkerCompiler.internalPackage())
                ? WorkerCompiler.write(Path.of(System.getProperty("java.io.tmpdir")), pid).orElse(null) : null;
        WorkerClassArchive archive = WorkerClassArchive.forRun(System.getenv(WorkerClassArchive.OPT_OUT_ENV),
                WorkerClassArchive.cacheDir(System.getProperty(WorkerClassArchive.CACHE_PROPERTY),
                        System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home")),
                classPath, jvm, List.of(args), pid);
        List<String> command = command(java(), jvm, classPath, pid, List.of(args), directives,
                archive == null ? List.of() : archive.options());
        Process child;
        try {
            child = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            deleteDirectives(directives);
            finish(archive, -1);
            err.println("imapbackup: cannot start a child JVM (" + e.getMessage() + "); running in this one. Set "
                    + IN_PROCESS_ENV + "=1 to skip the attempt.");
            return OptionalInt.empty();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Ctrl-C (the child has it too) or SIGTERM to this process alone: the child stops, then we
            if (child.isAlive()) {
                child.destroy();
                int status = waitFor(child);
                deleteDirectives(directives);
                finish(archive, -1); // an interrupted run's classes are not the archive's
                Runtime.getRuntime().halt(status);
            } else if (archive != null) {
                archive.abandon(); // stopped while the first backup's archive was dumped
            }
        }, "imapbackup-launcher"));
        int status = waitFor(child);
        deleteDirectives(directives); // the child deletes it once added; not if it ended before
        Path damaged = finish(archive, status);
        if (damaged != null) {
            err.println("imapbackup: the worker JVM crashed (status " + status + ") with the class archive " + damaged
                    + ", which may be damaged; it is deleted, and the next run makes a new one. Run again (set "
                    + WorkerClassArchive.OPT_OUT_ENV + "=0 to run without an archive).");
        }
        return OptionalInt.of(status);
    }

    /** The environment variables through which a JVM takes options that its command line does not show. */
    static final List<String> OPTION_VARIABLES = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS");

    /**
     * Returns this JVM's input arguments. The README's command, {@code java -jar FILE} and the program's
     * arguments, has none: that is read from {@code /proc/self/cmdline} in about a millisecond. Any
     * other command line, one that cannot be read, or an environment variable of
     * {@link #OPTION_VARIABLES} set, asks JMX (30-40 ms in a cold JVM), which also sees the options of
     * those variables and of {@code @argfiles}.
     */
    private static List<String> jvmArguments(String[] args) {
        if (plainJar(commandLine(), List.of(args), System::getenv)) {
            return List.of();
        }
        return ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    /**
     * Whether a process's command line is {@code java -jar FILE} followed by exactly the program's
     * arguments, with no environment variable of {@link #OPTION_VARIABLES} set: then the JVM has no
     * input arguments.
     *
     * @param commandLine the process's command line, the program first; empty when unknown
     * @param args the program's arguments, as {@code main} got them
     * @param env the environment
     * @return whether the JVM was started without options
     */
    static boolean plainJar(List<String> commandLine, List<String> args, UnaryOperator<String> env) {
        for (String v : OPTION_VARIABLES) {
            String value = env.apply(v);
            if (value != null && !value.isBlank()) {
                return false;
            }
        }
        return commandLine.size() == args.size() + 3 && commandLine.get(1).equals("-jar")
                && commandLine.subList(3, commandLine.size()).equals(args);
    }

    /** {@return this process's command line from /proc, decoded as the JVM decoded its arguments; empty when unknown} */
    private static List<String> commandLine() {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            String jnu = System.getProperty("sun.jnu.encoding");
            Charset cs = jnu != null && Charset.isSupported(jnu) ? Charset.forName(jnu) : Charset.defaultCharset();
            List<String> words = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) { // each argument ends with a NUL; an empty argument is a NUL alone
                    words.add(new String(b, start, i - start, cs));
                    start = i + 1;
                }
            }
            return start == b.length ? words : List.of(); // cut short: not to be trusted
        } catch (IOException | RuntimeException e) {
            return List.of(); // not Linux, or no /proc
        }
    }

    private static Path finish(WorkerClassArchive archive, int status) {
        return archive == null ? null : archive.finish(status, java());
    }

    private static void deleteDirectives(Path directives) {
        if (directives != null) {
            WorkerCompiler.delete(directives);
        }
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
