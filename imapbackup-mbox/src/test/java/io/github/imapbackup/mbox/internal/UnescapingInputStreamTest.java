package io.github.imapbackup.mbox.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(20)
class UnescapingInputStreamTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static final Pattern QUOTED = Pattern.compile("(?m)^>(>*From )");

    static String unescape(String s, int bufferSize, int chunk) throws IOException {
        InputStream in = new UnescapingInputStream(TestStreams.chunked(s.getBytes(ISO_8859_1), chunk), bufferSize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[chunk];
        int n;
        while ((n = in.read(b, 0, b.length)) >= 0) {
            out.write(b, 0, n);
        }
        return out.toString(ISO_8859_1);
    }

    @Test
    void removesOneGreaterThanFromQuotedFromLines() throws IOException {
        String in = ">From a\n>>From b\r\n>>>From c\nFrom d\n x>From e\n>From\n>Fr\n>>\n>";
        assertThat(unescape(in, 65536, 4096)).isEqualTo("From a\n>From b\r\n>>From c\nFrom d\n x>From e\n>From\n>Fr\n>>\n>");
    }

    @Test
    void leavesOtherBytesAlone() throws IOException {
        String in = "\0\u00ff\r\n\n\n>\n>>>>>>\n>From";
        assertThat(unescape(in, 8, 1)).isEqualTo(in);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 4096})
    void matchesLineBasedReferenceForEveryChunkSize(int chunk) throws IOException {
        long seed = seeds.pick();
        Random rnd = new Random(seed);
        String[] parts = {">", ">>", "From ", "Fro", "F", "\n", "\r\n", "x", " ", "\0", "From", "\u00e9"};
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                sb.append(parts[rnd.nextInt(parts.length)]);
            }
            String s = sb.toString();
            String expected = QUOTED.matcher(s).replaceAll("$1");
            assertThat(unescape(s, 8 + rnd.nextInt(20), chunk))
                    .as("seed %d round %d input %s", seed, round, s.replace("\n", "\\n")).isEqualTo(expected);
        }
    }

    @Test
    void longRunOfGreaterThanBeforeFrom() throws IOException {
        String run = ">".repeat(200_000);
        assertThat(unescape(run + "From x\n" + run + "x", 64, 1000)).isEqualTo(run.substring(1) + "From x\n" + run + "x");
    }
}
