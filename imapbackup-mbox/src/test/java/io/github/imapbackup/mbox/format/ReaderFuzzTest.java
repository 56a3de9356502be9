package io.github.imapbackup.mbox.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.TestStreams;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Random mutations of valid mbox files: only MalformedMboxException, no hang, no byte lost. */
@Timeout(60)
class ReaderFuzzTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static final String[] INSERTS = {"\nFrom a@b Sat Nov 21 23:39:50 2026\n", "\n\n", "\r\n", ">",
        "Content-Length: 5\n", "Content-Length: 99999\n", "From ", "\n>>From x\n", "\0", "\r"};

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"MBOXRD", "MBOXO", "MBOXCL2"})
    void mutatedFilesGiveMessagesOrMalformedMboxException(Dialect written) throws IOException {
        long seed = seeds.pick();
        Random rnd = new Random(seed);
        for (int round = 0; round < 150; round++) {
            Path file = dir.resolve("f" + round + ".mbox");
            RoundTripTest.Sample sample = RoundTripTest.write(file, written, Codecs.NONE,
                    new MessageGenerator(rnd.nextLong()), 1 + rnd.nextInt(8));
            byte[] valid = Files.readAllBytes(file);
            String what = "seed " + seed + " round " + round;
            // The unmutated file: every message is there.
            assertThat(count(valid, written, what)).as(what).isEqualTo(sample.messages().size());
            byte[] bad = mutate(valid, rnd);
            for (Dialect d : Dialect.values()) {
                check(bad, d, what + " read as " + d);
            }
            Files.write(file, bad);
            try (MboxReader r = MboxReader.open(file)) {
                Expected.readAll(r, 1 + rnd.nextInt(5000));
            } catch (MalformedMboxException expected) {
                assertThat(expected.offset()).as(what).isPresent();
            }
        }
    }

    private static int count(byte[] data, Dialect d, String what) throws IOException {
        try (MboxReader r = new MboxReader(new ByteArrayInputStream(data), Path.of("x"), d)) {
            return Expected.readAll(r, 4096).size();
        }
    }

    /** Reads everything; checks offsets and that no byte went missing (beyond separator lines, the
     * empty line before each, and one '>' per unquoted line). */
    static void check(byte[] data, Dialect d, String what) throws IOException {
        long accounted = 0;
        long entries = 0;
        long lastOffset = -1;
        long unquotable = countQuoted(data);
        try (MboxReader r = new MboxReader(TestStreams.chunked(data, 977), Path.of("x"), d, false, 4096 * 3)) {
            for (MboxEntry e = r.next(); e != null; e = r.next()) {
                assertThat(e.offset()).as(what).isGreaterThan(lastOffset);
                lastOffset = e.offset();
                assertThat(new String(data, (int) e.offset(), 5, StandardCharsets.ISO_8859_1)).as(what)
                        .isEqualTo("From ");
                InputStream in = e.content();
                long n = 0;
                byte[] b = new byte[1 + (int) (e.offset() % 300)];
                int k;
                while ((k = in.read(b)) >= 0) {
                    n += k;
                }
                accounted += e.separatorLength() + n;
                entries++;
            }
        } catch (MalformedMboxException expected) {
            assertThat(expected.offset()).as(what).isPresent();
            return;
        }
        long missing = data.length - accounted;
        long allowedForQuoting = d == Dialect.MBOXRD ? unquotable : d.usesContentLength() ? lengthLines(data) : 0;
        assertThat(missing).as(what + ": bytes not accounted for").isBetween(0L, 2 * entries + allowedForQuoting);
        if (data.length > 0) {
            assertThat(entries).as(what).isPositive();
        }
    }

    /** Bytes in lines that start with "Content-Length:" (a reader in a Content-Length dialect drops the writer's). */
    private static long lengthLines(byte[] data) {
        long n = 0;
        for (int i = 0; i < data.length; i++) {
            if ((i == 0 || data[i - 1] == '\n') && data.length - i >= 15
                    && new String(data, i, 15, StandardCharsets.ISO_8859_1).equalsIgnoreCase("content-length:")) {
                int j = i;
                while (j < data.length && data[j] != '\n') {
                    j++;
                }
                n += j - i + 1;
            }
        }
        return n;
    }

    private static long countQuoted(byte[] data) {
        long n = 0;
        for (int i = 0; i < data.length; i++) {
            if ((i == 0 || data[i - 1] == '\n') && data[i] == '>') {
                n++;
            }
        }
        return n;
    }

    private static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in;
        int mutations = 1 + rnd.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = b.length == 0 ? 0 : rnd.nextInt(b.length);
            switch (rnd.nextInt(5)) {
                case 0 -> {
                    if (b.length > 0) {
                        b = b.clone();
                        b[at] = (byte) rnd.nextInt(256);
                    }
                }
                case 1 -> b = splice(b, at, Math.min(b.length - at, rnd.nextInt(20)), new byte[0]);
                case 2 -> b = splice(b, at, 0, INSERTS[rnd.nextInt(INSERTS.length)].getBytes(StandardCharsets.ISO_8859_1));
                case 3 -> b = java.util.Arrays.copyOf(b, at);
                default -> {
                    int from = b.length == 0 ? 0 : rnd.nextInt(b.length);
                    int len = Math.min(b.length - from, rnd.nextInt(200));
                    b = splice(b, at, 0, java.util.Arrays.copyOfRange(b, from, from + len));
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }
}
