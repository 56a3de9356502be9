package io.github.imapbackup.imap.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@link BackupBenchmark} (docs/benchmarks-imap.md, "The benchmark"): the account,
 * the phases, the links, the codecs, the growth factors, where the jar and the output are.
 *
 * @param messages messages of the account
 * @param folders folders of the account (also of each growth account)
 * @param scale size factor of the messages
 * @param seed the generator seed
 * @param xmx the warm child's heap
 * @param threads connections that load the account
 * @param connections the backups' {@code --connections}, or null for the program's default
 * @param tls whether the backups and mbsync use implicit TLS (the raw reader stays plain)
 * @param rawlog whether Dovecot records the commands of each backup
 * @param work the work directory, or null for a new one under /tmp
 * @param links the network links, each run with every phase
 * @param phases the phases to run
 * @param codecs the codecs of the compressed backup rows ({@code none} adds no row)
 * @param growth the growth factors, applied to {@code growthBase} messages
 * @param growthBase messages of the growth table's 1× account
 * @param jar the shipped jar that the cold rows run
 * @param out the Markdown copy of what the program prints, or null
 * @param mbsync the mbsync program
 * @param keepAccount whether Dovecot's mail directory under {@code work} is kept, and the account
 *     not loaded again when the same one (seed, messages, folders, scale) is there
 * @param rounds how many times the phases run on each link, one round after the other (the
 *     growth table once): a row's ratios are to the raw reader of its own round
 */
record BenchOptions(int messages, int folders, double scale, long seed, String xmx, int threads, Integer connections,
        boolean tls, boolean rawlog, Path work, List<Link> links, Set<String> phases, List<String> codecs,
        List<Integer> growth, int growthBase, Path jar, Path out, Path mbsync, boolean keepAccount, int rounds) {

    /** Every phase, in the order they run on each link (growth runs once, on loopback, at the end). */
    static final List<String> ALL_PHASES = List.of("raw", "cold", "warm", "nothing-new", "new", "mbsync", "codecs",
            "raw-again", "raw-chunked", "growth");
    /** The phases that run without {@code --phases}. */
    static final List<String> DEFAULT_PHASES = List.of("raw", "cold", "warm", "nothing-new", "new", "mbsync",
            "codecs", "growth");

    private static final String USAGE = "usage: BackupBenchmark [--quick] [--messages N] [--folders N] [--scale X] "
            + "[--seed N] [--xmx SIZE] [--threads N] [--connections N] [--tls true] [--rawlog true] [--work DIR] "
            + "[--links loopback,1000/1,100/20] [--link MBIT --rtt MS] [--phases " + String.join(",", ALL_PHASES)
            + "] [--codecs none,zstd,gzip,bzip2,xz] [--growth 1,5,25] [--growth-base N] [--jar FILE] "
            + "[--out FILE.md] [--mbsync PATH] [--keep-account true] [--rounds N]";

    /**
     * An emulated network link: server-to-client bandwidth and round-trip time; 0/0 is loopback.
     *
     * @param mbit Mbit/s (0: unlimited)
     * @param rttMs round-trip time added, ms
     */
    record Link(double mbit, double rttMs) {

        static final Link LOOPBACK = new Link(0, 0);

        boolean loopback() {
            return mbit <= 0 && rttMs <= 0;
        }

        static Link parse(String s) {
            if (s.equals("loopback")) {
                return LOOPBACK;
            }
            String[] p = s.split("/", 2);
            if (p.length != 2) {
                throw new IllegalArgumentException("a link is 'loopback' or MBIT/RTT_MS (e.g. 100/20): " + s);
            }
            return new Link(Double.parseDouble(p[0]), Double.parseDouble(p[1]));
        }

        @Override
        public String toString() {
            return loopback() ? "loopback" : String.format(Locale.ROOT, "%s Mbit/s, RTT %s ms",
                    mbit > 0 ? trim(mbit) : "unlimited", trim(rttMs));
        }

        private static String trim(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    /**
     * Parses the command line.
     *
     * @param args the arguments
     * @return the options
     */
    static BenchOptions parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                m.put(args[i].substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException(USAGE);
            }
        }
        List<Link> links = new ArrayList<>();
        if (m.containsKey("link") || m.containsKey("rtt")) { // the older form: one link
            links.add(new Link(Double.parseDouble(m.getOrDefault("link", "0")),
                    Double.parseDouble(m.getOrDefault("rtt", "0"))));
        } else {
            for (String l : m.getOrDefault("links", quick ? "loopback" : "loopback,1000/1,100/20").split(",")) {
                links.add(Link.parse(l.trim()));
            }
        }
        Set<String> phases = new LinkedHashSet<>();
        for (String p : m.getOrDefault("phases", String.join(",", DEFAULT_PHASES)).split(",")) {
            if (!ALL_PHASES.contains(p.trim())) {
                throw new IllegalArgumentException("unknown phase '" + p + "'; phases: " + ALL_PHASES);
            }
            phases.add(p.trim());
        }
        if (phases.contains("nothing-new") || phases.contains("new")) {
            phases.add("cold"); // they back up into the cold run's directory
        }
        List<Integer> growth = new ArrayList<>();
        for (String g : m.getOrDefault("growth", quick ? "1,2" : "1,5,25").split(",")) {
            growth.add(Integer.parseInt(g.trim()));
        }
        int rounds = Integer.parseInt(m.getOrDefault("rounds", "1"));
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1: " + rounds);
        }
        return new BenchOptions(
                Integer.parseInt(m.getOrDefault("messages", quick ? "200" : "20000")),
                Integer.parseInt(m.getOrDefault("folders", quick ? "6" : "50")),
                Double.parseDouble(m.getOrDefault("scale", quick ? "0.3" : "1.0")),
                Long.parseLong(m.getOrDefault("seed", "42")),
                m.getOrDefault("xmx", "256m"),
                Integer.parseInt(m.getOrDefault("threads", "2")),
                m.containsKey("connections") ? Integer.valueOf(m.get("connections")) : null,
                Boolean.parseBoolean(m.getOrDefault("tls", "false")),
                Boolean.parseBoolean(m.getOrDefault("rawlog", "false")),
                m.containsKey("work") ? Path.of(m.get("work")) : null,
                List.copyOf(links), Set.copyOf(phases),
                List.of(m.getOrDefault("codecs", quick ? "none,zstd" : "none").split(",")),
                List.copyOf(growth),
                Integer.parseInt(m.getOrDefault("growth-base", quick ? "100" : "2000")),
                Path.of(m.getOrDefault("jar", "imapbackup-examples/target/imapbackup.jar")).toAbsolutePath(),
                m.containsKey("out") ? Path.of(m.get("out")) : null,
                Path.of(m.getOrDefault("mbsync", "/usr/bin/mbsync")),
                Boolean.parseBoolean(m.getOrDefault("keep-account", "false")), rounds);
    }

    /** {@return whether the phase runs} @param phase the phase */
    boolean runs(String phase) {
        return phases.contains(phase);
    }
}
