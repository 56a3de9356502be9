package io.github.imapbackup.imap.bench;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.mbox.BackupArchive;
import io.github.imapbackup.mbox.MboxStore;
import io.github.imapbackup.testing.Seeds;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Restore benchmark (a program, not a test; issue 9). Writes a seeded backup directory
 * ({@link RestoreCorpus}, default 20,000 messages, about 1 GB, cached under the work directory),
 * starts a private Dovecot and measures, each into its own empty account: (a) the raw baseline,
 * every message APPENDed with non-synchronising literals, pipelined, over one plain connection
 * ({@link PipelinedAppend}); (b) the command line program's {@code restore} as users run it
 * ({@link CliRestore}: {@code java -jar}, cold JVM, wall time and peak RSS) with 1 and 4
 * connections and the default; (c) a second restore into the same account (adds nothing); (a') the
 * baseline again; (a2) for comparison, the same with MULTIAPPEND (many messages per APPEND command,
 * one server transaction each). Every run is checked afterwards: STATUS of every folder against the
 * backup.
 *
 * <p>Arguments: {@code [MESSAGES [WORK]]} (20000, {@code /tmp/imapbench-restore}), {@code --seed N}
 * (the property {@code imapbackup.seed}, else 42), {@code --jar FILE}
 * ({@code imapbackup-examples/target/imapbackup.jar}), {@code --runs 1,4,default} (the
 * {@code --connections} of each restore), {@code --window N} (the baseline's unanswered APPENDs,
 * 64), {@code --multiappend N} (messages per command in (a2), 100; 0 skips it). See {@code docs/benchmarks.md}, "Restore (issue 9)".
 */
public final class RestoreBenchmark {

    private static final String PASSWORD = "bench-password";
    private static final Pattern STATUS = Pattern.compile("MESSAGES (\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIST = Pattern.compile("^\\* LIST \\(([^)]*)\\) (?:NIL|\"(?:[^\"\\\\]|\\\\.)*\") (.*)$",
            Pattern.CASE_INSENSITIVE);

    private RestoreBenchmark() { }

    /**
     * Runs the benchmark and prints its table.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        Map<String, String> opt = options(args, positional, "usage: RestoreBenchmark [MESSAGES [WORK]] [--seed N] "
                + "[--jar FILE] [--runs 1,4,default] [--window N] [--multiappend N]");
        int messages = positional.isEmpty() ? 20_000 : Integer.parseInt(positional.get(0));
        Path work = Path.of(positional.size() > 1 ? positional.get(1) : "/tmp/imapbench-restore").toAbsolutePath();
        long seed = opt.containsKey("seed") ? Long.parseLong(opt.get("seed")) : Seeds.replay().orElse(42);
        Path jar = Path.of(opt.getOrDefault("jar", "imapbackup-examples/target/imapbackup.jar")).toAbsolutePath();
        List<String> runs = List.of(opt.getOrDefault("runs", "1,4,default").split(","));
        int window = Integer.parseInt(opt.getOrDefault("window", "64"));
        int multiappend = Integer.parseInt(opt.getOrDefault("multiappend", "100"));
        Files.createDirectories(work);
        String rerun = "RestoreBenchmark " + messages + " " + work + " --seed " + seed + " --runs "
                + String.join(",", runs) + " --window " + window + " --multiappend " + multiappend + " --jar " + jar;
        System.err.println("... " + rerun);
        System.err.println("... seed " + seed + " (rerun with --seed " + seed + " or -Dimapbackup.seed=" + seed + ")");
        System.err.println("... load: " + Files.readString(Path.of("/proc/loadavg")).trim() + " (/proc/loadavg), "
                + Runtime.getRuntime().availableProcessors() + " CPUs");

        Path backup = CorpusSource.backupDirectory(new RestoreCorpus(seed, messages), work);
        Map<String, Long> expected = expected(backup);
        long bytes = warmPageCache(backup);
        Path passwordFile = work.resolve("password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        CliRestore cli = new CliRestore(jar);
        Optional<String> unavailable = cli.unavailable(work);

        List<String[]> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        BackupBenchmark.deleteRecursively(work.resolve("dovecot"));
        Dovecot.Builder builder = Dovecot.builder().separator('/').directory(work.resolve("dovecot"));
        for (String user : List.of("baseline", "baseline2", "multiappend")) {
            builder.user(user, PASSWORD);
        }
        runs.forEach(r -> builder.user("r" + r, PASSWORD));
        double baseRate;
        try (Dovecot dovecot = builder.build().start()) {
            PipelinedAppend.Result a = new PipelinedAppend(window, 1).run(backup, dovecot.host(), dovecot.port(),
                    "baseline", PASSWORD, dovecot.separator());
            rows.add(row("(a) raw APPEND {n+}, pipelined, 1 conn.", a.nanos() / 1e9, a.bytes(), a.messages(),
                    check(dovecot, "baseline", expected)));
            baseRate = a.bytes() / (a.nanos() / 1e9);
            String last = null;
            for (String r : runs) {
                if (unavailable.isPresent()) {
                    notes.add("restore --connections " + r + ": SKIPPED, " + unavailable.get());
                    continue;
                }
                Integer connections = r.equals("default") ? null : Integer.valueOf(r);
                String step = "(b) restore " + (connections == null ? "(default connections)" : "--connections " + r);
                try {
                    CliRestore.Result res = cli.run(backup, dovecot.host(), dovecot.port(), "r" + r, passwordFile,
                            connections, work, r);
                    rows.add(restoreRow(step, res, check(dovecot, "r" + r, expected), baseRate));
                    last = r;
                } catch (IOException e) { // the other steps still run
                    notes.add(step + ": FAILED, " + e.getMessage());
                }
            }
            if (last != null) {
                String step = "(c) restore again into r" + last + " (adds nothing)";
                try {
                    CliRestore.Result again = cli.run(backup, dovecot.host(), dovecot.port(), "r" + last,
                            passwordFile, last.equals("default") ? null : Integer.valueOf(last), work, last + "-again");
                    rows.add(restoreRow(step, again, check(dovecot, "r" + last, expected), baseRate));
                } catch (IOException e) {
                    notes.add(step + ": FAILED, " + e.getMessage());
                }
            }
            PipelinedAppend.Result a2 = new PipelinedAppend(window, 1).run(backup, dovecot.host(), dovecot.port(),
                    "baseline2", PASSWORD, dovecot.separator());
            rows.add(row("(a') raw baseline again", a2.nanos() / 1e9, a2.bytes(), a2.messages(),
                    check(dovecot, "baseline2", expected)));
            if (multiappend > 1) {
                PipelinedAppend.Result m = new PipelinedAppend(window, multiappend).run(backup, dovecot.host(),
                        dovecot.port(), "multiappend", PASSWORD, dovecot.separator());
                rows.add(row("(a2) raw MULTIAPPEND, " + multiappend + " per command, 1 conn.", m.nanos() / 1e9,
                        m.bytes(), m.messages(), check(dovecot, "multiappend", expected)));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "backup directory: %s, %d messages, %d bytes, %d folders, seed %d%n", backup,
                expected.values().stream().mapToLong(Long::longValue).sum(), bytes, expected.size(), seed);
        System.out.println("| step | seconds | messages | MB/s | messages/s | notes |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(r -> System.out.println("| " + String.join(" | ", r) + " |"));
        notes.forEach(n -> System.out.println("- " + n));
        System.out.println("targets: restore with the default connections >= the raw baseline's throughput; "
                + "peak RSS < 256 MB");
        System.out.println("rerun: java -cp <see docs/benchmarks.md> io.github.imapbackup.imap.bench." + rerun);
    }

    /**
     * Parses {@code --name value} options and up to two positional arguments.
     *
     * @param args the arguments
     * @param positional receives the positional ones
     * @param usage the message when they do not fit
     * @return the options by name
     */
    static Map<String, String> options(String[] args, List<String> positional, String usage) {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                opt.put(args[i].substring(2), args[++i]);
            } else if (!args[i].startsWith("--") && positional.size() < 2) {
                positional.add(args[i]);
            } else {
                throw new IllegalArgumentException(usage);
            }
        }
        return opt;
    }

    /** Returns the number of messages per folder of a backup directory, by the target's folder name. */
    static Map<String, Long> expected(Path backup) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (BackupArchive archive = MboxStore.builder(backup).build().read()) {
            for (FolderInfo f : archive.folders()) {
                counts.put(PipelinedAppend.target(f, '/'), archive.messages(f).count());
            }
        }
        return counts;
    }

    /** Reads every file of the backup directory once, so that no run pays for a cold page cache. */
    static long warmPageCache(Path backup) throws IOException {
        long bytes = 0;
        try (Stream<Path> files = Files.walk(backup)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    bytes += in.transferTo(OutputStream.nullOutputStream());
                }
            }
        }
        return bytes;
    }

    /**
     * Compares the MESSAGES of every folder of an account with the backup's counts.
     *
     * @return "count check OK" or what differs
     */
    static String check(Dovecot dovecot, String user, Map<String, Long> expected) throws IOException {
        Map<String, Long> found = new LinkedHashMap<>();
        try (ImapTestClient c = dovecot.login(user)) {
            for (ImapTestClient.Response r : c.command("LIST \"\" \"*\"")) {
                Matcher m = LIST.matcher(r.text());
                if (m.matches() && !m.group(1).toLowerCase(Locale.ROOT).contains("\\noselect")) {
                    String name = m.group(2).startsWith("{") ? new String(r.literals().get(0),
                            java.nio.charset.StandardCharsets.UTF_8) : unquote(m.group(2));
                    for (ImapTestClient.Response s : c.command("STATUS " + ImapTestClient.quote(name) + " (MESSAGES)")) {
                        Matcher n = STATUS.matcher(s.text());
                        if (s.text().startsWith("* STATUS") && n.find()) {
                            found.put(name, Long.parseLong(n.group(1)));
                        }
                    }
                }
            }
        }
        found.values().removeIf(n -> n == 0);
        if (found.equals(expected)) { // the backup has no empty folders
            return "count check OK";
        }
        String diff = "COUNT CHECK FAILED: expected " + expected + ", found " + found;
        System.err.println("... " + user + ": " + diff);
        return diff;
    }

    private static String unquote(String s) {
        return s.startsWith("\"") ? s.substring(1, s.length() - 1).replaceAll("\\\\(.)", "$1") : s;
    }

    private static String[] restoreRow(String step, CliRestore.Result r, String check, double baseRate) {
        String notes = "exit " + r.exit() + ", " + r.copied() + " copied of " + r.onSource() + ", run "
                + fmt(r.runSeconds()) + " s (report), " + r.rss() + (r.bytes() > 0 ? ", " + percent(r.bytes() / r.wallSeconds() / baseRate) + " of (a)" : "")
                + "; " + check;
        return row(step, r.wallSeconds(), r.bytes(), r.copied(), notes);
    }

    static String[] row(String step, double s, long bytes, long messages, String notes) {
        System.err.printf(Locale.ROOT, "... %s: %.3f s, %d bytes, %d messages, %s%n", step, s, bytes, messages, notes);
        return new String[] {step, fmt(s), String.valueOf(messages),
            String.format(Locale.ROOT, "%.1f", bytes / s / 1e6), String.format(Locale.ROOT, "%.0f", messages / s),
            notes};
    }

    private static String percent(double x) {
        return String.format(Locale.ROOT, "%.0f %%", x * 100);
    }

    static String fmt(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
