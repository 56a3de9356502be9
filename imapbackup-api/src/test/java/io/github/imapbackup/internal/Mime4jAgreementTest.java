package io.github.imapbackup.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.util.Optional;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.util.ByteSequence;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Our byte scanner finds the same first Message-ID field as Mime4j's lenient header parser. */
@Timeout(30)
class Mime4jAgreementTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.github.imapbackup.internal.HeaderGenerator#seeds")
    void firstMessageIdAgreesWithMime4j(long seed) throws Exception {
        HeaderGenerator gen = new HeaderGenerator(seeds.use(seed));
        MimeConfig config = new MimeConfig.Builder().setMaxLineLen(-1).setMaxHeaderLen(-1)
                .setMaxHeaderCount(-1).setStrictParsing(false).build();
        for (int i = 0; i < 300; i++) {
            HeaderGenerator.Message m = gen.message();
            byte[] bytes = m.full(i % 2 == 0 ? "\r\n" : "\n");
            MimeTokenStream stream = new MimeTokenStream(config);
            stream.parse(new ByteArrayInputStream(bytes));
            String expected = null;
            for (EntityState s = stream.next(); s != EntityState.T_END_HEADER && s != EntityState.T_END_OF_STREAM;
                    s = stream.next()) {
                if (s == EntityState.T_FIELD) {
                    Field f = stream.getField();
                    if (f.getName().equalsIgnoreCase("Message-ID")) {
                        ByteSequence raw = f.getRaw();
                        int colon = f instanceof RawField rf ? rf.getDelimiterIdx() : f.getName().length();
                        byte[] value = new byte[raw.length() - colon - 1];
                        for (int k = 0; k < value.length; k++) {
                            value[k] = raw.byteAt(colon + 1 + k);
                        }
                        expected = MessageIdCleaner.normalize(value, value.length);
                        break;
                    }
                }
            }
            Optional<String> ours = MessageIdExtractor.standard().messageId(new ByteArrayInputStream(bytes));
            assertThat(ours.orElse(null)).as("seed " + seed + ", case " + i + ":\n" + m.header("\n"))
                    .isEqualTo(expected);
        }
    }
}
