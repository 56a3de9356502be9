package io.github.imapbackup.testing;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Seeds for randomised tests: {@code -Dimapbackup.seed=N} replays seed {@code N}, otherwise each
 * test gets a new random seed; a failing test names its seed and how to replay it.
 *
 * <pre>{@code
 * @RegisterExtension
 * final Seeds seeds = new Seeds();
 *
 * @Test
 * void roundTrip() {
 *     Random rnd = seeds.random();   // or: long seed = seeds.pick();
 *     ...
 * }
 * }</pre>
 *
 * <p>A test that gets its seeds as parameters ({@code @MethodSource} of {@link #fixedAndFresh}) hands
 * each to {@link #use(long)}, so its failure names it too. Replay: {@code mvn -o test -pl <module>
 * -am -Dtest=SomeTest -Dsurefire.failIfNoSpecifiedTests=false -Dimapbackup.seed=N} (see
 * docs/ARCHITECTURE.md, "Tests").
 */
public final class Seeds implements BeforeEachCallback, TestExecutionExceptionHandler {

    /** The system property that replays a seed. */
    public static final String PROPERTY = "imapbackup.seed";

    private static final SecureRandom FRESH = new SecureRandom();

    private final List<Long> used = new ArrayList<>();
    private Long picked;

    /**
     * This test's seed: {@code -Dimapbackup.seed} when given, otherwise a new random one, the same
     * for every call within one test (so that the replay seed replays all of it).
     *
     * @return the seed
     */
    public synchronized long pick() {
        if (picked == null) {
            picked = replay().orElseGet(FRESH::nextLong);
            used.add(picked);
        }
        return picked;
    }

    /**
     * A generator seeded with {@link #pick()}.
     *
     * @return a new generator
     */
    public Random random() {
        return new Random(pick());
    }

    /**
     * Remembers a seed that came from elsewhere (a parameter), so that a failure names it.
     *
     * @param seed the seed
     * @return {@code seed}
     */
    public synchronized long use(long seed) {
        if (!used.contains(seed)) {
            used.add(seed);
        }
        return seed;
    }

    /**
     * The replay seed.
     *
     * @return the value of {@code -Dimapbackup.seed}, or empty when it is not set
     * @throws IllegalArgumentException when it is not a number
     */
    public static OptionalLong replay() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a whole number, not \"" + value + "\"", e);
        }
    }

    /**
     * For {@code @MethodSource}: the seeds {@code 1..fixed} and one new random seed, or only the
     * replay seed when {@code -Dimapbackup.seed} is set.
     *
     * @param fixed how many fixed seeds
     * @return the seeds
     */
    public static Stream<Long> fixedAndFresh(int fixed) {
        OptionalLong replay = replay();
        if (replay.isPresent()) {
            return Stream.of(replay.getAsLong());
        }
        return Stream.concat(LongStream.rangeClosed(1, fixed).boxed(), Stream.of(FRESH.nextLong()));
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        used.clear();
        picked = null;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        String seeds = describe();
        if (seeds.isEmpty() || failure instanceof TestAbortedException) {
            throw failure;
        }
        throw new AssertionError(seeds + ": " + failure, failure);
    }

    private synchronized String describe() {
        if (used.isEmpty()) {
            return "";
        }
        String list = used.stream().map(String::valueOf).collect(Collectors.joining(", "));
        String replay = used.size() == 1 ? "-D" + PROPERTY + "=" + used.get(0) : "-D" + PROPERTY + "=<one of them>";
        return (used.size() == 1 ? "seed " : "seeds ") + list + " (replay with " + replay + ")";
    }
}
