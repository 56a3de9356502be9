package io.github.imapbackup.internal;

import io.github.imapbackup.testing.OriginalScript;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(30)
class NormalisedFormTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static String of(String s) throws IOException {
        return NormalisedForm.of(new ByteArrayInputStream(s.getBytes(ISO_8859_1)));
    }

    private static NormalisedForm.Stored stored(String s) throws IOException {
        return NormalisedForm.ofStored(new ByteArrayInputStream(s.getBytes(ISO_8859_1)), MessageIdExtractor.standard());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a: b\\r\\n\\r\\nbody\\r\\n|a: b\\n\\nbody\\n",
        "\\r\\n \\ta: b\\n\\nbody\\n\\n\\t \\x0b\\x0c|a: b\\n\\nbody",
        "a\\rb|ab",
        "x\\n>From a\\n>>From b\\nFrom c|x\\nFrom a\\n>From b\\nFrom c",
        ">From start|From start",
        "x\\n>>Fro|x\\n>>Fro",
        "x\\n>From|x\\nFrom",
    })
    void sameForm(String a, String b) throws IOException {
        assertThat(of(unescape(a))).isEqualTo(of(unescape(b)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a: b\\n\\nbody|a: b\\n\\nbody!",
        "a b|ab",
        "x\\n>x|x\\nx",
        "x >From|x From",
        "a\\n\\nb|a\\nb",
    })
    void differentForm(String a, String b) throws IOException {
        assertThat(of(unescape(a))).isNotEqualTo(of(unescape(b)));
    }

    @Test
    void longWhiteSpaceRunsInsideAndAtTheEnd() throws IOException {
        String run = " ".repeat(20_000) + "\n".repeat(20_000);
        assertThat(of("a" + run + "b" + run)).isEqualTo(of("a" + run + "b")).isNotEqualTo(of("ab"));
        assertThat(of(run + "a" + run)).isEqualTo(of("a"));
    }

    @Test
    void theScriptsSyntheticMessageIdLineIsLeftOut() throws IOException {
        String message = "From: a@b\nSubject: none\n\nbody\n";
        NormalisedForm.Stored s = stored("Message-Id: <19AF1258-1AAF-44EF-9D9A-731079D6FAD7.0123abcd>\n" + message);
        assertThat(s.sha256()).isEqualTo(of(message));
        assertThat(s.identity()).isEqualTo(MessageIdExtractor.standard()
                .identify(new ByteArrayInputStream(message.getBytes(ISO_8859_1))));
        assertThat(s.identity().synthetic()).isTrue();
        assertThat(NormalisedForm.scriptIdentity(
                MessageIdentity.ofMessageId("<19AF1258-1AAF-44EF-9D9A-731079D6FAD7.0123abcd>"))).isTrue();
        assertThat(NormalisedForm.scriptIdentity(MessageIdentity.ofMessageId("<a@b>"))).isFalse();
        // any other first line stays
        NormalisedForm.Stored other = stored("Message-Id: <a@b>\n" + message);
        assertThat(other.sha256()).isNotEqualTo(of(message));
        assertThat(other.identity()).isEqualTo(MessageIdentity.ofMessageId("<a@b>"));
    }

    /** What the original script stores, read back as mboxrd, has the server's normalised form. */
    @Test
    void theScriptsFormOfRandomMessagesHasTheirNormalisedForm() throws IOException {
        long seed = seeds.pick();
        Random rnd = new Random(seed);
        String[] parts = {"\r\n", "\n", "\r", " ", "\t", ">", ">>", "From ", "From", "x", "\u00e9", "\u000b"};
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = rnd.nextInt(30); k > 0; k--) {
                sb.append(parts[rnd.nextInt(parts.length)]);
            }
            String server = sb.toString();
            String script = OriginalScript.strip(server.replace("\r", ""));
            String readBack = unquoteOnce(script) + "\n";
            assertThat(of(readBack)).as("seed " + seed + " (-Dimapbackup.seed): " + server.replace("\r", "\\r"))
                    .isEqualTo(of(server));
        }
    }

    /** mboxrd reading: a line matching {@code ^>+From } loses one {@code >}. */
    private static String unquoteOnce(String s) {
        return String.join("\n", java.util.Arrays.stream(s.split("\n", -1))
                .map(l -> l.matches(">+From .*") ? l.substring(1) : l).toList());
    }

    private static String unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\x0b", "\u000b")
                .replace("\\x0c", "\u000c");
    }
}
