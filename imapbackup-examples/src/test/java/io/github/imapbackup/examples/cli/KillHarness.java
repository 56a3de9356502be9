package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A {@code kill -9} harness: runs a command of the program as a child process (in process, and
 * now and then through its launcher, two JVMs), sends SIGKILL at a seeded kill point, runs the same
 * command again (killed again, a chain of kills), then lets it complete in this JVM and has the
 * {@link Scenario} check the result. Records the phase each kill hit and prints one
 * {@code RELIABILITY crash} line per command (docs/reliability.md).
 */
final class KillHarness {

    /** Whether the build runs the fault suite at full size ({@code -Preliability}). */
    static final boolean FULL = Boolean.getBoolean("imapbackup.reliability");

    /** A kill point: when to kill (asked of the running child), described for the replay log. */
    record Point(String trigger, Predicate<ChildProgram> when) {

        /** A kill point that does not look at the child. */
        static Point of(String trigger, BooleanSupplier when) {
            return new Point(trigger, child -> when.getAsBoolean());
        }
    }

    /** What was lost and duplicated (copies counted), and what torn remained, over all checks. */
    static final class Tally {
        long messages;
        long lost;
        long duplicated;
        long torn;
        long setAside;
        /** Each difference found: folder, SHA-256, how many copies wanted and found. */
        final List<String> differences = new ArrayList<>();

        /** Compares folder → sorted SHA-256 lists (copies counted) and adds the differences. */
        void compare(Map<String, List<String>> want, Map<String, List<String>> have) {
            Map<String, Map<String, Integer>> w = counts(want);
            Map<String, Map<String, Integer>> h = counts(have);
            for (String folder : union(w.keySet(), h.keySet())) {
                Map<String, Integer> a = w.getOrDefault(folder, Map.of());
                Map<String, Integer> b = h.getOrDefault(folder, Map.of());
                for (String sha : union(a.keySet(), b.keySet())) {
                    int d = b.getOrDefault(sha, 0) - a.getOrDefault(sha, 0);
                    if (d != 0) {
                        differences.add(folder + " " + sha + ": " + a.getOrDefault(sha, 0) + " wanted, "
                                + b.getOrDefault(sha, 0) + " found");
                    }
                    if (d < 0) {
                        lost -= d;
                    } else {
                        duplicated += d;
                    }
                }
                messages += a.values().stream().mapToInt(Integer::intValue).sum();
            }
        }

        private static Map<String, Map<String, Integer>> counts(Map<String, List<String>> m) {
            Map<String, Map<String, Integer>> out = new TreeMap<>();
            m.forEach((folder, list) -> {
                if (!list.isEmpty()) {
                    Map<String, Integer> c = out.computeIfAbsent(folder, k -> new TreeMap<>());
                    list.forEach(sha -> c.merge(sha, 1, Integer::sum));
                }
            });
            return out;
        }

