package io.github.imapbackup.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectNestedMethod;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** A randomised test names its seed when it fails, and {@code -Dimapbackup.seed} replays it. */
class SeedsTest {

    private String saved;

    @BeforeEach
    void saveProperty() {
        saved = System.getProperty(Seeds.PROPERTY);
        System.clearProperty(Seeds.PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (saved == null) {
            System.clearProperty(Seeds.PROPERTY);
        } else {
            System.setProperty(Seeds.PROPERTY, saved);
        }
    }

    @Test
    void aFailingRandomisedTestNamesItsSeedAndHowToReplayIt() {
        Throwable failure = run("failsAfterPicking").orElseThrow();
        long seed = Example.picked;
        assertThat(failure).hasMessageContaining("seed " + seed)
                .hasMessageContaining("-Dimapbackup.seed=" + seed)
                .hasMessageContaining("the property does not hold");
        assertThat(failure.getCause()).hasMessage("the property does not hold");
    }

    @Test
    void anExceptionOtherThanAnAssertionNamesTheSeedToo() {
        Throwable failure = run("throwsAfterPicking").orElseThrow();
        assertThat(failure).hasMessageContaining("-Dimapbackup.seed=" + Example.picked)
                .hasMessageContaining("IllegalStateException: broken");
    }

    @Test
    void aTestInANestedClassNamesTheSeedOfTheOuterClassesSeeds() {
        Throwable failure = run(selectNestedMethod(List.of(Example.class), Example.Group.class, "failsAfterPicking"))
                .orElseThrow();
        assertThat(failure).hasMessageContaining("-Dimapbackup.seed=" + Example.picked);
    }

    @Test
    void theReplayPropertyGivesTheSameSeedToTheTest() {
        System.setProperty(Seeds.PROPERTY, "-4711");
        Throwable failure = run("failsAfterPicking").orElseThrow();
        assertThat(Example.picked).isEqualTo(-4711);
        assertThat(failure).hasMessageContaining("-Dimapbackup.seed=-4711");
    }

    @Test
    void aSeedGivenAsParameterIsNamedOnFailure() {
        Throwable failure = run("failsWithAGivenSeed").orElseThrow();
        assertThat(failure).hasMessageContaining("seed 99 (replay with -Dimapbackup.seed=99)");
    }

    @Test
    void aTestThatPickedNoSeedAndAnAbortedTestAreLeftAlone() {
        assertThat(run("failsWithoutSeed").orElseThrow()).isInstanceOf(AssertionError.class)
                .hasMessage("no seed here").hasNoCause();
        assertThat(run("abortsAfterPicking")).isEmpty();
    }

    @Test
    void oneTestGetsOneSeedHoweverOftenItAsks() {
        Seeds seeds = new Seeds();
        assertThat(seeds.pick()).isEqualTo(seeds.pick());
        assertThat(seeds.random().nextLong()).isEqualTo(new java.util.Random(seeds.pick()).nextLong());
    }

    @Test
    void fixedAndFreshGivesTheFixedSeedsAndOneMoreOrOnlyTheReplaySeed() {
        List<Long> seeds = Seeds.fixedAndFresh(3).collect(Collectors.toList());
        assertThat(seeds).hasSize(4).startsWith(1L, 2L, 3L);
        System.setProperty(Seeds.PROPERTY, " 12 ");
        assertThat(Seeds.fixedAndFresh(3)).containsExactly(12L);
    }

    @Test
    void aBadReplaySeedIsRefusedWithItsName() {
        System.setProperty(Seeds.PROPERTY, "twelve");
        assertThatThrownBy(() -> new Seeds().pick()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dimapbackup.seed").hasMessageContaining("twelve");
    }

    /** Runs one method of {@link Example}; returns its failure, or empty when it passed or was aborted. */
    private static Optional<Throwable> run(String method) {
        return run(selectMethod(Example.class, method));
    }

    private static Optional<Throwable> run(DiscoverySelector selector) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selector).build();
        List<TestExecutionResult> results = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (id.isTest()) {
                    results.add(result);
                }
            }
        });
        assertThat(results).as("results of %s", selector).hasSize(1);
        TestExecutionResult result = results.get(0);
        return result.getStatus() == TestExecutionResult.Status.FAILED ? result.getThrowable() : Optional.empty();
    }

    /** Run only through {@link #run}: surefire leaves nested classes alone. */
    static class Example {

        static volatile long picked;

        @RegisterExtension
        final Seeds seeds = new Seeds();

        @Test
        void failsAfterPicking() {
            picked = seeds.pick();
            throw new AssertionError("the property does not hold");
        }

        @Test
        void throwsAfterPicking() {
            picked = seeds.random().nextLong() == 0 ? 0 : seeds.pick();
            throw new IllegalStateException("broken");
        }

        @Test
        void failsWithAGivenSeed() {
            seeds.use(99);
            throw new AssertionError("no");
        }

        @Test
        void failsWithoutSeed() {
            throw new AssertionError("no seed here");
        }

        @Test
        void abortsAfterPicking() {
            seeds.pick();
            Assumptions.assumeTrue(false, "not here");
        }

        @Nested
        class Group {

            @Test
            void failsAfterPicking() {
                picked = seeds.pick();
                throw new AssertionError("nested");
            }
        }
    }
}
