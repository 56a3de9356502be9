package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded fuzzing: random and mutated headers never throw (but the stream's IOException) nor hang. */
@Timeout(30)
class IdentityFuzzTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private final MessageIdExtractor extractor = MessageIdExtractor.standard();

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.github.imapbackup.internal.HeaderGenerator#seeds")
    void randomAndMutatedInputNeverBreaksTheExtractor(long seed) {
        HeaderGenerator gen = new HeaderGenerator(seeds.use(seed));
        Random r = gen.random();
        for (int i = 0; i < 2000; i++) {
            byte[] input = switch (i % 3) {
                case 0 -> gen.noise(2000);
                case 1 -> gen.mutate(gen.message().full("\r\n"));
                default -> gen.mutate(gen.mutate(gen.message().full("\n")));
            };
            String where = "seed " + seed + ", case " + i;
            try {
                MessageIdentity id = extractor.identify(new ByteArrayInputStream(input));
                assertThat(id.value()).as(where).matches("(?s)(mid:<.+>|syn:[0-9a-f]{64})");
                assertThat(IdentityPropertyTest.splitFeed(input, r)).as(where + ": quick and streaming scan agree")
                        .isEqualTo(id);
                extractor.messageId(new ByteArrayInputStream(input))
                        .ifPresent(m -> assertThat("mid:" + m).as(where).isEqualTo(id.value()));
                int failAt = r.nextInt(input.length + 1);
                extractor.identify(failingAfter(input, failAt));
            } catch (IOException e) {
                assertThat(e).as(where).hasMessage("injected");
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(where + ": " + e, e);
            }
        }
    }

    private static InputStream failingAfter(byte[] b, int n) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                if (pos == n) {
                    throw new IOException("injected");
                }
                return pos < b.length ? b[pos++] & 0xff : -1;
            }
        };
    }
}
