package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.bench.TimedRun;
import io.github.imapbackup.testing.imap.Dovecot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Migrate benchmark (a program, not a test; issue 10): account to account between two private
 * Dovecot instances. Host1's account is filled with the seeded corpus of {@link RestoreBenchmark}
 * ({@link RestoreCorpus}, default 20,000 messages, about 1 GB; loaded with MULTIAPPEND, not timed);
 * then each run copies it into its own empty account on host2 and is checked (STATUS of every
 * folder): our copy with 1 and 4 connections, then {@code mbsync} (isync) with an IMAP-to-IMAP
 * channel on the same accounts. Our side runs in a child JVM with the command line program's
 * launcher options, through the library ({@link MigrateChild}: {@code RestoreSession} from an
 * {@code ImapSource} into an {@code ImapTarget}) or, with {@code --jar}, as users run it:
 * {@code java -jar imapbackup.jar migrate --host1 … --connections N}.
 *
 * <p>Arguments: {@code [MESSAGES [WORK]]} (20000, {@code /tmp/imapbench-migrate}; the corpus is
 * cached there as {@link RestoreBenchmark} caches it), {@code --seed N} (the property
 * {@code imapbackup.seed}, else 42), {@code --runs 1,4} (the connections of each run),
 * {@code --jar FILE} (the command line program instead of the library), {@code --mbsync PATH}
 * ({@code /usr/bin/mbsync}; {@code none} skips it). See {@code docs/benchmarks.md}, "Migrate (issue 10)".
 */
public final class MigrateBenchmark {

