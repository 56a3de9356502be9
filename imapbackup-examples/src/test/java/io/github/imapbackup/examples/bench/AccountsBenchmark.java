package io.github.imapbackup.examples.bench;

import io.github.imapbackup.testing.bench.TimedRun;
import io.github.imapbackup.testing.imap.Dovecot;
import io.github.imapbackup.testing.imap.ImapTestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of issue 11 (docs/benchmarks.md, "Many accounts"): a local Dovecot with 10 accounts
 * of 2,000 messages each, backed up by {@code java -jar imapbackup.jar backup --config FILE} in a
 * cold JVM with 1, 2 and 4 accounts at once (2 connections per account, so the file's total is 2,
 * 4 and 8), each into a fresh destination: the wall time, and the peak RSS of the whole run (the
 * launcher and its worker JVM, summed, by {@link TimedRun}). A program, never a test.
 *
 * <pre>
 * mvn -q -B package -DskipTests
 * mvn -o -q -B -pl imapbackup-examples -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -cp imapbackup-examples/target/test-classes:imapbackup-testing/target/classes:$(cat imapbackup-examples/target/bench.cp) \
 *     io.github.imapbackup.examples.bench.AccountsBenchmark [ACCOUNTS [MESSAGES [PARALLEL,...]]]
 * </pre>
 */
public final class AccountsBenchmark {

    private static final String PASSWORD = "bench-Pa55";
    private static final Pattern COPIED = Pattern.compile("\"messagesCopied\":(\\d+)");

    private AccountsBenchmark() { }

    /**
     * Runs the benchmark.
     *
     * @param args accounts (10), messages per account (2000), the parallel accounts to try (1,2,4)
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        String parallel = args.length > 2 ? args[2] : "1,2,4";
        Path jar = Path.of(System.getProperty("imapbackup.jar", "imapbackup-examples/target/imapbackup.jar"));
        Path work = Files.createTempDirectory("accounts-bench");
        Dovecot.Builder b = Dovecot.builder();
        for (int a = 0; a < accounts; a++) {
            b.user(user(a), PASSWORD);
        }
        try (Dovecot dovecot = b.build().start()) {
            long bytes = 0;
            for (int a = 0; a < accounts; a++) {
                bytes += load(dovecot, user(a), messages, a);
            }
            System.out.printf(Locale.ROOT, "loaded %d accounts x %d messages, %.1f MB in all%n", accounts, messages,
                    bytes / 1e6);
            System.out.println("| accounts at once | total connections | wall time | peak RSS (all processes) | copied | exit |");
            System.out.println("|---|---|---|---|---|---|");
            for (String p : parallel.split(",")) {
                int n = Integer.parseInt(p.trim());
                Path dir = work.resolve("run-" + n);
                Files.createDirectories(dir);
                Path config = config(dir, dovecot, accounts, n);
                Path report = dir.resolve("report.json");
                TimedRun.Result r = TimedRun.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-jar", jar.toString(), "backup", "--config", config.toString(), "--quiet",
                        "--report", report.toString()), dir.resolve("out.txt"), dir.resolve("time.txt"));
                Matcher m = COPIED.matcher(Files.exists(report) ? Files.readString(report) : "");
                System.out.printf(Locale.ROOT, "| %d | %d | %.1f s | %d MB | %s | %d |%n", n, 2 * n, r.wallSeconds(),
                        r.totalRssKb() / 1024, m.find() ? m.group(1) : "?", r.exit());
                System.out.println("  " + r.rss());
            }
        }
    }

    private static String user(int a) {
        return String.format(Locale.ROOT, "u%02d", a);
    }

    /** Writes the original script's config.json for {@code n} accounts at once, 2 connections each. */
    private static Path config(Path dir, Dovecot dovecot, int accounts, int n) throws IOException {
        StringBuilder sb = new StringBuilder("{\n  \"destination\": \"" + dir.resolve("mail") + "\",\n"
                + "  \"total_processes\": " + 2 * n + ",\n  \"processes_per_account\": 2,\n  \"accounts\": [\n");
        for (int a = 0; a < accounts; a++) {
            sb.append("    {\"email\": \"").append(user(a)).append("@bench.example\", \"username\": \"").append(user(a))
                    .append("\", \"password\": \"").append(PASSWORD).append("\", \"host\": \"").append(dovecot.host())
                    .append("\", \"port\": ").append(dovecot.port()).append(", \"ssl\": false}")
                    .append(a + 1 < accounts ? ",\n" : "\n");
        }
        sb.append("  ]\n}\n");
        return Files.writeString(dir.resolve("config.json"), sb, StandardCharsets.UTF_8);
    }

    /** Loads an account: INBOX and Archive, seeded sizes from 1 KB to about 60 KB (a few 200 KB). */
    private static long load(Dovecot dovecot, String user, int messages, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        long bytes = 0;
        try (ImapTestClient c = dovecot.login(user)) {
            c.createFolder("Archive");
            List<ImapTestClient.Message> batch = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                int size = random.nextInt(20) == 0 ? 200_000 : 1000 + random.nextInt(random.nextInt(4) == 0 ? 60_000 : 8_000);
                byte[] m = message(user, i, size, random);
                bytes += m.length;
                batch.add(new ImapTestClient.Message(m, Set.of(), Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i * 60L)));
                if (batch.size() == 200 || i == messages - 1) {
                    c.appendAll(i < messages / 2 ? "INBOX" : "Archive", batch);
                    batch.clear();
                }
            }
        }
        return bytes;
    }

    private static byte[] message(String user, int i, int size, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(size + 200);
        sb.append("From: sender").append(i % 37).append("@example.org\r\nTo: ").append(user)
                .append("@bench.example\r\nSubject: message ").append(i).append("\r\nMessage-ID: <").append(user)
                .append('.').append(i).append("@bench.example>\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\n");
        while (sb.length() < size) {
            for (int w = 0; w < 12; w++) {
                sb.append((char) ('a' + random.nextInt(26))).append((char) ('a' + random.nextInt(26)))
                        .append((char) ('a' + random.nextInt(26))).append(' ');
            }
            sb.append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
