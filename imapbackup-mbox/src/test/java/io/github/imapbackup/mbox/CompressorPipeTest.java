package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compressor's own thread ({@link CompressorPipe}): the compressed bytes are those of writing
 * straight into the compressor, a compressor failure reaches the writer once and unchanged, memory is
 * bounded, and no thread outlives a close or an abort.
 */
@Timeout(60)
class CompressorPipeTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "bzip2", "xz", "zstd"})
    void compressesExactlyWhatWritingStraightIntoTheCompressorGives(String name) throws IOException {
        CompressionCodec codec = Codecs.byName(name);
        Random rnd = seeds.random();
        for (int round = 0; round < 3; round++) {
            byte[] data = text(rnd, rnd.nextInt(CompressorPipe.BUFFER_SIZE * 5 / 2));
            ByteArrayOutputStream direct = new ByteArrayOutputStream();
            ByteArrayOutputStream piped = new ByteArrayOutputStream();
            long chunking = rnd.nextLong();
            try (OutputStream out = codec.compress(direct)) {
                writeInChunks(out, data, new Random(chunking));
            }
            try (OutputStream out = new CompressorPipe(codec.compress(piped), "test-equal")) {
                writeInChunks(out, data, new Random(chunking + 1));
            }
            assertThat(piped.toByteArray()).as(name + ", round " + round + ", " + data.length + " bytes")
                    .isEqualTo(direct.toByteArray());
        }
        assertNoPipeThread("test-equal");
    }

    @Test
    void aFlushReachesTheCompressorAfterTheBytesBeforeIt() throws IOException {
        CompressionCodec zstd = Codecs.byName("zstd");
        Random rnd = seeds.random();
        byte[] first = text(rnd, 300_000);
        byte[] second = text(rnd, 5_000);
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        try (OutputStream out = zstd.compress(direct)) {
            out.write(first);
            out.flush();
            out.write(second);
        }
        ByteArrayOutputStream piped = new ByteArrayOutputStream();
        try (OutputStream out = new CompressorPipe(zstd.compress(piped), "test-flush")) {
            out.write(first);
            out.flush();
            out.write(second);
        }
        assertThat(piped.toByteArray()).isEqualTo(direct.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "bzip2", "xz", "zstd"})
    void aFailingDiskReachesTheWriterOnceWithTheCompressorsOwnException(String name) throws IOException {
        CompressionCodec codec = Codecs.byName(name);
        byte[] data = text(seeds.random(), 2 << 20);
        IOException full = new IOException("No space left on device");
        FailingSink sink = new FailingSink(20_000, full);
        CompressorPipe pipe = new CompressorPipe(codec.compress(sink), "test-full-" + name);
        IOException thrown = null;
        try {
            for (int off = 0; off < data.length; off += 10_000) {
                pipe.write(data, off, Math.min(10_000, data.length - off));
            }
            pipe.close();
        } catch (IOException e) {
            thrown = e;
        }
        assertThat(thrown).as(name + ": the failure reaches the writer").isNotNull();
        assertThat(rootOf(thrown)).as(name).isSameAs(full);
        assertThat(thrown.getMessage()).as(name).contains("No space left on device");
        pipe.close(); // said once: closing does not throw it again
        assertThatThrownBy(() -> pipe.write(1)).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertNoPipeThread("test-full-" + name);
    }

    @Test
    void aFailureOfTheLastBytesIsThrownByClose() {
        IOException full = new IOException("No space left on device");
        CompressorPipe pipe = new CompressorPipe(new FailingSink(0, full), "test-close-fails");
        assertThatThrownBy(() -> {
            pipe.write(new byte[100]);
            pipe.close();
        }).isSameAs(full);
        assertNoPipeThread("test-close-fails");
    }

    @Test
    void abortingWritesNothingMoreAndEndsTheThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockingSink sink = new BlockingSink(release);
        CompressorPipe pipe = new CompressorPipe(sink, "test-abort");
        pipe.write(new byte[3 * CompressorPipe.BUFFER_SIZE]); // the first is being written, two wait
        pipe.write(1);
        Thread aborter = new Thread(pipe::abort);
        aborter.start();
        while (aborter.getState() != Thread.State.WAITING && aborter.isAlive()) {
            Thread.sleep(5); // until abort() waits for the thread
        }
        release.countDown();
        aborter.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(aborter.isAlive()).isFalse();
        assertThat(sink.written.get()).as("only what was being written when aborted")
                .isEqualTo(CompressorPipe.BUFFER_SIZE);
        assertThat(sink.closed).as("an aborted member is not finished").isFalse();
        assertNoPipeThread("test-abort");
    }

    @Test
    void aWriterAheadOfTheCompressorWaitsAndHoldsAtMostTheBuffers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockingSink sink = new BlockingSink(release);
        CompressorPipe pipe = new CompressorPipe(sink, "test-bounded");
        long total = 64L << 20; // far more than the buffers hold
        Thread writer = new Thread(() -> {
            byte[] chunk = new byte[100_000];
            try {
                for (long n = 0; n < total; n += chunk.length) {
                    pipe.write(chunk, 0, (int) Math.min(chunk.length, total - n));
                }
                pipe.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.start();
        while (writer.getState() != Thread.State.WAITING) {
            Thread.sleep(5);
        }
        assertThat(pipe.allocated()).as("buffers allocated while the compressor is stuck")
                .isEqualTo(CompressorPipe.BUFFERS);
        release.countDown();
        writer.join(TimeUnit.SECONDS.toMillis(50));
        assertThat(writer.isAlive()).isFalse();
        assertThat(sink.written.get()).isEqualTo(total);
        assertThat(sink.closed).isTrue();
        assertThat(pipe.allocated()).isEqualTo(CompressorPipe.BUFFERS);
        assertNoPipeThread("test-bounded");
    }

    private static void assertNoPipeThread(String what) {
        assertThat(Thread.getAllStackTraces().keySet()).as("threads after close/abort")
                .noneMatch(t -> t.getName().equals(CompressorPipe.THREAD_NAME + " " + what));
    }

    private static Throwable rootOf(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Mail-like text, so that every codec has something to compress. */
    static byte[] text(Random rnd, int length) {
        byte[] b = new byte[length];
        String[] words = {"From ", "the ", "message ", "backup ", "\r\n", "IMAP ", "mbox ", ">From ", "zstd "};
        int i = 0;
        while (i < length) {
            if (rnd.nextInt(50) == 0) {
                b[i++] = (byte) rnd.nextInt(256);
                continue;
            }
            byte[] w = words[rnd.nextInt(words.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int n = Math.min(w.length, length - i);
            System.arraycopy(w, 0, b, i, n);
            i += n;
        }
        return b;
    }

    private static void writeInChunks(OutputStream out, byte[] data, Random rnd) throws IOException {
        int off = 0;
        while (off < data.length) {
            int n = Math.min(data.length - off, rnd.nextInt(4) == 0 ? 1 : 1 + rnd.nextInt(300_000));
            if (n == 1) {
                out.write(data[off]);
            } else {
                out.write(data, off, n);
            }
            off += n;
        }
    }

    /** A disk that fills up after {@code room} bytes. */
    private static final class FailingSink extends OutputStream {
        private final IOException full;
        private long room;

        FailingSink(long room, IOException full) {
            this.room = room;
            this.full = full;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > room) {
                throw full;
            }
            room -= len;
        }
    }

    /** A sink whose first write waits for a release. */
    private static final class BlockingSink extends OutputStream {
        private final CountDownLatch release;
        final AtomicLong written = new AtomicLong();
        volatile boolean closed;

        BlockingSink(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            written.addAndGet(len);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
