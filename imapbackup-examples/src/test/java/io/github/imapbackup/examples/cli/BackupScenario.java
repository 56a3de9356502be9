package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A command that writes a backup directory ({@code backup}, {@code backup --config}, {@code import})
 * under kills: kill points in its files (mbox bytes, index bytes, folders, time), phases read from
 * them ({@link BackupFiles#phase}), and the check against a reference run without kills: the
 * completing run exits 0, {@code verify} passes, every message once byte for byte, nothing torn.
 */
final class BackupScenario implements KillHarness.Scenario {
    private final Path tmp;
    private final String mbox;
    private final Function<Path, String[]> command;
    private final long totalMbox;
    private final long totalIndex;
    private final int totalFolders;
    private final Map<String, Long> complete;
    private final Map<String, Map<String, List<String>>> want = new TreeMap<>();
    private Path dir;
    private int starts;

    BackupScenario(Path tmp, Path reference, String codecSuffix,
            Function<Path, String[]> command) throws Exception {
        this.tmp = tmp;
        this.mbox = ".mbox" + codecSuffix;
        this.command = command;
        this.totalMbox = BackupFiles.bytes(reference, mbox);
        this.totalIndex = BackupFiles.bytes(reference, ".mbox.index");
        this.totalFolders = BackupFiles.files(reference, ".mbox.index").size();
        this.complete = BackupFiles.committedCounts(reference);
        for (Path account : accounts(reference)) {
            want.put(reference.relativize(account).toString(), BackupFiles.contents(account));
        }
    }

    /** The backup directories: the directory itself, or each account's under a configuration's destination. */
    private static List<Path> accounts(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve(".imapbackup"))
                || Files.exists(dir.resolve("INBOX" + ".mbox.index"))) {
            return List.of(dir);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    @Override
    public void fresh() {
        dir = tmp.resolve("backup" + starts++);
    }

    @Override
    public String[] args() {
        return command.apply(dir);
    }

    @Override
    public KillHarness.Point next(Random r) {
        long m = BackupFiles.bytes(dir, mbox);
        long i = BackupFiles.bytes(dir, ".mbox.index");
        int f = BackupFiles.files(dir, ".mbox.index").size();
        switch (r.nextInt(8)) {
            case 0, 1, 2, 3: {
                long at = m + 1 + (long) (r.nextDouble() * Math.max(1, totalMbox - m));
                return KillHarness.Point.of("mbox bytes > " + at, () -> BackupFiles.bytes(dir, mbox) > at);
            }
            case 4, 5: {
                long at = i + 1 + (long) (r.nextDouble() * Math.max(1, totalIndex - i));
                return KillHarness.Point.of("index bytes > " + at,
                        () -> BackupFiles.bytes(dir, ".mbox.index") > at);
            }
            case 6: {
                int n = Math.min(totalFolders, f + 1 + r.nextInt(Math.max(1, totalFolders - f)));
                return KillHarness.Point.of("folders >= " + n,
                        () -> BackupFiles.files(dir, ".mbox.index").size() >= n);
            }
            default: {
                long millis = 300 + r.nextInt(2500);
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                return KillHarness.Point.of("after " + millis + " ms", () -> System.nanoTime() > end);
            }
        }
    }

    @Override
    public String phase(ChildProgram killed) {
        return BackupFiles.phase(dir, complete);
    }

    @Override
    public void check(CliRun last, String stderr, KillHarness.Tally tally) throws Exception {
        assertThat(last.status).as("the completing run: %s", last).isZero();
        for (Path account : accounts(dir)) {
            CliRun verify = CliRun.run("verify", "--dir", account.toString());
            assertThat(verify.status).as("verify %s: %s", account, verify).isZero();
            tally.compare(want.get(dir.relativize(account).toString()), BackupFiles.contents(account));
            List<String> torn = BackupFiles.torn(account);
            tally.torn += torn.size();
            assertThat(torn).as("nothing torn in %s", account).isEmpty();
            for (Path aside : BackupFiles.setAside(account)) {
                tally.setAside++;
                assertThat(stderr).as("a warning names the file the torn rest went to")
                        .contains(aside.getFileName().toString());
            }
        }
        assertThat(accounts(dir)).hasSize(want.size());
    }
}
