package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * End-to-end IMAP backup benchmark (a program, not a test). Starts a private Dovecot, loads a
 * generated account (default 20,000 messages, about 1 GB, in 50 folders), then measures:
 * (a) a raw single-connection reader ({@code UID FETCH 1:* (BODY.PEEK[])} per folder, bytes
 * discarded), (b) a full backup with {@code BackupSession} into an uncompressed store, (c) a run
 * with nothing new, (d) a run after 100 new messages, (e) the backup's peak RSS. Backups run in a
 * child JVM ({@link BenchmarkChild}) so that RSS (VmHWM) and JVM start are measured honestly.
 *
 * <p>Arguments: {@code --messages N} (20000), {@code --folders N} (50), {@code --scale X} (1.0,
 * size factor), {@code --seed N} (42), {@code --xmx SIZE} (child heap, 256m), {@code --work DIR}
 * (a short path; default a new temporary directory), {@code --threads N} (load connections, 2),
 * {@code --connections N} (the backup's {@code BackupSession.connections}; default {@code BackupSession.DEFAULT_CONNECTIONS}),
 * {@code --tls true} (the backups use implicit TLS; the raw readers stay plain),
 * {@code --rawlog true} (record the IMAP commands of each backup run in commands-*.txt, for diagnosis; slows Dovecot),
 * {@code --link MBIT} and {@code --rtt MS} (readers and backups go through a {@link LinkProxy}
 * that limits the server-to-client bandwidth of all connections together to MBIT Mbit/s and adds
 * MS milliseconds of round-trip time: a network link instead of loopback; the load does not).
 * See {@code docs/benchmarks-imap.md} for the command line.
 */
public final class BackupBenchmark {

    private static final String USER = "bench";
    private static final String PASSWORD = "bench-password";
    /** The environment variable that gives the child its password. */
    static final String PASSWORD_ENV = "IMAPBACKUP_BENCH_PASSWORD";

    private BackupBenchmark() { }

    /**
     * Runs the benchmark and prints a table.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        int messages = Integer.parseInt(opt.getOrDefault("messages", "20000"));
        int folders = Integer.parseInt(opt.getOrDefault("folders", "50"));
        double scale = Double.parseDouble(opt.getOrDefault("scale", "1.0"));
        long seed = Long.parseLong(opt.getOrDefault("seed", "42"));
        String xmx = opt.getOrDefault("xmx", "256m");
        int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
        connections = Integer.parseInt(opt.getOrDefault("connections",
                String.valueOf(io.github.imapbackup.BackupSession.DEFAULT_CONNECTIONS)));
        tls = Boolean.parseBoolean(opt.getOrDefault("tls", "false"));
        Path work = opt.containsKey("work") ? Path.of(opt.get("work"))
                : Files.createTempDirectory(Path.of("/tmp"), "imapbench-");
        Files.createDirectories(work);
        Path backupDir = work.resolve("backup");
        deleteRecursively(backupDir);
        deleteRecursively(work.resolve("dovecot"));

        BenchmarkAccount account = new BenchmarkAccount(seed, messages, folders, scale);
        List<String[]> rows = new ArrayList<>();
        boolean rawlog = Boolean.parseBoolean(opt.getOrDefault("rawlog", "false"));
        double linkMbit = Double.parseDouble(opt.getOrDefault("link", "0"));
        double rttMs = Double.parseDouble(opt.getOrDefault("rtt", "0"));
        try (Dovecot dovecot = Dovecot.builder().separator('/').user(USER, PASSWORD).rawlog(rawlog).tls(tls)
                .directory(work.resolve("dovecot")).build().start()) {
            long t0 = System.nanoTime();
            long loaded = account.load(dovecot, USER, threads);
            double loadS = seconds(t0);
            rows.add(row("load (MULTIAPPEND, " + threads + " conn.)", loadS, loaded, messages, ""));

            if (linkMbit > 0 || rttMs > 0) {
                long bytesPerSecond = linkMbit > 0 ? (long) (linkMbit * 1e6 / 8) : Long.MAX_VALUE / 4;
                link = new LinkProxy(tls ? dovecot.tlsPort() : dovecot.port(), rttMs, bytesPerSecond);
                plainLink = tls ? new LinkProxy(dovecot.port(), rttMs, bytesPerSecond) : link;
                rows.add(row("link: " + (linkMbit > 0 ? fmt(linkMbit) + " Mbit/s" : "unlimited") + ", RTT "
                        + fmt(rttMs) + " ms (LinkProxy)", 0, 0, 0, ""));
            }
            long[] warm = baseline(dovecot, account); // Dovecot's first read after the load builds its caches
            rows.add(row("warm-up read (not counted)", warm[1] / 1e9, warm[0], messages, ""));
            long[] baseline1 = baseline(dovecot, account);
            double base1 = baseline1[1] / 1e9;
            rows.add(row("(a) raw UID FETCH 1:* BODY.PEEK[], 1 conn.", base1, baseline1[0], messages, ""));

            long[] perMessage = baselinePerMessage(dovecot, account);
            rows.add(row("(a2) raw, UID FETCH BODY.PEEK[]<o.1MiB> per message", perMessage[1] / 1e9, perMessage[0],
                    messages, "sequential round trips"));

            ChildResult full = child(dovecot, backupDir, xmx, work, rawlog, "full");
            String how = "(b) full backup (none codec, " + connections + " conn." + (tls ? ", TLS)" : ")");
            rows.add(row(how, full.runSeconds, full.bytes, full.copied,
                    "exit " + full.exit + ", wall " + fmt(full.wallSeconds) + " s, child CPU " + fmt(full.cpuSeconds)
                            + " s"));

            long[] baseline2 = baseline(dovecot, account);
            double base2 = baseline2[1] / 1e9;
            rows.add(row("(a') raw reader again", base2, baseline2[0], messages, ""));

            ChildResult none = child(dovecot, backupDir, xmx, work, rawlog, "nothing-new");
            rows.add(row("(c) nothing new", none.runSeconds, none.bytes, none.copied,
                    "exit " + none.exit + ", wall " + fmt(none.wallSeconds) + " s, JVM start→run "
                            + fmt(none.startupSeconds) + " s"));

            long added = account.appendNew(dovecot, USER, 100, ".new");
            ChildResult hundred = child(dovecot, backupDir, xmx, work, rawlog, "hundred-new");
            rows.add(row("(d) 100 new messages", hundred.runSeconds, hundred.bytes, hundred.copied,
                    "exit " + hundred.exit + ", wall " + fmt(hundred.wallSeconds) + " s, appended "
                            + added + " B"));

            double bestBase = Math.max(baseline1[0] / base1, baseline2[0] / base2);
            double ratio = (full.bytes / full.runSeconds) / bestBase;
            System.out.println();
            System.out.printf(Locale.ROOT, "%-52s %10s %12s %9s %10s  %s%n", "step", "seconds", "bytes",
                    "messages", "MB/s", "notes");
            for (String[] r : rows) {
                System.out.printf(Locale.ROOT, "%-52s %10s %12s %9s %10s  %s%n", (Object[]) r);
            }
            System.out.printf(Locale.ROOT, "%n(b)/(a) throughput: %.1f %% (target >= 90 %%)%n", ratio * 100);
            System.out.printf(Locale.ROOT, "(c) run time: %.3f s (target < 1 s beyond JVM start)%n", none.runSeconds);
            System.out.printf(Locale.ROOT, "(e) peak RSS of the full backup: %d MB (VmHWM, child -Xmx%s)%n",
                    full.hwmKb / 1024, xmx);
            System.out.printf(Locale.ROOT, "    peak RSS, nothing new: %d MB; 100 new: %d MB%n",
                    none.hwmKb / 1024, hundred.hwmKb / 1024);
            System.out.printf(Locale.ROOT, "backup directory: %s (%d MB)%n", backupDir, size(backupDir) >> 20);
        } finally {
            if (link != null) {
                link.close();
                plainLink.close();
            }
        }
    }

    /** Returns {bytes, nanos} of reading every folder once over one raw connection. */
    private static long[] baseline(Dovecot dovecot, BenchmarkAccount account) throws IOException {
        long bytes = 0;
        long t0 = System.nanoTime();
        try (ImapTestClient c = rawLogin(dovecot)) {
            for (String f : account.folders(dovecot.separator())) {
                bytes += c.fetchAllDiscarding(f);
            }
        }
        return new long[] {bytes, System.nanoTime() - t0};
    }

    /** Logs in over plain IMAP, through the link proxy when there is one. */
    private static ImapTestClient rawLogin(Dovecot dovecot) throws IOException {
        if (link == null) {
            return dovecot.login(USER);
        }
        ImapTestClient c = ImapTestClient.connect(dovecot.host(), plainLink.port());
        c.login(USER, PASSWORD);
        return c;
    }

    private static final int CHUNK = 1 << 20;
    /** The link the backups go through, or null for loopback. */
    private static LinkProxy link;
    /** The link the raw readers go through (plain IMAP; the same as {@link #link} without TLS). */
    private static LinkProxy plainLink;
    private static int connections = io.github.imapbackup.BackupSession.DEFAULT_CONNECTIONS;
    private static boolean tls;

    /** Returns {bytes, nanos} of reading every message with its own UID FETCH, one after the other. */
    private static long[] baselinePerMessage(Dovecot dovecot, BenchmarkAccount account) throws IOException {
        long bytes = 0;
        long t0 = System.nanoTime();
        try (ImapTestClient c = rawLogin(dovecot)) {
            for (String f : account.folders(dovecot.separator())) {
                c.examine(f);
                List<Long> uids = new ArrayList<>();
                for (ImapTestClient.Response r : c.command("UID SEARCH ALL")) {
                    if (r.text().startsWith("* SEARCH")) {
                        for (String u : r.text().substring(8).trim().split(" +")) {
                            if (!u.isEmpty()) {
                                uids.add(Long.parseLong(u));
                            }
                        }
                    }
                }
                for (long uid : uids) {
                    // the request shape of ImapSource: 1 MiB chunks until a short one
                    for (long offset = 0; ; offset += CHUNK) {
                        long n = c.commandDiscardingLiterals(
                                "UID FETCH " + uid + " (UID BODY.PEEK[]<" + offset + "." + CHUNK + ">)");
                        bytes += n;
                        if (n < CHUNK) {
                            break;
                        }
                    }
                }
            }
        }
        return new long[] {bytes, System.nanoTime() - t0};
    }

    private record ChildResult(int exit, double runSeconds, double wallSeconds, double startupSeconds,
            long copied, long bytes, long hwmKb, double cpuSeconds) { }

    private static ChildResult child(Dovecot dovecot, Path backupDir, String xmx, Path work, boolean rawlog,
            String label) throws Exception {
        if (rawlog) {
            dovecot.clearClientCommands(USER);
        }
        ChildResult r = child(dovecot, backupDir, xmx, work, label);
        if (rawlog) {
            Path log = work.resolve("commands-" + label + ".txt");
            Files.write(log, dovecot.clientCommands(USER));
            System.err.println("... IMAP commands of run '" + label + "': " + log);
        }
        return r;
    }

    private static ChildResult child(Dovecot dovecot, Path backupDir, String xmx, Path work, String label)
            throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = work.resolve("child.out");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx" + xmx));
        // e.g. -XX:StartFlightRecording=filename=/tmp/{label}.jfr ({label}: full, nothing-new, hundred-new)
        String extra = System.getenv("BENCH_CHILD_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().replace("{label}", label).split("\\s+")));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "io.github.imapbackup.imap.bench.BenchmarkChild",
                dovecot.host(), String.valueOf(link != null ? link.port() : tls ? dovecot.tlsPort() : dovecot.port()),
                USER, backupDir.toString(),
                String.valueOf(connections)));
        if (tls) {
            cmd.addAll(List.of("tls", dovecot.pemCertificate().toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put(PASSWORD_ENV, PASSWORD);
        long t0 = System.nanoTime();
        Process p = pb.start();
        int exit = p.waitFor();
        double wall = seconds(t0);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        Map<String, String> r = new LinkedHashMap<>();
        for (String l : lines) {
            if (l.startsWith("RESULT ")) {
                for (String kv : l.substring(7).split(" ")) {
                    String[] p2 = kv.split("=", 2);
                    r.put(p2[0], p2[1]);
                }
            }
        }
        if (r.isEmpty()) {
            throw new IllegalStateException("backup child failed (exit " + exit + "):\n" + String.join("\n", lines));
        }
        return new ChildResult(Integer.parseInt(r.get("exit")), Long.parseLong(r.get("runNanos")) / 1e9, wall,
                Long.parseLong(r.get("startupMillis")) / 1e3, Long.parseLong(r.get("copied")),
                Long.parseLong(r.get("bytes")), Long.parseLong(r.get("hwmKb")),
                Long.parseLong(r.getOrDefault("cpuMillis", "-1")) / 1e3);
    }

    private static String[] row(String step, double s, long bytes, long messages, String notes) {
        System.err.printf(Locale.ROOT, "... %s: %.3f s, %d bytes, %d messages %s%n", step, s, bytes, messages, notes);
        return new String[] {step, fmt(s), String.valueOf(bytes), String.valueOf(messages),
            s > 0 ? String.format(Locale.ROOT, "%.1f", bytes / s / 1e6) : "-", notes};
    }

    private static String fmt(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: BackupBenchmark [--messages N] [--folders N] "
                        + "[--scale X] [--seed N] [--xmx SIZE] [--threads N] [--connections N] [--work DIR] "
                        + "[--tls true] [--rawlog true]");
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }

    private static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
