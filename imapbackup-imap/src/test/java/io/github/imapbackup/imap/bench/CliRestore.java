package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.TinyJson;
import io.github.imapbackup.testing.bench.TimedRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the command line program's {@code restore} (or another command) as users run it, for
 * {@link RestoreBenchmark} and {@link MigrateBenchmark}: {@code java -jar imapbackup.jar restore ...}
 * in a new (cold) JVM with no JVM options, through {@link TimedRun} for its wall time and peak RSS
 * (the launcher and its worker JVM together); the counters come from its {@code --report} file.
 */
final class CliRestore {

    /**
     * One run.
     *
     * @param exit the exit status
     * @param wallSeconds from starting {@code java} to its exit (JVM start included)
     * @param runSeconds from the report's {@code startedAt} to its {@code finishedAt}
     * @param peakRssKb the peak RSS of the program in KiB (all its processes), or -1 without /usr/bin/time
     * @param rss the same in words, per process
     * @param copied {@code messagesCopied}
     * @param bytes {@code bytesCopied}
     * @param onSource {@code messagesOnSource}
     * @param output where the program's output is
     * @param cpuSeconds user + system CPU seconds of all its processes, or -1 without /usr/bin/time
     */
    record Result(int exit, double wallSeconds, double runSeconds, long peakRssKb, String rss, long copied,
            long bytes, long onSource, Path output, double cpuSeconds) { }

    private final Path jar;
    private final Path javaCommand = Path.of(System.getProperty("java.home"), "bin", "java");

    CliRestore(Path jar) {
        this.jar = jar;
    }

    /**
     * Says why the restore cannot be measured: the jar is missing, or has no {@code restore}
     * command yet ({@code restore --help} shows no {@code --dir}).
     *
     * @param work where to put the help output
     * @return the reason, or empty when it can run
     * @throws IOException if java cannot be started
     */
    Optional<String> unavailable(Path work) throws IOException {
        return unavailable(work, "restore", "--dir");
    }

    /**
     * Says why a command cannot be measured: the jar is missing, or its {@code --help} does not
     * show {@code option} (not implemented yet).
     *
     * @param work where to put the help output
     * @param command the command
     * @param option an option its help must show
     * @return the reason, or empty when it can run
     * @throws IOException if java cannot be started
     */
    Optional<String> unavailable(Path work, String command, String option) throws IOException {
        if (!Files.isRegularFile(jar)) {
            return Optional.of(jar + " does not exist: build it with `mvn -q -B package -DskipTests` "
                    + "from the repository root");
        }
        Path out = work.resolve(command + "-help.out");
        int exit = TimedRun.run(List.of(javaCommand.toString(), "-jar", jar.toString(), command, "--help"), out,
                work.resolve(command + "-help.time")).exit();
        String help = Files.readString(out, StandardCharsets.UTF_8);
        if (exit != 0 || !help.contains(option) || help.contains("not implemented")) {
            return Optional.of(jar + " has no " + command + " command yet (`" + command + " --help` exit " + exit
                    + ": " + help.lines().skip(1).findFirst().orElse("").trim() + ")");
        }
        return Optional.empty();
    }

    /**
     * Restores a backup directory into an account.
     *
     * @param backup the backup directory
     * @param host the server
     * @param port its plain IMAP port
     * @param user the user
     * @param passwordFile a file holding the password
     * @param connections the {@code --connections} value, or null for the default
     * @param work where to put the output, report and time files
     * @param label names those files
     * @return what the run did
     * @throws IOException if the program cannot be started or wrote no report
     */
    Result run(Path backup, String host, int port, String user, Path passwordFile, Integer connections, Path work,
            String label) throws IOException {
        List<String> args = new ArrayList<>(List.of("--dir", backup.toString(), "--host", host,
                "--port", String.valueOf(port), "--security", "none", "--user", user,
                "--password-file", passwordFile.toString()));
        if (connections != null) {
            args.addAll(List.of("--connections", connections.toString()));
        }
        return run("restore", args, work, label);
    }

    /**
     * Runs a command of the program with {@code --report}.
     *
     * @param command the command, e.g. {@code migrate}
     * @param args its arguments
     * @param work where to put the output, report and time files
     * @param label names those files
     * @return what the run did
     * @throws IOException if the program cannot be started or wrote no report
     */
    Result run(String command, List<String> args, Path work, String label) throws IOException {
        Path out = work.resolve(command + "-" + label + ".out");
        Path report = work.resolve(command + "-" + label + ".json");
        Files.deleteIfExists(report);
        List<String> cmd = new ArrayList<>(List.of(javaCommand.toString(), "-jar", jar.toString(), command));
        cmd.addAll(args);
        cmd.addAll(List.of("--report", report.toString()));
        TimedRun.Result t = TimedRun.run(cmd, out, work.resolve(command + "-" + label + ".time"));
        return result(command + " '" + label + "'", t, report, out);
    }

    /**
     * Reads what a timed run's report file says.
     *
     * @param what names the run in a failure
     * @param t the run
     * @param report its report (the fields of the command line program's JSON report)
     * @param out its output
     * @return the result
     * @throws IOException if there is no report
     */
    static Result result(String what, TimedRun.Result t, Path report, Path out) throws IOException {
        if (!Files.isRegularFile(report)) {
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            throw new IOException(what + " wrote no report (exit " + t.exit() + "); the end of its output ("
                    + out + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
        Map<?, ?> root = (Map<?, ?>) TinyJson.parse(Files.readString(report, StandardCharsets.UTF_8));
        Map<?, ?> totals = root.get("totals") instanceof Map<?, ?> m ? m : root;
        double run = Duration.between(Instant.parse((String) root.get("startedAt")),
                Instant.parse((String) root.get("finishedAt"))).toMillis() / 1e3;
        return new Result(t.exit(), t.wallSeconds(), run, t.totalRssKb(), t.rss(), number(totals, "messagesCopied"),
                number(totals, "bytesCopied"), number(totals, "messagesOnSource"), out, t.cpuSeconds());
    }

    private static long number(Map<?, ?> map, String key) {
        return map.get(key) instanceof Long l ? l : -1;
    }
}
