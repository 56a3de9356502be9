package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Spool}: a message shorter than {@link Spool#MEMORY} bytes is held in memory, a longer one in the
 * spool file; either reads back exactly, one message after another, and closing deletes the file.
 */
@Timeout(60)
class MessageSpoolTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    Path dir;

    @Test
    void eachMessageReadsBackExactlyFromMemoryOrFromTheFile() throws IOException {
        Random rnd = seeds.random();
        Path file = dir.resolve("INBOX.mbox.spool");
        int[] sizes = {0, 1, 65_535, 65_536, 65_537, Spool.MEMORY - 1, Spool.MEMORY, Spool.MEMORY + 1,
            3 * Spool.MEMORY + rnd.nextInt(1000), 10, Spool.MEMORY + 7, 2};
        try (Spool spool = new Spool(file)) {
            for (int size : sizes) {
                byte[] message = new byte[size];
                rnd.nextBytes(message);
                spool.fill(new TrickleStream(message, rnd));
                assertThat(spool.inFile()).as(size + " bytes in the file").isEqualTo(size >= Spool.MEMORY);
                try (InputStream in = spool.content()) {
                    assertThat(in.markSupported()).isTrue();
                    assertThat(in.readAllBytes()).as(size + " bytes").isEqualTo(message);
                }
            }
            assertThat(file).exists();
        }
        assertThat(file).doesNotExist();
    }

    @Test
    void aSourceFailingPastTheMemoryIsThrownAsItIs() throws IOException {
        IOException cut = new IOException("connection reset");
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[Spool.MEMORY + 10]),
                new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw cut;
                    }
                });
        try (Spool spool = new Spool(dir.resolve("x.spool"))) {
            assertThatThrownBy(() -> spool.fill(failing)).isSameAs(cut);
            spool.fill(new ByteArrayInputStream(new byte[] {1, 2, 3}));
            assertThat(spool.content().readAllBytes()).containsExactly(1, 2, 3);
        }
        assertThat(Files.list(dir)).isEmpty();
    }

    /** Gives a message in reads of random sizes, as a socket does. */
    private static final class TrickleStream extends InputStream {
        private final byte[] b;
        private final Random rnd;
        private int pos;

        TrickleStream(byte[] b, Random rnd) {
            this.b = b;
            this.rnd = rnd;
        }

        @Override
        public int read() {
            return pos < b.length ? b[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int off, int len) {
            if (pos == b.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, b.length - pos), 1 + rnd.nextInt(100_000));
            System.arraycopy(b, pos, into, off, n);
            pos += n;
            return n;
        }
    }
}
