package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardTest {

    @Test
    void everyAccountFallsInExactlyOneShard() {
        for (int count = 1; count <= 7; count++) {
            int[] sizes = new int[count];
            for (int a = 0; a < 700; a++) {
                String name = "user" + a + "@example.org";
                int found = 0;
                for (int k = 0; k < count; k++) {
                    if (new Shard(k, count).contains(name)) {
                        found++;
                        sizes[k]++;
                    }
                }
                assertThat(found).as(name + " in shards of " + count).isEqualTo(1);
            }
            for (int size : sizes) {
                // a fair hash: every shard within half of its fair share
                assertThat(size).isBetween(700 / count / 2, 700 / count * 3 / 2);
            }
        }
    }

    @Test
    void theShardDependsOnTheNameOnly() {
        // pinned (computed apart, with Python's hashlib): a change of hash would silently move
        // accounts between the machines of a fleet
        assertThat(Shard.shardOf("alice@example.org", 1000)).isEqualTo(360);
        assertThat(Shard.shardOf("bob@example.org", 1000)).isEqualTo(661);
        assertThat(Shard.shardOf("carol@example.org", 1000)).isEqualTo(427);
        assertThat(new Shard(3, 4).contains("carol@example.org")).isTrue();
        assertThat(Shard.ALL.contains("anyone")).isTrue();
    }

    @Test
    void parsesKOfN() {
        assertThat(Shard.parse("0/4")).isEqualTo(new Shard(0, 4));
        assertThat(Shard.parse(" 3 / 4 ")).isEqualTo(new Shard(3, 4));
        assertThat(Shard.parse("2/4")).hasToString("2/4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4/4", "-1/4", "0/0", "1", "a/b", "1/", ""})
    void refusesWhatIsNotAShard(String text) {
        assertThatThrownBy(() -> Shard.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shard");
    }
}
