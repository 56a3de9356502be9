package io.github.imapbackup.imap.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void withoutOptionsEveryLinkAndTheDefaultPhasesRun() {
        BenchOptions o = BenchOptions.parse(new String[0]);
        assertThat(o.links()).containsExactly(BenchOptions.Link.LOOPBACK, new BenchOptions.Link(1000, 1),
                new BenchOptions.Link(100, 20));
        assertThat(o.phases()).containsExactlyInAnyOrderElementsOf(BenchOptions.DEFAULT_PHASES);
        assertThat(o.messages()).isEqualTo(20_000);
        assertThat(o.growth()).containsExactly(1, 5, 25);
        assertThat(o.growthBase()).isEqualTo(2000);
        assertThat(o.connections()).isNull();
        assertThat(o.jar().toString()).endsWith("imapbackup-examples/target/imapbackup.jar");
    }

    @Test
    void oneRoundUnlessAskedAndNeverFewer() {
        assertThat(BenchOptions.parse(new String[0]).rounds()).isEqualTo(1);
        assertThat(BenchOptions.parse(new String[] {"--rounds", "5"}).rounds()).isEqualTo(5);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rounds", "0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rounds");
    }

    @Test
    void theOlderLinkAndRttOptionsGiveOneLink() {
        BenchOptions o = BenchOptions.parse(new String[] {"--link", "1000", "--rtt", "1", "--connections", "2"});
        assertThat(o.links()).containsExactly(new BenchOptions.Link(1000, 1));
        assertThat(o.links().get(0)).hasToString("1000 Mbit/s, RTT 1 ms");
        assertThat(o.connections()).isEqualTo(2);
    }

    @Test
    void quickIsSmallAndExplicitOptionsWin() {
        BenchOptions o = BenchOptions.parse(new String[] {"--quick", "--messages", "50", "--links", "loopback,100/20"});
        assertThat(o.messages()).isEqualTo(50);
        assertThat(o.folders()).isEqualTo(6);
        assertThat(o.links()).containsExactly(BenchOptions.Link.LOOPBACK, new BenchOptions.Link(100, 20));
        assertThat(o.codecs()).isEqualTo(List.of("none", "zstd"));
    }

    @Test
    void theIncrementalPhasesBringTheColdBackupTheyContinue() {
        BenchOptions o = BenchOptions.parse(new String[] {"--phases", "raw,nothing-new"});
        assertThat(o.phases()).containsExactlyInAnyOrder("raw", "nothing-new", "cold");
        assertThat(o.runs("mbsync")).isFalse();
    }

    @Test
    void anUnknownPhaseOrLinkIsRefused() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--phases", "raw,fast"}))
                .hasMessageContaining("unknown phase 'fast'");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--links", "fast"}))
                .hasMessageContaining("MBIT/RTT_MS");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--messages"})).hasMessageContaining("usage");
    }
}
