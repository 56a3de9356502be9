package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageInfo;
import io.github.imapbackup.spi.SourceWaits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ChunkQueue#writerRun}: while no helper runs, the writer takes the open chunks after its
 * own, up to a number of bytes, to fetch them with one call (pipelined by the source); it never
 * takes a chunk a helper holds, takes only its own while a helper runs, and helpers then take
 * chunks after the run.
 */
@Timeout(10) // a helper's claim() waits while the window is full: a wrong window hangs
class ChunkQueueTest {

    private static final long MIB = 1L << 20;

    /** Ten chunks of two 1 MiB messages each (a chunk holds at most 2 MiB); with {@code withBig}, UID 13 is 5 MiB. */
    private static List<MessageInfo> messages(boolean withBig) {
        List<MessageInfo> out = new ArrayList<>();
        for (int uid = 1; uid <= 20; uid++) {
            out.add(info(uid, withBig && uid == 13 ? 5 * MIB : MIB));
        }
        return out;
    }

    private static MessageInfo info(long uid, long size) {
        return new MessageInfo(uid, size, Instant.parse("2024-01-01T00:00:00Z"), java.util.Set.of(),
                MessageIdentity.ofMessageId("<m" + uid + "@x>"), 0, null);
    }

    private static List<Long> uids(List<MessageInfo> ms) {
        return ms.stream().map(MessageInfo::uid).toList();
    }

    @Test
    void withoutHelpersTheWriterTakesConsecutiveOpenChunksUpToTheBytes() {
        ChunkQueue q = new ChunkQueue(messages(false), MIB);
        assertThat(q.size()).isEqualTo(10);
        assertThat(q.ready(0)).isNotNull();
        // 2 MiB per chunk: three chunks are 6 MiB, a fourth would pass 7 MiB
        assertThat(q.writerRun(0, 7 * MIB)).isEqualTo(2);
        assertThat(uids(q.messages(0, 2))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        // the chunks of the run are the writer's: ready at once, and no helper takes them
        assertThat(q.ready(1)).isNotNull();
        assertThat(q.ready(2)).isNotNull();
        assertThat(q.ready(3)).isNotNull();
        assertThat(q.writerRun(3, 64 * MIB)).isEqualTo(9);
        assertThat(uids(q.messages(3, 9))).hasSize(14).startsWith(7L).endsWith(20L);
        q.helperStarted();
        assertThat(q.claimAhead()).isNull();
        assertThat(q.openAhead()).isZero();
    }

    @Test
    void aRunTakesABigMessageOnlyWithinTheBytes() {
        ChunkQueue q = new ChunkQueue(messages(true), MIB);
        // chunks: 0-5 of two messages (UIDs 1-12), 6 the 5 MiB UID 13 alone, 7-10 the rest
        q.ready(0);
        int last = q.writerRun(0, 12 * MIB);
        assertThat(uids(q.messages(0, last))).as("12 MiB: up to UID 12, not the 5 MiB one").endsWith(12L);
        int next = last + 1;
        q.ready(next);
        assertThat(uids(q.messages(next, q.writerRun(next, 64 * MIB)))).startsWith(13L).endsWith(20L);
    }

    @Test
    void theRunStopsAtAChunkAHelperHolds() throws Exception {
        ChunkQueue q = new ChunkQueue(messages(false), MIB);
        q.ready(0);
        q.helperStarted();
        ChunkQueue.Chunk held = q.claim();
        assertThat(held.index).isEqualTo(1);
        q.helperGone(SourceWaits.NONE); // its chunk stays the helper's until it hands it over
        assertThat(q.writerRun(0, 64 * MIB)).as("chunk 1 is the helper's").isZero();
        q.fetched(held, Map.of(3L, new byte[1], 4L, new byte[1]));
        assertThat(q.ready(1)).isSameAs(held);
        assertThat(q.fetchedBytes(held)).containsOnlyKeys(3L, 4L);
        assertThat(q.ready(2)).isNotNull();
        assertThat(q.writerRun(2, 64 * MIB)).isEqualTo(9);
    }

    @Test
    void whileAHelperRunsTheWriterTakesOnlyItsOwnChunk() throws Exception {
        ChunkQueue q = new ChunkQueue(messages(false), MIB);
        q.helperStarted();
        q.ready(0);
        assertThat(q.writerRun(0, 64 * MIB)).isZero();
        assertThat(q.claim().index).isEqualTo(1);
    }

    @Test
    void helpersThatStartDuringARunTakeChunksAfterIt() throws Exception {
        ChunkQueue q = new ChunkQueue(messages(false), MIB);
        q.ready(0);
        assertThat(q.writerRun(0, 6 * MIB)).isEqualTo(2);
        q.helperStarted();
        assertThat(q.claim().index).isEqualTo(3);
        assertThat(q.claim().index).isEqualTo(4);
        // the window counts from the run's end: two chunks per helper past chunk 2
        assertThat(q.claimAhead()).isNull();
        q.ready(1);
        assertThat(q.claimAhead()).as("the writer inside its run moves no window").isNull();
        q.ready(3);
        assertThat(q.claimAhead().index).isEqualTo(5);
    }
}
