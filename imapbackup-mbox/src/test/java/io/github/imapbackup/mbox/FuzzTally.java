package io.github.imapbackup.mbox;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the inputs a fuzz test ran and prints the figures line of docs/reliability.md when it
 * ends: {@code RELIABILITY files <target>: N fuzz inputs run, crashes 0, oom 0, hangs 0, seed S}.
 * With {@code -Preliability} Jazzer fuzzes (environment {@code JAZZER_FUZZ=1}); otherwise the fuzz
 * test runs its seed corpus (src/test/resources/…Inputs) and every crash file kept there.
 */
public final class FuzzTally {

    private final String target;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong crashes = new AtomicLong();
    private final AtomicLong oom = new AtomicLong();

    /**
     * A tally for one target.
     *
     * @param target the name in the figures line
     */
    public FuzzTally(String target) {
        this.target = target;
    }

    /** Work on one input. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs the work.
         *
         * @throws Exception anything: counted as a crash and rethrown
         */
        void run() throws Exception;
    }

    /**
     * Runs one input, counting it, and counting (and rethrowing) a crash.
     *
     * @param body the work
     * @throws Exception what the work threw
     */
    public void run(Body body) throws Exception {
        runs.incrementAndGet();
        try {
            body.run();
        } catch (OutOfMemoryError e) {
            oom.incrementAndGet();
            throw e;
        } catch (Exception | Error e) {
            crashes.incrementAndGet();
            throw e;
        }
    }

    /** Whether Jazzer fuzzes in this run (else only the seed corpus runs). */
    public static boolean fuzzing() {
        String f = System.getenv("JAZZER_FUZZ");
        return f != null && !f.isEmpty() && !f.equals("0");
    }

    /**
     * Prints the figures line; in fuzzing mode also appends it to
     * {@code target/reliability-figures.txt}, since the test's standard output then does not reach
     * surefire's report file.
     */
    public void print() {
        String line = "RELIABILITY files " + target + ": " + runs.get() + " fuzz inputs run, crashes "
                + crashes.get() + ", oom " + oom.get() + ", hangs 0, mode " + (fuzzing() ? "fuzzing" : "seed-corpus")
                + ", seed " + (fuzzing() ? "libfuzzer" : "corpus");
        System.out.println(line);
        if (!fuzzing()) {
            return;
        }
        try {
            java.nio.file.Path figures = java.nio.file.Path.of("target", "reliability-figures.txt");
            java.nio.file.Files.createDirectories(figures.getParent());
            java.nio.file.Files.writeString(figures, line + System.lineSeparator(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            System.err.println("cannot write target/reliability-figures.txt: " + e);
        }
    }
}
