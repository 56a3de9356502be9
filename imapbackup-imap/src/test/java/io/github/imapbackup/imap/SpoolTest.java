package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The spools of one batch share one reused array: their bytes stay intact while it grows and
 * while a long message goes to a file, and the next batch allocates nothing new.
 */
class SpoolTest {

    private static final int LIMIT = 64 * 1024;

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static byte[] send(Spool s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.writeTo(out);
        return out.toByteArray();
    }

    private static List<byte[]> batch(Random random) {
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] m = new byte[i % 9 == 4 ? LIMIT + random.nextInt(3 * LIMIT) : random.nextInt(LIMIT)];
            random.nextBytes(m);
            messages.add(m);
        }
        return messages;
    }

    private static void fillAndCheck(Spool.Memory memory, List<byte[]> messages) throws IOException {
        List<Spool> spools = new ArrayList<>();
        for (byte[] m : messages) {
            Spool s = new Spool(LIMIT, memory);
            s.fill(new ByteArrayInputStream(m));
            assertThat(s.length()).isEqualTo(m.length);
            spools.add(s);
        }
        for (int i = 0; i < messages.size(); i++) {
            assertThat(send(spools.get(i))).as("message %d", i).isEqualTo(messages.get(i));
            spools.get(i).close();
        }
    }

    @Test
    void theSpoolsOfABatchKeepTheirBytesAndTheNextBatchReusesTheArray() throws IOException {
        Spool.Memory memory = new Spool.Memory();
        List<byte[]> messages = batch(seeds.random());
        fillAndCheck(memory, messages);
        byte[] grown = memory.bytes;
        memory.clear();
        fillAndCheck(memory, messages);
        assertThat(memory.bytes).as("the second batch of the same messages allocates no array").isSameAs(grown);
    }

    @Test
    void aSpareHandsBackTheMemoryOfAFolderClosed() {
        Spool.Spare spare = new Spool.Spare();
        Spool.Memory m = spare.take();
        spare.give(m);
        assertThat(spare.take()).isSameAs(m);
        assertThat(spare.take()).isNotSameAs(m);
    }
}
