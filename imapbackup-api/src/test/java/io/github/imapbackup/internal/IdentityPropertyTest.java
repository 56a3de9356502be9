package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.testing.Seeds;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties of the identity over seeded generated headers; each failure names its seed. */
@Timeout(30)
class IdentityPropertyTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private final MessageIdExtractor extractor = MessageIdExtractor.standard();

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.github.imapbackup.internal.HeaderGenerator#seeds")
    void sameIdentityForMessageHeaderAloneCrlfAndLf(long seed) throws IOException {
        HeaderGenerator gen = new HeaderGenerator(seeds.use(seed));
        for (int i = 0; i < 300; i++) {
            HeaderGenerator.Message m = gen.message();
            String where = "seed " + seed + ", case " + i + ", header:\n" + m.header("\n");
            MessageIdentity expected = identify(m.full("\r\n"));
            assertThat(identify(m.full("\n"))).as(where).isEqualTo(expected);
            assertThat(identify(m.header("\r\n", true))).as(where).isEqualTo(expected);
            assertThat(identify(m.header("\n", true))).as(where).isEqualTo(expected);
            assertThat(identify(m.header("\r\n", false))).as(where).isEqualTo(expected);
            assertThat(identify(m.header("\n", false))).as(where).isEqualTo(expected);
            assertThat(expected.synthetic()).as(where).isEqualTo(!m.hasMessageId());
            if (m.hasMessageId()) {
                assertThat(extractor.messageId(new ByteArrayInputStream(m.messageIdFields())))
                        .as(where).hasValueSatisfying(id -> assertThat("mid:" + id).isEqualTo(expected.value()));
            }
            // the body stays unread, whatever the stream
            byte[] full = m.full("\r\n");
            InputStream in = new BufferedInputStream(
                    StandardMessageIdExtractorTest.unmarkable(full), 1 + gen.random().nextInt(64));
            assertThat(extractor.identify(in)).as(where).isEqualTo(expected);
            assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .as(where).isEqualTo(m.body());
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.github.imapbackup.internal.HeaderGenerator#seeds")
    void resultDoesNotDependOnHowTheBytesArrive(long seed) throws IOException {
        HeaderGenerator gen = new HeaderGenerator(seeds.use(seed));
        for (int i = 0; i < 300; i++) {
            byte[] b = i % 2 == 0 ? gen.message().full(i % 4 == 0 ? "\r\n" : "\n")
                    : gen.mutate(gen.message().full("\r\n"));
            String where = "seed " + seed + ", case " + i;
            MessageIdentity whole = StandardMessageIdExtractor.INSTANCE.identify(b, 0, b.length);
            assertThat(identify(StandardMessageIdExtractorTest.unmarkable(b))).as(where).isEqualTo(whole);
            assertThat(splitFeed(b, gen.random())).as(where).isEqualTo(whole);
        }
    }

    /** Feeds the scanner in random pieces. */
    static MessageIdentity splitFeed(byte[] b, Random random) {
        HeaderScanner s = new HeaderScanner(true);
        int pos = 0;
        boolean ended = false;
        while (pos < b.length && !ended) {
            int n = Math.min(b.length - pos, 1 + random.nextInt(7));
            ended = s.feed(Arrays.copyOfRange(b, pos, pos + n), 0, n) >= 0;
            pos += n;
        }
        if (!ended) {
            s.end();
        }
        return s.messageId() != null ? MessageIdentity.ofMessageId(s.messageId())
                : new MessageIdentity("syn:" + s.syntheticHash());
    }

    private MessageIdentity identify(byte[] b) throws IOException {
        return extractor.identify(new ByteArrayInputStream(b));
    }

    private MessageIdentity identify(InputStream in) throws IOException {
        return extractor.identify(in);
    }
}
