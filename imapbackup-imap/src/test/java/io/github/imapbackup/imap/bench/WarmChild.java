package io.github.imapbackup.imap.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts {@link BenchmarkChild} (the library from the class path, in a JVM of its own with
 * {@code -Xmx}) for {@link BackupBenchmark}'s warm row: with {@code BENCH_CHILD_WARMUP} it first runs
 * full backups into throw-away directories, so that the measured {@code run()} finds the JIT done.
 * {@code BENCH_CHILD_OPTS} adds JVM options ({@code {label}} is replaced by the run's label).
 */
final class WarmChild {

    /**
     * What the child reported.
     *
     * @param exit 0, or 1 if the report has failures
     * @param runSeconds the measured {@code BackupSession.run()}
     * @param wallSeconds from starting the child to its exit
     * @param startupSeconds from the JVM's start to {@code main}
     * @param copied messages copied
     * @param bytes bytes copied
     * @param hwmKb the child's peak RSS (VmHWM), KiB
     * @param cpuSeconds the child's CPU during the measured run (or its whole life without warm-up)
     */
    record Result(int exit, double runSeconds, double wallSeconds, double startupSeconds, long copied, long bytes,
            long hwmKb, double cpuSeconds) { }

    private WarmChild() { }

    /**
     * Runs one backup in a child JVM.
     *
     * @param host the server (or its link)
     * @param port the port
     * @param pem the certificate for implicit TLS, or null
     * @param user the user
     * @param password the password (given through {@link BackupBenchmark#PASSWORD_ENV})
     * @param backupDir the backup directory
     * @param xmx the child's heap
     * @param connections the backup's connections
     * @param warmups full backups before the measured one
     * @param work where the child's output goes
     * @param label the run's label
     * @return what it reported
     * @throws Exception if it reported nothing
     */
    static Result run(String host, int port, Path pem, String user, String password, Path backupDir, String xmx,
            int connections, int warmups, Path work, String label) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = work.resolve("child-" + label + ".out");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx" + xmx));
        String extra = System.getenv("BENCH_CHILD_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().replace("{label}", label).split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchmarkChild.class.getName(), host,
                String.valueOf(port), user, backupDir.toString(), String.valueOf(connections)));
        if (pem != null) {
            cmd.addAll(List.of("tls", pem.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put(BackupBenchmark.PASSWORD_ENV, password);
        if (warmups > 0) {
            pb.environment().put("BENCH_CHILD_WARMUP", Integer.toString(warmups));
        }
        long t0 = System.nanoTime();
        int exit = pb.start().waitFor();
        double wall = (System.nanoTime() - t0) / 1e9;
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        Map<String, String> r = new LinkedHashMap<>();
        for (String l : lines) {
            if (l.startsWith("RESULT ")) {
                for (String kv : l.substring(7).split(" ")) {
                    String[] p = kv.split("=", 2);
                    r.put(p[0], p[1]);
                }
            }
        }
        if (r.isEmpty()) {
            throw new IllegalStateException("backup child failed (exit " + exit + "):\n" + String.join("\n", lines));
        }
        return new Result(Integer.parseInt(r.get("exit")), Long.parseLong(r.get("runNanos")) / 1e9, wall,
                Long.parseLong(r.get("startupMillis")) / 1e3, Long.parseLong(r.get("copied")),
                Long.parseLong(r.get("bytes")), Long.parseLong(r.get("hwmKb")),
                Long.parseLong(r.getOrDefault("cpuMillis", "-1")) / 1e3);
    }
}
