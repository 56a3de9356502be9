package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.imap.Dovecot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The end-to-end IMAP backup benchmark (a program, not a test): one command runs every phase
 * against one generated account in a private Dovecot and prints one table (Markdown, also written
 * to {@code --out FILE}). Per link (loopback and each emulated link): the raw reader, the backup
 * as users run it ({@code java -jar imapbackup.jar backup}, cold, through the launcher), the warm
 * in-JVM backup ({@link BenchmarkChild}), nothing new, 1 % new, {@code mbsync} into a Maildir with
 * and without fsync, compressed backups; each with seconds, MB/s, ratios to the raw reader and to
 * mbsync, CPU seconds of all its processes, CPU seconds per GB and peak RSS. Then the growth table
 * (1×, 5×, 25× a base account). The options are in {@link BenchOptions} and docs/benchmarks-imap.md,
 * "The benchmark".
 */
public final class BackupBenchmark {

    /** The account's user. */
    static final String USER = "bench";
    /** Every user's password (a benchmark's, in a 0600 file for the jar). */
    static final String PASSWORD = "bench-password";
    /** The environment variable that gives the child its password. */
    static final String PASSWORD_ENV = "IMAPBACKUP_BENCH_PASSWORD";

    private BackupBenchmark() { }

    /**
     * Runs the benchmark and prints its tables.
     *
     * @param args see docs/benchmarks-imap.md
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args);
        Path work = o.work() != null ? o.work() : Files.createTempDirectory(Path.of("/tmp"), "imapbench-");
        Files.createDirectories(work);
        BenchmarkAccount account = new BenchmarkAccount(o.seed(), o.messages(), o.folders(), o.scale());
        Path loadedMark = work.resolve("account-loaded");
        String accountKey = o.seed() + " " + o.messages() + " " + o.folders() + " " + o.scale() + "\n";
        boolean reuse = o.keepAccount() && Files.isRegularFile(loadedMark)
                && Files.readString(loadedMark, StandardCharsets.UTF_8).startsWith(accountKey);
        if (!reuse) {
            Files.deleteIfExists(loadedMark);
            deleteRecursively(work.resolve("dovecot"));
        }
        BenchPrinter out = new BenchPrinter(o.out());
        out.line("## BackupBenchmark, " + Instant.now());
        out.line("");
        out.line("Command: `BackupBenchmark " + String.join(" ", args) + "`; jar " + o.jar() + "; work " + work);
        out.line("Before: `" + uptime() + "`, " + Runtime.getRuntime().availableProcessors() + " CPUs");
        Path passwordFile = work.resolve("password");
        Files.deleteIfExists(passwordFile);
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);

        Dovecot.Builder builder = Dovecot.builder().separator('/').user(USER, PASSWORD).rawlog(o.rawlog()).tls(o.tls())
                .directory(work.resolve("dovecot"));
        if (o.runs("growth")) {
            o.growth().forEach(f -> builder.user(GrowthPhase.user(f), PASSWORD));
        }
        List<String> notes = new ArrayList<>();
        List<BenchRow> rows = new ArrayList<>();
        try (Dovecot dovecot = builder.build().start()) {
            Path pem = o.tls() ? dovecot.pemCertificate() : null;
            JarBackup jar = new JarBackup(o.jar(), USER, passwordFile, pem, o.connections(), work);
            java.util.Optional<String> unavailable = jar.unavailable();
            unavailable.ifPresent(u -> notes.add("java -jar rows skipped: " + u));
            boolean table = o.phases().stream().anyMatch(p -> !p.equals("growth"));
            if (table) {
                long t0 = System.nanoTime();
                long loaded;
                String loadTime;
                if (reuse) {
                    // kept from an earlier run with --keep-account (docs/benchmarks-imap.md): not loaded again
                    loaded = Long.parseLong(Files.readString(loadedMark, StandardCharsets.UTF_8)
                            .substring(accountKey.length()).trim());
                    loadTime = "kept from an earlier run, 0.0 s";
                } else {
                    loaded = account.load(dovecot, USER, o.threads());
                    loadTime = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9);
                    if (o.keepAccount()) {
                        Files.writeString(loadedMark, accountKey + loaded + "\n", StandardCharsets.UTF_8);
                    }
                }
                out.line(String.format(Locale.ROOT, "Account: %d messages, %d bytes, %d folders, scale %s, seed %d"
                        + " (loaded in %s with %d connections)%s", o.messages(), loaded, o.folders(), o.scale(),
                        o.seed(), loadTime, o.threads(), o.tls() ? "; backups and mbsync over "
                        + "implicit TLS, the raw reader plain" : ""));
                new RawReader(dovecot.host(), dovecot.port(), USER, PASSWORD, account.folders(dovecot.separator()))
                        .read(); // Dovecot's first read after the load builds its caches: not counted
                LinkPhases phases = new LinkPhases(o, dovecot, account, work, jar, unavailable.isEmpty(), notes);
                for (int round = 1; round <= o.rounds(); round++) {
                    for (int i = 0; i < o.links().size(); i++) {
                        BenchOptions.Link link = o.links().get(i);
                        String label = o.rounds() > 1 ? link + ", round " + round : link.toString();
                        rows.addAll(phases.run(link, label, (round - 1) * o.links().size() + i));
                        System.err.println("... rows so far: " + rows);
                    }
                }
                out.line("");
                out.runs(rows);
                out.line("");
                if (o.rounds() > 1) {
                    out.rounds(rows, o.links().stream().map(BenchOptions.Link::toString).toList());
                    out.line("");
                }
            }
            if (o.runs("growth") && unavailable.isEmpty()) {
                List<List<BenchRow>> growth = GrowthPhase.run(o, dovecot,
                        user -> new JarBackup(o.jar(), user, passwordFile, pem, o.connections(), work), work);
                out.line(String.format(Locale.ROOT, "Growth (loopback, java -jar): base %d messages, %d folders,"
                        + " scale %s", o.growthBase(), o.folders(), o.scale()));
                out.line("");
                out.growth(o.growth(), growth);
                out.line("");
            }
        }
        notes.forEach(n -> out.line("- " + n));
        out.line("After: `" + uptime() + "`");
        out.line("× raw: the row's MB/s over the raw reader's on the same link; × mbsync: mbsync's seconds over the"
                + " row's (above 1: faster than mbsync). Targets (issue 13): cold ≥ 0.9 × raw over a link; faster than"
                + " mbsync on loopback; peak RSS < 256 MB as shipped; CPU ≤ 5 s/GB.");
    }

    /** {@return the output of {@code uptime}, or the load average} */
    static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return s;
        } catch (IOException e) {
            return "load average " + loadAverage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "load average " + loadAverage();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /**
     * Flushes the page cache's dirty pages ({@code sync}) and waits a second: a run with nothing new
     * (or 1 % new) comes right after a full run here, while the kernel still writes its hundreds of
     * MB back on the same two cores; a nightly run finds its disk settled.
     */
    static void settle() throws IOException {
        try {
            Process sync = new ProcessBuilder("sync").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            sync.waitFor();
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while settling");
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