    private static final String PASSWORD = "bench-password";
    /** The JVM options the command line program's launcher gives its worker (see docs/CLI.md, "Memory"). */
    static final List<String> LAUNCHER_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmn16m",
            "-XX:Tier4InvocationThreshold=500000", "-XX:Tier4MinInvocationThreshold=60000",
            "-XX:Tier4CompileThreshold=1500000", "-XX:Tier4BackEdgeThreshold=4000000", "-Xmx128m");

    private MigrateBenchmark() { }

    /**
     * Runs the benchmark and prints its table.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        Map<String, String> opt = RestoreBenchmark.options(args, positional, "usage: MigrateBenchmark [MESSAGES [WORK]] "
                + "[--seed N] [--runs 1,4] [--jar FILE] [--mbsync PATH|none]");
        int messages = positional.isEmpty() ? 20_000 : Integer.parseInt(positional.get(0));
        Path work = Path.of(positional.size() > 1 ? positional.get(1) : "/tmp/imapbench-migrate").toAbsolutePath();
        long seed = opt.containsKey("seed") ? Long.parseLong(opt.get("seed")) : Seeds.replay().orElse(42);
        List<String> runs = List.of(opt.getOrDefault("runs", "1,4").split(","));
        Path jar = opt.containsKey("jar") ? Path.of(opt.get("jar")).toAbsolutePath() : null;
        Path mbsync = Path.of(opt.getOrDefault("mbsync", "/usr/bin/mbsync"));
        Files.createDirectories(work);
        String rerun = "MigrateBenchmark " + messages + " " + work + " --seed " + seed + " --runs "
                + String.join(",", runs) + (jar == null ? "" : " --jar " + jar) + " --mbsync " + mbsync;
        System.err.println("... " + rerun);
        System.err.println("... seed " + seed + " (rerun with --seed " + seed + " or -Dimapbackup.seed=" + seed + ")");
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        System.err.println("... load: " + load + " (/proc/loadavg), " + Runtime.getRuntime().availableProcessors()
                + " CPUs");

        Path backup = CorpusSource.backupDirectory(new RestoreCorpus(seed, messages), work);
        Map<String, Long> expected = RestoreBenchmark.expected(backup);
        RestoreBenchmark.warmPageCache(backup);
        Path passwordFile = work.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));

        List<String[]> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Dovecot.Builder two = Dovecot.builder().separator('/').directory(work.resolve("dovecot2"));
        runs.forEach(r -> two.user("m" + r, PASSWORD));
        two.user("mbsync", PASSWORD);
        BackupBenchmark.deleteRecursively(work.resolve("dovecot1"));
        BackupBenchmark.deleteRecursively(work.resolve("dovecot2"));
        try (Dovecot host1 = Dovecot.builder().separator('/').directory(work.resolve("dovecot1"))
                .user("source", PASSWORD).build().start();
                Dovecot host2 = two.build().start()) {
            PipelinedAppend.Result loaded = new PipelinedAppend(64, 100).run(backup, host1.host(), host1.port(),
                    "source", PASSWORD, host1.separator());
            notes.add("host1 loaded: " + loaded.messages() + " messages, " + loaded.bytes() + " bytes in "
                    + RestoreBenchmark.fmt(loaded.nanos() / 1e9) + " s (MULTIAPPEND, not timed); "
                    + RestoreBenchmark.check(host1, "source", expected));
            Ours ours = new Ours(jar, work, passwordFile);
            for (String r : runs) {
                String step = "imapbackup " + (jar == null ? "(library) " : "migrate ") + r + " conn.";
                try {
                    CliRestore.Result res = ours.run(host1, host2, "m" + r, Integer.parseInt(r));
                    rows.add(RestoreBenchmark.row(step, res.wallSeconds(), res.bytes(), res.copied(), "exit "
                            + res.exit() + ", " + res.copied() + " copied of " + res.onSource() + ", run "
                            + RestoreBenchmark.fmt(res.runSeconds()) + " s (report), " + res.rss() + "; "
                            + RestoreBenchmark.check(host2, "m" + r, expected)));
                } catch (IOException e) {
                    notes.add(step + ": FAILED, " + e.getMessage());
                }
            }
            if (!mbsync.toString().equals("none") && Files.isExecutable(mbsync)) {
                TimedRun.Result m = mbsync(mbsync, host1, host2, work);
                rows.add(RestoreBenchmark.row("mbsync (isync), IMAP to IMAP", m.wallSeconds(), loaded.bytes(),
                        loaded.messages(), "exit " + m.exit() + ", " + m.rss() + "; "
                                + RestoreBenchmark.check(host2, "mbsync", expected)));
            } else {
                notes.add("mbsync: SKIPPED, " + mbsync + " is not there (Debian: apt-get install isync)");
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "host1: %d messages, %d folders, seed %d; load at the start %s%n",
                expected.values().stream().mapToLong(Long::longValue).sum(), expected.size(), seed, load);
        System.out.println("| run | seconds | messages | MB/s | messages/s | notes |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
        notes.forEach(n -> System.out.println("- " + n));
        System.out.println("targets: faster than mbsync; peak RSS < 256 MB");
        System.out.println("rerun: java -cp <see docs/benchmarks.md> io.github.imapbackup.imap.bench." + rerun);
    }

    /** Our side: the library in a child JVM, or the command line program's {@code migrate}. */
    private record Ours(Path jar, Path work, Path passwordFile) {

        CliRestore.Result run(Dovecot host1, Dovecot host2, String user2, int connections) throws IOException {
            String label = user2;
            if (jar != null) {
                return new CliRestore(jar).run("migrate", List.of("--host1", host1.host(),
                        "--port1", Integer.toString(host1.port()), "--security1", "none", "--user1", "source",
                        "--password-file1", passwordFile.toString(), "--host2", host2.host(),
                        "--port2", Integer.toString(host2.port()), "--security2", "none", "--user2", user2,
                        "--password-file2", passwordFile.toString(), "--connections", Integer.toString(connections)),
                        work, label);
            }
            Path report = work.resolve("migrate-" + label + ".json");
            Path out = work.resolve("migrate-" + label + ".out");
            Files.deleteIfExists(report);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            cmd.addAll(LAUNCHER_OPTIONS);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MigrateChild.class.getName(),
                    host1.host(), Integer.toString(host1.port()), "source", host2.host(), Integer.toString(host2.port()),
                    user2, Integer.toString(connections), report.toString()));
            TimedRun.Result t = TimedRun.run(cmd, Map.of(MigrateChild.PASSWORD_ENV, PASSWORD), out,
                    work.resolve("migrate-" + label + ".time"));
            return CliRestore.result("migrate " + label, t, report, out);
        }
    }

    /** Copies host1's account into host2's {@code mbsync} account with an IMAP-to-IMAP channel. */
    private static TimedRun.Result mbsync(Path mbsync, Dovecot host1, Dovecot host2, Path work) throws IOException {
        Path state = work.resolve("mbsync-state");
        BackupBenchmark.deleteRecursively(state);
        Files.createDirectories(state);
        Path config = work.resolve("mbsyncrc");
        Files.writeString(config, account("far", host1, "source") + account("near", host2, "mbsync")
                + "Channel migrate\nFar :far:\nNear :near:\nPatterns *\nCreate Near\nSync Pull\nExpunge None\n"
                + "CopyArrivalDate yes\nSyncState " + state + "/\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        return TimedRun.run(List.of(mbsync.toString(), "-c", config.toString(), "migrate"),
                work.resolve("mbsync.out"), work.resolve("mbsync.time"));
    }

    private static String account(String name, Dovecot d, String user) {
        return "IMAPAccount " + name + "\nHost " + d.host() + "\nPort " + d.port() + "\nUser " + user + "\nPass "
                + PASSWORD + "\nSSLType None\nAuthMechs LOGIN\n\nIMAPStore " + name + "\nAccount " + name + "\n\n";
    }
}
