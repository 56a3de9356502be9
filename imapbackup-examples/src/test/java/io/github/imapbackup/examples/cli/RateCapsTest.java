package io.github.imapbackup.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateCapsTest {

    @Test
    void byteCapsTakeBinarySuffixes() {
        assertThat(RateCaps.of("2048", null).bytesPerSecond()).isEqualTo(2048);
        assertThat(RateCaps.of("512k", null).bytesPerSecond()).isEqualTo(512L * 1024);
        assertThat(RateCaps.of("3M", null).bytesPerSecond()).isEqualTo(3L << 20);
        assertThat(RateCaps.of("2g", null).bytesPerSecond()).isEqualTo(2L << 30);
        assertThat(RateCaps.of(null, null)).isEqualTo(RateCaps.NONE);
        assertThat(RateCaps.of("0", 0.0)).isEqualTo(RateCaps.NONE);
    }

    @Test
    void messageCapsAreDecimals() {
        assertThat(RateCaps.of(null, 0.5).messagesPerSecond()).isEqualTo(0.5);
    }

    @Test
    void malformedValuesNameTheOption() {
        for (String bad : new String[] {"", "k", "1.5M", "-1", "12x", "1T", "9999999999999"}) {
            assertThatThrownBy(() -> RateCaps.of(bad, null)).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageContaining("--max-bytes-per-second");
        }
        assertThatThrownBy(() -> RateCaps.of("1000", null)).hasMessageContaining("at least 1024");
        assertThatThrownBy(() -> RateCaps.of(null, -1.0)).hasMessageContaining("--max-messages-per-second");
        assertThatThrownBy(() -> RateCaps.of(null, Double.NaN)).hasMessageContaining("--max-messages-per-second");
    }
}