        private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
            java.util.TreeSet<String> all = new java.util.TreeSet<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }
    }

    /** One command under kills: a fresh start, its arguments, its kill points, its phases, its check. */
    interface Scenario {
        /** Makes a fresh start: an empty backup directory, a new target account, .... */
        void fresh() throws Exception;

        /** The command line (the same for every run of one start). */
        String[] args();

        /** Chooses the next kill point from the current state. */
        Point next(Random random) throws Exception;

        /** The phase the kill hit, from what the files or the target (or its output) show now. */
        String phase(ChildProgram killed) throws Exception;

        /** Waits until a killed run's traces have settled (a server still storing what it got). */
        default void settle() throws Exception { }

        /**
         * Checks the state after the completing run, adding to the tally; fails on anything wrong.
         *
         * @param last the completing run
         * @param stderr what every run of this start (killed ones too) printed on stderr
         * @param tally the figures
         */
        void check(CliRun last, String stderr, Tally tally) throws Exception;
    }

    private final String name;
    private final long seed;
    private final Random random;
    private final Path tmp;
    private final Map<String, String> env;
    private final Map<String, Integer> phases = new TreeMap<>();
    private final Tally tally = new Tally();
    private final List<String> log = new ArrayList<>();
    private int kills;
    private int launched;
    private int starts;

    KillHarness(String name, long seed, Path tmp, Map<String, String> env) {
        this.name = name;
        this.seed = seed;
        this.random = new Random(seed ^ name.hashCode());
        this.tmp = tmp;
        this.env = env;
    }

    /** Kill points per command: a handful by default, at least 100 with {@code -Preliability}. */
    static final int KILLS = FULL ? 100 : 2;
    /** Kills in a row before a run may complete: each run again is killed again, up to this many times. */
    static final int CHAIN = FULL ? 10 : 2;

    /**
     * Runs fresh starts until {@code total} kills have happened, each start a chain of up to
     * {@code chain} kills and then a completing run in this JVM, checked by the scenario.
     */
    void run(Scenario s, int total, int chain) throws Exception {
        System.out.println("KillHarness " + name + ": seed " + seed + " (replay with -Dimapbackup.seed=" + seed + ")");
        int attempts = 0;
        while (kills < total) {
            s.fresh();
            List<String> chainLog = new ArrayList<>();
            StringBuilder stderr = new StringBuilder();
            for (int k = 0; k < chain && kills < total; k++) {
                assertThat(++attempts).as("kill points that the runs kept finishing before: %s", log)
                        .isLessThan(total * 4 + 8);
                // in process mostly; through the launcher: both JVMs or the launcher only. The first kill of
                // the default build always kills the launcher alone (its worker stops itself, as on SIGTERM:
                // the cancel commits what it holds, every folder at once), which chance draws too rarely
                int how = !FULL && kills == 0 ? 1 : random.nextInt(12);
                boolean launcher = how < 2;
                Point p = s.next(random);
                Path out = Files.createDirectories(tmp.resolve("children"));
                ChildProgram child = ChildProgram.start(out, launcher ? List.of()
                        : List.of("-Dimapbackup.inProcess=true", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                        env, s.args());
                starts++;
                if (!child.killWhen(() -> p.when().test(child), how == 1)) {
                    chainLog.add(p.trigger() + ": finished first, exit " + child.process().exitValue());
                    stderr.append(child.err());
                    assertThat(child.process().exitValue()).as("a run that was not killed: %s", child).isZero();
                    break;
                }
                stderr.append(child.err());
                kills++;
                launched += launcher ? 1 : 0;
                String phase = s.phase(child);
                phases.merge(phase, 1, Integer::sum);
                chainLog.add(p.trigger() + (how == 0 ? " (launcher and worker)" : how == 1 ? " (launcher only)" : "")
                        + " -> " + phase);
                s.settle();
            }
            log.add(chainLog.toString());
            System.out.println("KillHarness " + name + ": " + chainLog);
            CliRun last = completing(s.args(), stderr);
            String where = name + ", seed " + seed + " (-Dimapbackup.seed=" + seed + "), kills " + chainLog;
            try {
                s.check(last, stderr.append(last.err).toString(), tally);
            } catch (AssertionError e) {
                throw new AssertionError(where + ": " + e.getMessage(), e);
            }
            assertThat(tally.differences).as("lost or duplicated; " + where).isEmpty();
            assertThat(tally.torn).as(where).isZero();
        }
        System.out.println(summary());
    }

    /**
     * The completing run, in this JVM; what the library logs goes to this JVM's System.err
     * (slf4j-simple writes to the current one), so that is kept for the check too.
     */
    private CliRun completing(String[] args, StringBuilder stderr) {
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return CliRun.run(env, args);
        } finally {
            System.setErr(old);
            stderr.append(logged.toString(java.nio.charset.StandardCharsets.UTF_8));
            old.print(logged.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The figures line: {@code RELIABILITY crash <name>: N kill points run, lost 0, ...}. */
    String summary() {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("messages checked", tally.messages);
        more.put("set aside", tally.setAside);
        more.put("child runs", starts);
        more.put("through the launcher", launched);
        phases.forEach((phase, n) -> more.put("phase " + phase, n));
        StringBuilder sb = new StringBuilder("RELIABILITY crash " + name + ": " + kills + " kill points run, lost "
                + tally.lost + ", duplicated " + tally.duplicated + ", torn " + tally.torn + ", seed " + seed);
        more.forEach((k, v) -> sb.append(", ").append(k).append(' ').append(v));
        return sb.toString();
    }
}
