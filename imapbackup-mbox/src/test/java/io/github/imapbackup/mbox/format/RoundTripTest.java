package io.github.imapbackup.mbox.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.FromLine;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.mbox.internal.TestStreams;
import io.github.imapbackup.mbox.internal.UnescapingInputStream;
import io.github.imapbackup.spi.CompressionCodec;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class RoundTripTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @TempDir
    Path dir;

    static Stream<Arguments> dialectsAndCodecs() {
        List<Arguments> a = new ArrayList<>();
        for (Dialect d : List.of(Dialect.MBOXRD, Dialect.MBOXO, Dialect.MBOXCL2)) {
            for (CompressionCodec c : Codecs.all()) {
                a.add(Arguments.of(d, c.name()));
            }
        }
        return a.stream();
    }

    record Sample(List<byte[]> messages, List<MboxWriter.Written> written, List<String> senders,
            List<Instant> dates) { }

    /** Writes messages in 1 to 3 appends (each a new member/stream/frame). */
    static Sample write(Path file, Dialect d, CompressionCodec codec, MessageGenerator gen, int count)
            throws IOException {
        Sample s = new Sample(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        int appends = 1 + gen.random().nextInt(3);
        long position = 0;
        int done = 0;
        for (int a = 0; a < appends; a++) {
            int n = a == appends - 1 ? count - done : gen.random().nextInt(count - done + 1);
            OutputStream raw = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            try (MboxWriter w = new MboxWriter(codec.compress(raw), position, d)) {
                for (int i = 0; i < n; i++) {
                    byte[] m = gen.message();
                    String sender = gen.sender();
                    Instant date = Instant.ofEpochSecond(gen.random().nextInt(2_000_000_000));
                    s.messages().add(m);
                    s.senders().add(FromLine.sanitize(sender));
                    s.dates().add(date);
                    s.written().add(w.write(sender, date, new ByteArrayInputStream(m), m.length));
                }
                position = w.position();
            }
            done += n;
        }
        return s;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dialectsAndCodecs")
    void writeThenReadGivesTheMessagesBack(Dialect d, String codecName) throws IOException {
        CompressionCodec codec = Codecs.byName(codecName);
        long seed = seeds.pick();
        MessageGenerator gen = new MessageGenerator(seed);
        Path file = dir.resolve("m.mbox" + codec.suffix());
        Sample s = write(file, d, codec, gen, 60);
        try (MboxReader r = MboxReader.open(file, d)) {
            int i = 0;
            for (MboxEntry e = r.next(); e != null; e = r.next(), i++) {
                assertThat(i).as("seed %d: more messages than written", seed).isLessThan(s.messages().size());
                byte[] got = e.content().readAllBytes();
                byte[] want = Expected.afterRoundTrip(s.messages().get(i), d, s.written().get(i).newlineAdded());
                assertThat(Expected.show(got)).as("seed %d message %d", seed, i).isEqualTo(Expected.show(want));
                assertThat(e.offset()).as("seed %d offset %d", seed, i).isEqualTo(s.written().get(i).offset());
                assertThat(e.sender()).as("seed %d sender %d", seed, i).isEqualTo(s.senders().get(i));
                assertThat(e.date()).as("seed %d date %d", seed, i).contains(s.dates().get(i));
            }
            assertThat(i).as("seed %d: message count", seed).isEqualTo(s.messages().size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "gzip", "bzip2", "xz", "zstd"})
    void mboxrdRoundTripIsExactBySha256(String codecName) throws IOException {
        CompressionCodec codec = Codecs.byName(codecName);
        long seed = seeds.pick();
        Path file = dir.resolve("m.mbox" + codec.suffix());
        Sample s = write(file, Dialect.MBOXRD, codec, new MessageGenerator(seed), 80);
        try (MboxReader r = MboxReader.open(file, Dialect.MBOXRD)) {
            List<byte[]> got = Expected.readAll(r, 8192);
            assertThat(got).as("seed %d", seed).hasSize(s.messages().size());
            for (int i = 0; i < got.size(); i++) {
                byte[] g = got.get(i);
                MboxWriter.Written w = s.written().get(i);
                if (w.newlineAdded()) {
                    g = java.util.Arrays.copyOf(g, g.length - 1);
                }
                assertThat(Expected.sha256(g)).as("seed %d message %d", seed, i).isEqualTo(w.sha256());
                assertThat((long) g.length).as("seed %d message %d", seed, i).isEqualTo(w.length());
            }
        }
        // The same through content(newlineAdded), with odd read sizes.
        try (MboxReader r = MboxReader.open(file, Dialect.MBOXRD)) {
            int i = 0;
            for (MboxEntry e = r.next(); e != null; e = r.next(), i++) {
                MboxWriter.Written w = s.written().get(i);
                InputStream in = e.content(w.newlineAdded());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int size = 1 + i % 4;
                byte[] b = new byte[size];
                int n;
                while ((n = size == 4 ? in.read() : in.read(b, 0, size)) >= 0) {
                    if (size == 4) {
                        out.write(n);
                    } else {
                        out.write(b, 0, n);
                    }
                }
                assertThat(Expected.sha256(out.toByteArray())).as("seed %d message %d", seed, i).isEqualTo(w.sha256());
            }
        }
    }

    @ParameterizedTest(name = "read chunk {0}")
    @ValueSource(ints = {1, 2, 3, 7, 64, 4096, 65536})
    void everyBufferSizeGivesTheSameMessages(int chunk) throws IOException {
        long seed = seeds.pick();
        for (Dialect d : List.of(Dialect.MBOXRD, Dialect.MBOXO, Dialect.MBOXCL2)) {
            Path file = dir.resolve("sweep-" + d + ".mbox");
            Sample s = write(file, d, Codecs.NONE, new MessageGenerator(seed), 40);
            byte[] bytes = Files.readAllBytes(file);
            List<byte[]> reference;
            try (MboxReader r = new MboxReader(new ByteArrayInputStream(bytes), file, d)) {
                reference = Expected.readAll(r, 65536);
            }
            assertThat(reference).as("seed %d %s", seed, d).hasSize(s.messages().size());
            for (int bufferSize : new int[] {1, 100, 9000, 1 << 20}) {
                InputStream in = TestStreams.chunked(bytes, chunk);
                try (MboxReader r = new MboxReader(in, file, d, false, bufferSize)) {
                    List<byte[]> got = Expected.readAll(r, chunk);
                    assertThat(got).as("seed %d %s buffer %d", seed, d, bufferSize).hasSize(reference.size());
                    for (int i = 0; i < got.size(); i++) {
                        assertThat(Expected.show(got.get(i))).as("seed %d %s buffer %d message %d", seed, d,
                                bufferSize, i).isEqualTo(Expected.show(reference.get(i)));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "unescape chunk {0}")
    @ValueSource(ints = {1, 2, 3, 7, 4096})
    void unescapingStreamAtIndexedOffsetsGivesExactBytes(int chunk) throws IOException {
        long seed = seeds.pick();
        Path file = dir.resolve("u.mbox");
        Sample s = write(file, Dialect.MBOXRD, Codecs.NONE, new MessageGenerator(seed), 40);
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < s.messages().size(); i++) {
            MboxWriter.Written w = s.written().get(i);
            int start = (int) w.offset();
            while (bytes[start] != '\n') {
                start++;
            }
            InputStream in = new UnescapingInputStream(TestStreams.chunked(
                    new ByteArrayInputStream(bytes, start + 1, bytes.length - start - 1), chunk), 16);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] b = new byte[chunk];
            while (out.size() < w.length()) {
                int n = in.read(b, 0, (int) Math.min(b.length, w.length() - out.size()));
                assertThat(n).as("seed %d message %d ended early", seed, i).isPositive();
                out.write(b, 0, n);
            }
            assertThat(Expected.sha256(out.toByteArray())).as("seed %d message %d", seed, i).isEqualTo(w.sha256());
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void smallFilesForManySeedsRoundTripWithOddBufferSizes() throws Exception {
        for (Dialect d : List.of(Dialect.MBOXRD, Dialect.MBOXO, Dialect.MBOXCL2)) {
            for (long seed = 0; seed < 400; seed++) {
                MessageGenerator gen = new MessageGenerator(seed);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                List<byte[]> msgs = new ArrayList<>();
                List<MboxWriter.Written> ws = new ArrayList<>();
                try (MboxWriter w = new MboxWriter(out, 0, d)) {
                    for (int i = 0; i < 6; i++) {
                        byte[] m = gen.message();
                        msgs.add(m);
                        ws.add(w.write(gen.sender(), Instant.EPOCH, new ByteArrayInputStream(m), m.length));
                    }
                }
                List<byte[]> got;
                try (MboxReader r = new MboxReader(TestStreams.chunked(out.toByteArray(), 1 + (int) (seed % 50)), Path.of("x"), d, false, 1 + (int) (seed % 300))) {
                    got = Expected.readAll(r, 1 + (int) (seed % 7));
                }
                assertThat(got).as("%s seed %d", d, seed).hasSize(msgs.size());
                for (int i = 0; i < got.size(); i++) {
                    assertThat(Expected.show(got.get(i))).as("%s seed %d msg %d", d, seed, i)
                            .isEqualTo(Expected.show(Expected.afterRoundTrip(msgs.get(i), d, ws.get(i).newlineAdded())));
                }
            }
        }
    }
}
