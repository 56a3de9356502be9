package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The UIDs of an untagged VANISHED, handed on one at a time. */
class VanishedSafeFolderTest {

    private static List<Long> uids(String set, boolean all) {
        List<Long> seen = new ArrayList<>();
        assertThat(VanishedSafeFolder.eachUid(set, seen::add)).as(set).isEqualTo(all);
        return seen;
    }

    @Test
    void everyUidOfTheSetOnceInOrderARangeWrittenHighToLowToo() {
        assertThat(uids("1:3,5", true)).containsExactly(1L, 2L, 3L, 5L);
        assertThat(uids("7", true)).containsExactly(7L);
        assertThat(uids("9:7,2", true)).containsExactly(7L, 8L, 9L, 2L);
        assertThat(uids(null, true)).isEmpty();
        assertThat(uids("0:2", true)).as("no UID 0").containsExactly(1L, 2L);
    }

    @Test
    void aSetOfMoreThanTheLimitIsNotHandedOnAtAll() {
        long max = VanishedSafeFolder.MAX_HANDED_ON;
        assertThat(uids("1:" + max, true)).hasSize((int) max);
        assertThat(uids("1:" + max + "," + (max + 5), false)).isEmpty();
        assertThat(uids("1:4294967295", false)).isEmpty();
        assertThat(uids("1:9223372036854775807,1:9223372036854775807", false)).as("no overflow").isEmpty();
    }
}
