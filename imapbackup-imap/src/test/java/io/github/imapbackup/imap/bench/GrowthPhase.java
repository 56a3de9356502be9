package io.github.imapbackup.imap.bench;

import io.github.imapbackup.testing.imap.Dovecot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The growth table of {@link BackupBenchmark}: for each factor, an account of factor × the base
 * messages (same folders, same mix) in a Dovecot user of its own, backed up over loopback with
 * {@code java -jar}: the full run, a run with nothing new, a run after 1 % new messages. The cost
 * of the full run should grow with the bytes, the nothing-new run should stay flat.
 */
final class GrowthPhase {

    private GrowthPhase() { }

    /** {@return the Dovecot user of a factor} @param factor the factor */
    static String user(int factor) {
        return "growth" + factor;
    }

    /**
     * Runs the growth table's backups.
     *
     * @param o the options
     * @param dovecot the server, with a {@link #user} for each factor
     * @param jar the jar backups (of the growth users: the same password)
     * @param work the work directory
     * @return per factor: the full, nothing-new and 1 %-new rows
     * @throws Exception on failure
     */
    static List<List<BenchRow>> run(BenchOptions o, Dovecot dovecot, java.util.function.Function<String, JarBackup> jar,
            Path work) throws Exception {
        List<List<BenchRow>> all = new ArrayList<>();
        int port = o.tls() ? dovecot.tlsPort() : dovecot.port();
        for (int factor : o.growth()) {
            String user = user(factor);
            int messages = o.growthBase() * factor;
            BenchmarkAccount account = new BenchmarkAccount(o.seed(), messages, o.folders(), o.scale());
            long t0 = System.nanoTime();
            long loaded = account.load(dovecot, user, o.threads());
            System.err.printf(java.util.Locale.ROOT, "... growth %d×: loaded %d messages, %d bytes in %.1f s%n", factor,
                    messages, loaded, (System.nanoTime() - t0) / 1e9);
            new RawReader(dovecot.host(), dovecot.port(), user, BackupBenchmark.PASSWORD,
                    account.folders(dovecot.separator())).read(); // Dovecot's first read builds its caches
            Path dir = work.resolve("growth-" + factor);
            BackupBenchmark.deleteRecursively(dir); // from an earlier run in the same --work
            JarBackup backup = jar.apply(user);
            String name = factor + "×";
            List<BenchRow> rows = new ArrayList<>();
            rows.add(backup.run(name, "full", BenchRow.Kind.FULL, dovecot.host(), port, dir, null, "growth-full-" + factor));
            BackupBenchmark.settle();
            rows.add(backup.run(name, "nothing new", BenchRow.Kind.OTHER, dovecot.host(), port, dir, null,
                    "growth-nothing-" + factor));
            account.appendNew(dovecot, user, Math.max(1, messages / 100), ".new");
            BackupBenchmark.settle();
            rows.add(backup.run(name, "1 % new", BenchRow.Kind.OTHER, dovecot.host(), port, dir, null,
                    "growth-new-" + factor));
            System.err.println("... growth " + name + ": " + rows);
            BackupBenchmark.deleteRecursively(dir);
            all.add(rows);
        }
        return all;
    }
}
