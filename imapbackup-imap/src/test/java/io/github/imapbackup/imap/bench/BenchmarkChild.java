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
        long t0 = System.nanoTime();
        int connections = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        BackupReport report = BackupSession.builder().source(source).store(store).connections(connections).build()
                .run();
        long runNanos = System.nanoTime() - t0;
        long hwmKb = vmHwmKb();
        long cpuMillis = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
        if (report.exitStatus() != 0) {
            System.out.println(report.toJson());
        }
        System.out.println("RESULT exit=" + report.exitStatus() + " runNanos=" + runNanos
                + " startupMillis=" + startupMillis + " copied=" + report.totals().messagesCopied()
                + " bytes=" + report.totals().bytesCopied() + " onSource=" + report.totals().messagesOnSource()
                + " hwmKb=" + hwmKb + " cpuMillis=" + cpuMillis);
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
