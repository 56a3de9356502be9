package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.IntegrityException;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.internal.Streams;
import io.github.imapbackup.mbox.internal.TestStreams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The small shared streams: {@link BoundedStream}, {@link ExactInputStream}, {@link Streams}. */
@Timeout(10)
class StreamsTest {

    private static final Path FILE = Path.of("test.mbox");

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    /** A stream whose every read fails. */
    private static InputStream failing(IOException e) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                throw e;
            }
        };
    }

    @Test
    void boundedStreamStopsAtTheLimitAndDrainsTheRest() throws IOException {
        BoundedStream in = new BoundedStream(TestStreams.chunked(bytes(100), 7), 30);
        assertThat(in.read()).isEqualTo('x');
        assertThat(in.readNBytes(10)).hasSize(10);
        assertThat(in.left()).isEqualTo(19);
        assertThat(in.drain()).isEqualTo(19);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void boundedStreamEndsQuietlyWhenTheSourceIsShorter() throws IOException {
        BoundedStream in = new BoundedStream(new ByteArrayInputStream(bytes(5)), 30);
        assertThat(in.readAllBytes()).hasSize(5);
        assertThat(in.read()).isEqualTo(-1);
        assertThat(in.left()).isEqualTo(25);
    }

    @Test
    void exactStreamGivesExactlyItsLength() throws IOException {
        try (ExactInputStream in = new ExactInputStream(new ByteArrayInputStream(bytes(50)), 20, FILE, 7, 3)) {
            assertThat(in.available()).isEqualTo(20);
            assertThat(in.readAllBytes()).hasSize(20);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void exactStreamThatEndsEarlyIsAnIntegrityError(boolean singleBytes) {
        ExactInputStream in = new ExactInputStream(new ByteArrayInputStream(bytes(5)), 20, FILE, 7, 3);
        assertThatThrownBy(() -> {
            if (singleBytes) {
                while (in.read() >= 0) {
                    continue;
                }
            } else {
                in.readAllBytes();
            }
        }).isInstanceOf(IntegrityException.class).hasMessageContaining("15 bytes shorter")
                .satisfies(e -> {
                    IntegrityException x = (IntegrityException) e;
                    assertThat(x.offset()).hasValue(7);
                    assertThat(x.uid()).hasValue(3);
                    assertThat(x.file()).contains(FILE);
                });
    }

    @ParameterizedTest
    @ValueSource(longs = {-5, 0, 1, 8191, 8192, 8193, 20_000, 30_000})
    void skipByReadingSkipsWhatThereIsUpToN(long n) throws IOException {
        InputStream in = TestStreams.chunked(bytes(20_000), 1000);
        long want = Math.max(0, Math.min(n, 20_000));
        assertThat(Streams.skipByReading(in, n)).isEqualTo(want);
        assertThat(in.readAllBytes()).hasSize((int) (20_000 - want));
    }

    @Test
    void readMboxReportsADamagedCompressedStreamAtTheOffset() {
        IOException cause = new IOException("bad block");
        assertThatThrownBy(() -> Streams.readMbox(failing(cause), new byte[8], 0, 8, FILE, true, 1234))
                .isInstanceOf(MalformedMboxException.class).hasCause(cause)
                .hasMessageContaining("damaged or truncated: bad block")
                .satisfies(e -> assertThat(((MalformedMboxException) e).offset()).hasValue(1234));
    }

    @Test
    void readMboxPassesOtherFailuresThrough() {
        IOException plain = new IOException("disk");
        assertThatThrownBy(() -> Streams.readMbox(failing(plain), new byte[8], 0, 8, FILE, false, 0))
                .isSameAs(plain);
        IntegrityException ours = new IntegrityException(FILE, 1, 2, "ours");
        assertThatThrownBy(() -> Streams.readMbox(failing(ours), new byte[8], 0, 8, FILE, true, 0))
                .isSameAs(ours);
    }
}
