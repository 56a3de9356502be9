package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.imap.Dovecot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One huge folder backed up by the shipped jar with several {@code --connections} (a program, not
 * a test; docs/benchmarks-imap.md, "One huge folder"). Starts a private Dovecot, loads one INBOX
 * of small messages ({@link BenchmarkAccount} with one folder), then runs
 * {@code /usr/bin/time java -jar JAR backup ...} cold, for each connection count in turn, several
 * rounds (A B C A B C), each into a fresh directory, and checks that every run's mbox and index
 * are byte for byte those of the first run. Prints one line per run: CPU seconds (user + system,
 * the launcher's child included), wall seconds, peak RSS.
 *
 * <p>Options: {@code --messages N} (100000), {@code --scale X} (0.15: about 2.5 KB per message),
 * {@code --connections 1,2,4}, {@code --rounds N} (3), {@code --jar PATH[,PATH...]}
 * (imapbackup-examples/target/imapbackup.jar; several jars, e.g. before and after a change, run
 * alternately, each compared with the very first run), {@code --link MBIT --rtt MS} (through a
 * {@link LinkProxy}), {@code --work DIR}.
 */
public final class HugeFolderBenchmark {

    private static final String USER = "huge";
    private static final String PASSWORD = "huge-password";

    private HugeFolderBenchmark() { }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int messages = Integer.parseInt(opt.getOrDefault("messages", "100000"));
        double scale = Double.parseDouble(opt.getOrDefault("scale", "0.15"));
        int rounds = Integer.parseInt(opt.getOrDefault("rounds", "3"));
        List<String> counts = Arrays.asList(opt.getOrDefault("connections", "1,2,4").split(","));
        List<Path> jars = Arrays.stream(opt.getOrDefault("jar", "imapbackup-examples/target/imapbackup.jar").split(","))
                .map(j -> Path.of(j).toAbsolutePath()).toList();
        Path work = opt.containsKey("work") ? Path.of(opt.get("work"))
                : Files.createTempDirectory(Path.of("/tmp"), "hugebench-");
        double linkMbit = Double.parseDouble(opt.getOrDefault("link", "0"));
        double rttMs = Double.parseDouble(opt.getOrDefault("rtt", "0"));
        Files.createDirectories(work);
        Path password = work.resolve("password");
        Files.writeString(password, PASSWORD);
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        BenchmarkAccount account = new BenchmarkAccount(42, messages, 1, scale);
        try (Dovecot dovecot = Dovecot.builder().separator('/').user(USER, PASSWORD)
                .directory(work.resolve("dovecot")).build().start()) {
            long t0 = System.nanoTime();
            long bytes = account.load(dovecot, USER, 1);
            System.out.printf(Locale.ROOT, "loaded %d messages, %d bytes, into INBOX in %.1f s%n", messages, bytes,
                    (System.nanoTime() - t0) / 1e9);
            LinkProxy link = linkMbit > 0 || rttMs > 0 ? new LinkProxy(dovecot.port(), rttMs,
                    linkMbit > 0 ? (long) (linkMbit * 1e6 / 8) : Long.MAX_VALUE / 4) : null;
            int port = link != null ? link.port() : dovecot.port();
            System.out.println("uptime: " + run(List.of("uptime")).trim());
            for (int j = 0; j < jars.size(); j++) {
                System.out.println("jar " + (j + 1) + ": " + jars.get(j));
            }
            System.out.println("| jar | connections | round | exit | CPU s | wall s | peak RSS MB | same bytes as first |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|");
            Path first = null;
            for (int r = 1; r <= rounds; r++) {
                for (String c : counts) {
                    for (int j = 0; j < jars.size(); j++) {
                        Path jar = jars.get(j);
                        Path dir = work.resolve("backup-" + c + "-" + r + "-" + (j + 1));
                        deleteRecursively(dir);
                        Path timing = work.resolve("time.txt");
                        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-o", timing.toString(),
                                "-f", "%e %U %S %M", "java", "-jar", jar.toString(), "backup", "--host", "127.0.0.1",
                                "--port", Integer.toString(port), "--security", "none", "--user", USER,
                                "--password-file", password.toString(), "--dir", dir.toString(), "--quiet"));
                        if (!c.equals("default")) {
                            cmd.addAll(List.of("--connections", c));
                        }
                        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                                .redirectOutput(work.resolve("out-" + c + "-" + r + "-" + (j + 1) + ".txt").toFile()).start();
                        int exit = p.waitFor();
                        // the last line: a failed command's status line comes before it
                        List<String> lines = Files.readAllLines(timing);
                        String[] last = lines.get(lines.size() - 1).trim().split("\\s+");
                        double cpu = Double.parseDouble(last[1]) + Double.parseDouble(last[2]);
                        String same = "first";
                        if (first == null) {
                            first = dir;
                        } else {
                            same = sameFiles(first, dir) ? "yes" : "NO";
                            deleteRecursively(dir);
                        }
                        System.out.printf(Locale.ROOT, "| %d | %s | %d | %d | %.2f | %s | %d | %s |%n", j + 1, c, r, exit, cpu,
                                last[0], Long.parseLong(last[3]) / 1024, same);
                    }
                }
            }
            System.out.println("uptime: " + run(List.of("uptime")).trim());
            if (link != null) {
                link.close();
            }
        }
    }

    /** Whether both directories hold the same files with the same bytes (the run's report aside). */
    private static boolean sameFiles(Path a, Path b) throws IOException {
        List<Path> fa = files(a);
        List<Path> fb = files(b);
        if (!fa.equals(fb)) {
            System.out.println("files differ: " + fa + " / " + fb);
            return false;
        }
        for (Path f : fa) {
            if (f.toString().endsWith(".index")) {
                if (!indexLines(a.resolve(f)).equals(indexLines(b.resolve(f)))) {
                    System.out.println("index records differ: " + f);
                    return false;
                }
            } else if (Files.mismatch(a.resolve(f), b.resolve(f)) != -1) {
                System.out.println("bytes differ: " + f);
                return false;
            }
        }
        return true;
    }

    /**
     * The index's records without what tells when they were written: the times of this run (the
     * messages' INTERNALDATEs are years older) and each line's checksum, which covers them.
     */
    private static List<String> indexLines(Path index) throws IOException {
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString().substring(0, 4);
        return Files.readAllLines(index, StandardCharsets.UTF_8).stream()
                .map(l -> l.substring(0, Math.max(0, l.lastIndexOf(' ')))
                        .replaceAll(today + "-\\d\\d-\\d\\dT[0-9:.]+Z", "<now>"))
                .toList();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
