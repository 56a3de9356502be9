package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the program as users do ({@link ChildProgram}: the launcher and its worker JVM) and scans
 * every byte it leaves for the secrets of {@link SecretNeedles}: stdout, stderr (the log), every
 * file the run wrote or changed under the test's directory (the report, the backup, exported
 * files, caches), and the command lines of the launcher, the worker and their children as
 * {@code ps} shows them (/proc/PID/cmdline), read while they run. Files that hold a secret by
 * design (the secret files the test wrote, an OAuth2 token cache) are left out of the scan and
 * checked by the caller. Tallies runs and bytes per command for the RELIABILITY line.
 */
final class SecretScan {

    /** The longest a run may take before it counts as a hang. */
    private static final long HANG_SECONDS = 240;

    /** What one run left. */
    record Run(int status, String out, String err, Set<String> commandLines, List<SecretNeedles.Hit> hits,
            long bytes) {

        @Override
        public String toString() {
            return "exit " + status + "\n--- command lines:\n" + String.join("\n", commandLines.stream()
                    .map(l -> l.replaceAll(" -cp \\S+ ", " -cp … ")).toList())
                    + "\n--- out:\n" + excerpt(out) + "\n--- err:\n" + excerpt(err);
        }

        private static String excerpt(String s) {
            return s.length() <= 6000 ? s : s.substring(0, 3000) + "\n[...]\n" + s.substring(s.length() - 3000);
        }
    }

    /** Runs and bytes of one command. */
    static final class Tally {
        int runs;
        long bytes;
        int hits;
    }

    private final SecretNeedles needles;
    private final Set<Path> holdSecrets = new LinkedHashSet<>();
    private final Map<String, Tally> tallies;

    /**
     * A scanner.
     *
     * @param needles what to look for
     * @param tallies where runs and bytes are counted, by command
     */
    SecretScan(SecretNeedles needles, Map<String, Tally> tallies) {
        this.needles = needles;
        this.tallies = tallies;
    }

    /**
     * Leaves a file out of the scans: it holds a secret by design.
     *
     * @param file the file
     * @return the file
     */
    Path holdsSecret(Path file) {
        holdSecrets.add(file.toAbsolutePath().normalize());
        return file;
    }

    /**
     * Runs the program and scans what it left.
     *
     * @param tally the name its runs are counted under ({@code backup}, {@code backup --config})
     * @param work the test's directory: the outputs go there, and the files changed there are scanned
     * @param env environment variables
     * @param args the program's arguments
     * @return what the run left, its hits included
     */
    Run run(String tally, Path work, Map<String, String> env, List<String> args) throws Exception {
        Instant started = Instant.now().minusSeconds(2);
        ChildProgram child = ChildProgram.start(work, List.of(), env, args.toArray(String[]::new));
        Process p = child.process();
        Set<String> commandLines = new LinkedHashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
        while (p.isAlive()) {
            List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
            all.add(0, p.toHandle());
            for (ProcessHandle h : all) {
                commandLine(h.pid()).ifPresent(commandLines::add);
            }
            if (System.nanoTime() > deadline) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("hang: " + String.join(" ", args) + " ran for more than " + HANG_SECONDS
                        + " s; " + child);
            }
            Thread.sleep(10);
        }
        p.waitFor();
        List<SecretNeedles.Hit> hits = new ArrayList<>();
        long bytes = 0;
        int n = 0;
        for (String line : commandLines) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            hits.addAll(needles.scan("command line " + (n++) + " (" + line + ")", b));
            bytes += b.length;
        }
        for (Path f : changedFiles(work, started)) {
            byte[] b = Files.readAllBytes(f);
            hits.addAll(needles.scan(work.relativize(f).toString(), b));
            bytes += b.length;
        }
        Tally t = tallies.computeIfAbsent(tally, k -> new Tally());
        synchronized (t) {
            t.runs++;
            t.bytes += bytes;
            t.hits += hits.size();
        }
        return new Run(p.exitValue(), child.out(), child.err(), commandLines, hits, bytes);
    }

    /**
     * Runs the program, checks its exit status, that it saw the worker JVM's command line, and that
     * nothing holds a secret.
     *
     * @return the run
     */
    Run expect(int status, String tally, Path work, Map<String, String> env, List<String> args) throws Exception {
        Run r = run(tally, work, env, args);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.commandLines()).as("the worker JVM's command line was read; " + r)
                .anyMatch(l -> l.contains("-D" + Launcher.LAUNCHED_BY + "="));
        assertThat(r.hits()).as("secrets found in what " + String.join(" ", args) + " left; " + r).isEmpty();
        if (status == 0 && args.contains("--trace")
                && args.stream().anyMatch(a -> a.startsWith("--host") || a.equals("--config"))) {
            assertThat(r.err()).as("Angus Mail's protocol trace is in the log").contains("[TRACE] protocol - ");
        }
        return r;
    }

    /** The files under {@code dir} written since {@code since}, without the ones that hold a secret by design. */
    private List<Path> changedFiles(Path dir, Instant since) throws IOException {
        FileTime from = FileTime.from(since);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !holdSecrets.contains(f.toAbsolutePath().normalize()))
                    .filter(f -> {
                        try {
                            return Files.getLastModifiedTime(f).compareTo(from) >= 0;
                        } catch (IOException e) {
                            return false;
                        }
                    }).toList();
        }
    }

    /** {@return a process's command line as {@code ps} shows it (NULs as spaces), when it still runs} */
    private static java.util.Optional<String> commandLine(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return b.length == 0 ? java.util.Optional.empty()
                    : java.util.Optional.of(new String(b, StandardCharsets.UTF_8).replace('\0', ' ').strip());
        } catch (IOException e) {
            return java.util.Optional.empty(); // ended meanwhile
        }
    }

    /**
     * Prints one RELIABILITY line per command.
     *
     * @param tallies the tallies
     */
    static void printFigures(Map<String, Tally> tallies) {
        for (Map.Entry<String, Tally> e : new LinkedHashMap<>(tallies).entrySet()) {
            System.out.println("RELIABILITY secrets " + e.getKey() + ": " + e.getValue().bytes + " bytes scanned, "
                    + e.getValue().runs + " runs, hits " + e.getValue().hits);
        }
    }
}
