package io.github.imapbackup.imap.bench;

import io.github.imapbackup.BackupReport;
import io.github.imapbackup.BackupSession;
import io.github.imapbackup.imap.ImapSource;
import io.github.imapbackup.imap.Security;
import io.github.imapbackup.mbox.MboxStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One backup run in its own JVM for {@link BackupBenchmark}: prints a {@code RESULT} line with the
 * run time, the counters and the peak RSS (VmHWM of /proc/self/status).
 */
public final class BenchmarkChild {

    private BenchmarkChild() { }

    /**
     * Runs one backup.
     *
     * @param args host, port, user, backup directory[, connections[, "tls", PEM trust store]]
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        long startupMillis = System.currentTimeMillis()
                - ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        String password = System.getenv(BackupBenchmark.PASSWORD_ENV);
        ImapSource.Builder builder = ImapSource.builder()
                .host(args[0])
                .port(Integer.parseInt(args[1]))
                .security(Security.NONE)
                .user(args[2])
                .password(password::toCharArray)
                .timeout(Duration.ofSeconds(60));
        if (args.length > 6) { // implicit TLS with this trust store
            builder.security(Security.TLS).trustStore(Path.of(args[6]));
        }
        ImapSource source = builder.build();
        MboxStore store = MboxStore.builder(Path.of(args[3])).codec("none").build();
        int connections = args.length > 4 ? Integer.parseInt(args[4]) : BackupSession.DEFAULT_CONNECTIONS;
        // diagnosis only: full backups into throw-away directories first, so that run() below
        // is measured in a warm JVM (JIT done), like the raw reader in the parent
        int warmups = Integer.parseInt(System.getenv().getOrDefault("BENCH_CHILD_WARMUP", "0"));
        for (int i = 1; i <= warmups; i++) {
            Path warm = Path.of(args[3] + "-warm" + i);
            BackupSession.builder().source(source).target(MboxStore.builder(warm).codec("none").build())
                    .connections(connections).build().run();
            try (var files = Files.walk(warm)) {
                for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    Files.delete(f);
                }
            }
        }
        java.util.Map<String, Long> threadsBefore = threadCpuTicks();
        long cpuBefore = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(0L);
        long t0 = System.nanoTime();
        BackupReport report = BackupSession.builder().source(source).target(store).connections(connections).build()
                .run();
        long runNanos = System.nanoTime() - t0;
        long hwmKb = vmHwmKb();
        String threadFile = System.getenv("BENCH_THREAD_CPU");
        if (threadFile != null) { // CPU per thread during run(), JIT and GC threads included
            java.util.Map<String, Long> after = threadCpuTicks();
            StringBuilder sb = new StringBuilder();
            after.entrySet().stream()
                    .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0).sorted(java.util.Map.Entry.comparingByValue(
                            java.util.Comparator.reverseOrder()))
                    .forEach(e -> sb.append(e.getValue() * 10).append(" ms ").append(e.getKey()).append('\n'));
            Files.writeString(Path.of(threadFile), sb.toString(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        long cpuMillis = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L)
                - (warmups > 0 ? cpuBefore : 0);
        if (report.hasFailures()) {
            System.out.println(report);
        }
        System.out.println("RESULT exit=" + (report.hasFailures() ? 1 : 0) + " runNanos=" + runNanos
                + " startupMillis=" + startupMillis + " copied=" + report.totals().messagesCopied()
                + " bytes=" + report.totals().bytesCopied() + " onSource=" + report.totals().messagesOnSource()
                + " hwmKb=" + hwmKb + " cpuMillis=" + cpuMillis);
    }

    /** Returns utime and stime (clock ticks, 10 ms) of each thread by name + tid (Linux), or an empty map. */
    static java.util.Map<String, Long> threadCpuTicks() {
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    m.put(name + "#" + t.getFileName() + " user", Long.parseLong(f[11]));
                    m.put(name + "#" + t.getFileName() + " sys", Long.parseLong(f[12]));
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended
                }
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return m;
    }

    /** Returns this process's peak resident set size in KiB (Linux), or -1. */
    static long vmHwmKb() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String l : lines) {
                if (l.startsWith("VmHWM:")) {
                    return Long.parseLong(l.replaceAll("\\D+", ""));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }
}
