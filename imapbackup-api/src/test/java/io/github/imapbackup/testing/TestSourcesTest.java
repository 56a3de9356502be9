package io.github.imapbackup.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rules for the tests of every module, read from their sources: randomised tests take their seeds
 * from {@link Seeds} (so they print them on failure and replay them), and no test asserts on
 * wall-clock time (a hung test is stopped by {@code @Timeout} instead).
 */
class TestSourcesTest {

    private static final Pattern CLOCK = Pattern.compile("System\\s*\\.\\s*(nanoTime|currentTimeMillis)\\s*\\(\\s*\\)");
    private static final Pattern UNSEEDED = Pattern.compile(
            "Math\\.random\\(|ThreadLocalRandom|new\\s+(Random|SplittableRandom)\\s*\\(\\s*\\)|new\\s+SecureRandom\\s*\\(");
    private static final Pattern SEED_PROPERTY = Pattern.compile("(getLong|getProperty|getInteger)\\(\\s*\"imapbackup\\.seed\"");
    private static final Pattern ASSERTION = Pattern.compile("\\bassert|\\.is(LessThan|GreaterThan|Between|CloseTo)");
    private static final Pattern ASSIGNMENT = Pattern.compile("(\\w+)\\s*(=|\\+=|-=)(?!=)");
    /** Where the rules themselves are written. */
    private static final Set<String> EXEMPT = Set.of(
            Seeds.class.getSimpleName() + ".java", TestSourcesTest.class.getSimpleName() + ".java");

    private static List<Path> sources;

    @BeforeAll
    static void findSources() throws IOException, URISyntaxException {
        // <root>/<module>/target/test-classes
        Path root = Path.of(TestSourcesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent().getParent().getParent();
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().collect(Collectors.toList())) {
                dirs.add(module.resolve("src/test/java"));
                if (module.getFileName().toString().endsWith("-testing")) {
                    dirs.add(module.resolve("src/main/java"));
                }
            }
        }
        sources = new ArrayList<>();
        for (Path dir : dirs) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(sources::add);
                }
            }
        }
        assertThat(sources).as("test sources under %s", root).hasSizeGreaterThan(50);
    }

    @Test
    void randomisedTestsTakeTheirSeedsFromSeeds() {
        List<String> offences = new ArrayList<>();
        for (Path file : sources) {
            if (EXEMPT.contains(file.getFileName().toString())) {
                continue;
            }
            for (String statement : statements(file)) {
                boolean clockSeed = statement.toLowerCase(java.util.Locale.ROOT).contains("seed")
                        && CLOCK.matcher(statement).find();
                if (clockSeed || UNSEEDED.matcher(statement).find() || SEED_PROPERTY.matcher(statement).find()) {
                    offences.add(file.getFileName() + ": " + statement);
                }
            }
        }
        assertThat(offences).as("seed these from Seeds (pick(), random(), use(seed), fixedAndFresh(n))").isEmpty();
    }

    @Test
    void noTestAssertsOnWallClockTime() {
        List<String> offences = new ArrayList<>();
        for (Path file : sources) {
            List<String> statements = statements(file);
            Set<String> clockVariables = clockVariables(statements);
            for (String statement : statements) {
                if (ASSERTION.matcher(statement).find() && readsClock(statement, clockVariables)) {
                    offences.add(file.getFileName() + ": " + statement);
                }
            }
        }
        assertThat(offences).as("assert on what happened (and in which order), not on how long it took;"
                + " stop a hung test with @Timeout").isEmpty();
    }

    /** The variables whose value comes from the clock, directly or through other such variables. */
    private static Set<String> clockVariables(List<String> statements) {
        Set<String> clock = new HashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (String statement : statements) {
                Matcher m = ASSIGNMENT.matcher(statement);
                if (m.find() && readsClock(statement.substring(m.end()), clock)) {
                    grew |= clock.add(m.group(1));
                }
            }
        }
        return clock;
    }

    private static boolean readsClock(String code, Set<String> clockVariables) {
        if (CLOCK.matcher(code).find()) {
            return true;
        }
        for (String v : clockVariables) {
            if (Pattern.compile("(?<![.\\w])" + Pattern.quote(v) + "\\b(?!\\s*\\()").matcher(code).find()) {
                return true;
            }
        }
        return false;
    }

    /** The file's code split at semicolons and braces, comments left out, white space collapsed. */
    private static List<String> statements(Path file) {
        String code;
        try {
            code = Files.readString(file, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        code = code.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("(?m)//.*$", " ");
        List<String> out = new ArrayList<>();
        for (String s : code.split("[;{}]")) {
            String t = s.replaceAll("\\s+", " ").strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
