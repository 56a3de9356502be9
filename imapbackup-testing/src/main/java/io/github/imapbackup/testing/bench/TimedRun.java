package io.github.imapbackup.testing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program for the benchmarks under {@code /usr/bin/time -f '%e %M %U %S'} (wall time, peak RSS of
 * the biggest process, user and system CPU of the whole process tree: GNU time's rusage counts every
 * descendant that was waited for, such as the launcher's worker JVM) and samples the peak RSS (VmHWM) of each of its processes every few
 * milliseconds, so that a program that re-launches itself (the command line program's launcher and
 * its worker JVM) is counted whole: the sum of its processes' peaks. Shared by the benchmarks of
 * several modules (imapbackup-imap's, imapbackup-examples').
 */
public final class TimedRun {

    private static final Path TIME = Path.of("/usr/bin/time");

    /**
     * One run.
     *
     * @param exit the exit status
     * @param wallSeconds from start to exit (JVM start included)
     * @param peakRssKb the biggest process's peak RSS by GNU time in KiB, or -1 without it
     * @param processRssKb the sampled peak RSS of each process (name: command and pid), KiB
     * @param cpuSeconds user + system CPU seconds of the program and its waited-for descendants, or -1
     *     without GNU time
     */
    public record Result(int exit, double wallSeconds, long peakRssKb, Map<String, Long> processRssKb,
            double cpuSeconds) {

        /** {@return the sum of the processes' peaks, or GNU time's figure if none was sampled} */
        public long totalRssKb() {
            long sum = processRssKb.values().stream().mapToLong(Long::longValue).sum();
            return Math.max(sum, peakRssKb);
        }

        /** {@return e.g. "peak RSS 150 MB (java 38 MB + java 112 MB)"} */
        public String rss() {
            if (totalRssKb() < 0) {
                return "peak RSS n/a";
            }
            List<String> parts = new ArrayList<>();
            processRssKb.forEach((k, v) -> parts.add(k.replaceAll("#.*", "") + " " + v / 1024 + " MB"));
            return String.format(Locale.ROOT, "peak RSS %d MB", totalRssKb() / 1024)
                    + (parts.size() > 1 ? " (" + String.join(" + ", parts) + ")" : "");
        }
    }

    private TimedRun() { }

    /**
     * Runs a command to its end (30 minutes at most).
     *
     * @param command the command
     * @param out where its output and errors go
     * @param timeFile where GNU time writes
     * @return what it took
     * @throws IOException if it cannot be started or does not end
     */
    public static Result run(List<String> command, Path out, Path timeFile) throws IOException {
        return run(command, Map.of(), out, timeFile);
    }

    /**
     * Runs a command to its end (30 minutes at most) with more environment variables.
     *
     * @param command the command
     * @param env added to this process's environment (a password: never on a command line)
     * @param out where its output and errors go
     * @param timeFile where GNU time writes
     * @return what it took
     * @throws IOException if it cannot be started or does not end
     */
    public static Result run(List<String> command, Map<String, String> env, Path out, Path timeFile) throws IOException {
        Files.deleteIfExists(timeFile);
        List<String> cmd = new ArrayList<>();
        boolean timed = Files.isExecutable(TIME);
        if (timed) {
            cmd.addAll(List.of(TIME.toString(), "-o", timeFile.toString(), "-f", "%e %M %U %S"));
        }
        cmd.addAll(command);
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        Map<String, Long> peaks = new TreeMap<>();
        try {
            while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
                sample(timed ? p.descendants().toList() : concat(p.toHandle(), p.descendants().toList()), peaks);
                if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(30)) {
                    p.descendants().forEach(ProcessHandle::destroy);
                    p.destroy();
                    throw new IOException("gave up after 30 minutes: " + String.join(" ", cmd) + " (output: " + out
                            + ")");
                }
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long rss = -1;
        double cpu = -1;
        if (timed && Files.isRegularFile(timeFile)) { // "Command exited with non-zero status" may come first
            String[] t = Files.readString(timeFile).trim().split("\\s+");
            wall = Double.parseDouble(t[t.length - 4]);
            rss = Long.parseLong(t[t.length - 3]);
            cpu = Double.parseDouble(t[t.length - 2]) + Double.parseDouble(t[t.length - 1]);
        }
        return new Result(p.exitValue(), wall, rss, peaks, cpu);
    }

    private static List<ProcessHandle> concat(ProcessHandle first, List<ProcessHandle> rest) {
        List<ProcessHandle> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    /** Records each process's VmHWM (Linux); a process that ended keeps its last sample. */
    private static void sample(List<ProcessHandle> processes, Map<String, Long> peaks) {
        for (ProcessHandle h : processes) {
            String name = h.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?") + "#" + h.pid();
            try {
                for (String l : Files.readAllLines(Path.of("/proc", Long.toString(h.pid()), "status"))) {
                    if (l.startsWith("VmHWM:")) {
                        peaks.merge(name, Long.parseLong(l.replaceAll("\\D+", "")), Math::max);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // it ended meanwhile
            }
        }
    }
}
