package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.TinyJson;
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
import java.util.concurrent.TimeUnit;

/**
 * Runs the command line program's {@code restore} as users run it, for {@link RestoreBenchmark}:
 * {@code java -jar imapbackup.jar restore ...} in a new (cold) JVM with no JVM options, under
 * {@code /usr/bin/time -f '%e %M'} for its wall time and peak RSS; the counters come from its
 * {@code --report} file.
 */
final class CliRestore {

    private static final Path TIME = Path.of("/usr/bin/time");

    /**
     * One run.
     *
     * @param exit the exit status
     * @param wallSeconds from starting {@code java} to its exit (JVM start included)
     * @param runSeconds from the report's {@code startedAt} to its {@code finishedAt}
     * @param peakRssKb the peak RSS of the {@code java} process in KiB, or -1 without /usr/bin/time
     * @param copied {@code messagesCopied}
     * @param bytes {@code bytesCopied}
     * @param onSource {@code messagesOnSource}
     * @param output where the program's output is
     */
    record Result(int exit, double wallSeconds, double runSeconds, long peakRssKb, long copied, long bytes,
            long onSource, Path output) { }

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
        if (!Files.isRegularFile(jar)) {
            return Optional.of(jar + " does not exist: build it with `mvn -q -B package -DskipTests` "
                    + "from the repository root");
        }
        Path out = work.resolve("restore-help.out");
        int exit = start(List.of(javaCommand.toString(), "-jar", jar.toString(), "restore", "--help"), out);
        String help = Files.readString(out, StandardCharsets.UTF_8);
        if (exit != 0 || !help.contains("--dir") || help.contains("not implemented")) {
            return Optional.of(jar + " has no restore command yet (`restore --help` exit " + exit + ": "
                    + help.lines().skip(1).findFirst().orElse("").trim() + ")");
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
        Path out = work.resolve("restore-" + label + ".out");
        Path report = work.resolve("restore-" + label + ".json");
        Path time = work.resolve("restore-" + label + ".time");
        Files.deleteIfExists(report);
        Files.deleteIfExists(time);
        List<String> cmd = new ArrayList<>();
        boolean timed = Files.isExecutable(TIME);
        if (timed) {
            cmd.addAll(List.of(TIME.toString(), "-o", time.toString(), "-f", "%e %M"));
        }
        cmd.addAll(List.of(javaCommand.toString(), "-jar", jar.toString(), "restore", "--dir", backup.toString(),
                "--host", host, "--port", String.valueOf(port), "--security", "none", "--user", user,
                "--password-file", passwordFile.toString(), "--report", report.toString()));
        if (connections != null) {
            cmd.addAll(List.of("--connections", connections.toString()));
        }
        long t0 = System.nanoTime();
        int exit = start(cmd, out);
        double wall = (System.nanoTime() - t0) / 1e9;
        long rss = -1;
        if (timed && Files.isRegularFile(time)) {
            String[] t = Files.readString(time).trim().split("\\s+");
            wall = Double.parseDouble(t[t.length - 2]);
            rss = Long.parseLong(t[t.length - 1]);
        }
        if (!Files.isRegularFile(report)) {
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            throw new IOException("restore '" + label + "' wrote no report (exit " + exit + "); the end of its output ("
                    + out + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
        Map<?, ?> root = (Map<?, ?>) TinyJson.parse(Files.readString(report, StandardCharsets.UTF_8));
        Map<?, ?> totals = root.get("totals") instanceof Map<?, ?> m ? m : root;
        double run = Duration.between(Instant.parse((String) root.get("startedAt")),
                Instant.parse((String) root.get("finishedAt"))).toMillis() / 1e3;
        return new Result(exit, wall, run, rss, number(totals, "messagesCopied"), number(totals, "bytesCopied"),
                number(totals, "messagesOnSource"), out);
    }

    private static long number(Map<?, ?> map, String key) {
        return map.get(key) instanceof Long l ? l : -1;
    }

    private static int start(List<String> cmd, Path out) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                throw new IOException("gave up after 30 minutes: " + String.join(" ", cmd) + " (output: " + out + ")");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
