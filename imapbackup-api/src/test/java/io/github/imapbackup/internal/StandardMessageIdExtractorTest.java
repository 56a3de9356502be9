package io.github.imapbackup.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class StandardMessageIdExtractorTest {

    private final MessageIdExtractor extractor = MessageIdExtractor.standard();

    static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    private MessageIdentity identify(String message) throws IOException {
        return extractor.identify(new ByteArrayInputStream(bytes(message)));
    }

    private Optional<String> messageId(String header) throws IOException {
        return extractor.messageId(new ByteArrayInputStream(bytes(header)));
    }

    /** A stream that supports neither mark nor bulk reads beyond what is asked. */
    static InputStream unmarkable(byte[] b) {
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }

    @Test
    void simpleMessageId() throws IOException {
        assertThat(identify("From: a@b\r\nMessage-ID: <abc@example.org>\r\n\r\nbody\r\n").value())
                .isEqualTo("mid:<abc@example.org>");
    }

    @Test
    void foldedExchangeStyle() throws IOException {
        String m = "Subject: x\r\nMessage-ID:\r\n\t<DB7PR03MB4426A1B2C3D4E5F6@DB7PR03MB4426.eurprd03.prod.outlook.com>\r\n"
                + "Date: Sat, 21 Nov 2026 23:39:50 +0000\r\n\r\nbody";
        assertThat(identify(m).value())
                .isEqualTo("mid:<DB7PR03MB4426A1B2C3D4E5F6@DB7PR03MB4426.eurprd03.prod.outlook.com>");
        String folded = "Message-ID: <abc.def\r\n  @example.org>\r\n\r\n";
        assertThat(identify(folded).value()).isEqualTo("mid:<abc.def@example.org>");
    }

    @Test
    void firstOfTwoMessageIdsWins() throws IOException {
        String m = "message-id: <first@x>\nSubject: s\nMESSAGE-ID: <second@x>\n\n";
        assertThat(identify(m).value()).isEqualTo("mid:<first@x>");
        assertThat(messageId("Message-Id: <first@x>\r\nMessage-Id: <second@x>\r\n\r\n"))
                .contains("<first@x>");
    }

    @Test
    void emptyFirstMessageIdMakesTheIdentitySyntheticAndIgnoresLaterOnes() throws IOException {
        String m = "Message-ID: (nothing here)\nMessage-ID: <second@x>\nSubject: s\n\n";
        assertThat(identify(m).synthetic()).isTrue();
        assertThat(messageId(m)).isEmpty();
    }

    /** The mbox writer adds a \n after a message without a final one; the identity must not change. */
    @Test
    void theSyntheticIdentityIgnoresTheFinalLineEndTheMboxWriterAdds() throws IOException {
        for (String m : new String[] {"Subject: a\r\n\r", "Subject: a\r\nX: b\r", "Subject: a", "Subject: a\r",
            "Subject: a\n\rb\r\n\r", "Subject: a\r\n\r\nbody", "Subject: a\r\n \r", "Subject: a\r\nno colon\r", ""}) {
            assertThat(identify(m + "\n")).as(m).isEqualTo(identify(m));
        }
    }

    @Test
    void noMessageIdGivesStableSyntheticIdentity() throws IOException {
        String m = "From: a@b\r\nSubject: hello\r\n\r\nbody";
        MessageIdentity id = identify(m);
        assertThat(id.synthetic()).isTrue();
        assertThat(id.value()).matches("syn:[0-9a-f]{64}");
        assertThat(identify(m)).isEqualTo(id);
        assertThat(identify("From: a@b\r\nSubject: hello!\r\n\r\nbody")).isNotEqualTo(id);
        assertThat(messageId(m)).isEmpty();
    }

    @Test
    void syntheticIdentityIgnoresBodyAndMboxAddedFields() throws IOException {
        MessageIdentity server = identify("From: a@b\r\nSubject: hello\r\n\r\nbody one");
        String mbox = "From: a@b\nStatus: RO\nX-Status: A\nX-Keywords: $label1\nX-UID: 17\n"
                + "Content-Length: 8\nLines: 1\nX-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\n"
                + "X-Mozilla-Keys:     \nX-GM-THRID: 1234567\nX-Gmail-Labels: Inbox,Important\n"
                + "X-IMAPbase: 1 2\nSubject: hello\n\nbody two";
        assertThat(identify(mbox)).isEqualTo(server);
    }

    @Test
    void syntheticIdentityIsRobustToRefoldingAndSpacing() throws IOException {
        MessageIdentity a = identify("Subject: a long subject line\r\nFrom: x@y\r\n\r\n");
        assertThat(identify("Subject: a long\r\n subject line\r\nFrom: x@y\r\n\r\n")).isEqualTo(a);
        assertThat(identify("Subject: a long\r\n\tsubject   line  \r\nFrom: x@y")).isEqualTo(a);
        assertThat(identify("SUBJECT :a long subject line\nfrom:    x@y\n\n")).isEqualTo(a);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<abc@example.org> (generated by foo)|<abc@example.org>",
        "(comment (nested \\) still) ) <abc@example.org>|<abc@example.org>",
        "<abc(inside)@example.org>|<abc@example.org>",
        "abc@example.org|<abc@example.org>",
        "< abc @ example.org >|<abc@example.org>",
        "<1234.ABC>|<1234.ABC>",
        "1234.ABC|<1234.ABC>",
        "<<abc@x>>|<abc@x>",
        "<abc@x> <def@y>|<abc@x>",
        "<abc@x|<abc@x>",
        "abc@x>|<abc@x>",
        "junk <abc@x>|<abc@x>",
        "<\"a (b) > c\"@x>|<\"a(b)>c\"@x>",
        "<AbC@ExAmPlE.ORG>|<AbC@ExAmPlE.ORG>",
        "<=?utf-8?q?abc?=@x>|<=?utf-8?q?abc?=@x>",
        "=?utf-8?B?YWJjQHg=?=|<=?utf-8?B?YWJjQHg=?=>",
    })
    void normalizesValues(String value, String expected) throws IOException {
        assertThat(messageId("Message-ID: " + value + "\r\n\r\n")).contains(expected);
        assertThat(identify("Message-ID: " + value + "\r\n\r\n").value()).isEqualTo("mid:" + expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''", "<>", "(only a comment)", "< >", "<(c)>", "(unclosed <a@b>"})
    void unusableValuesGiveSyntheticIdentity(String value) throws IOException {
        assertThat(messageId("Message-ID: " + value + "\r\n\r\n")).isEmpty();
        assertThat(identify("Message-ID: " + value + "\r\nSubject: x\r\n\r\n").synthetic()).isTrue();
    }

    @Test
    void obsoleteSpaceBeforeColon() throws IOException {
        assertThat(identify("Message-ID : <a@b>\n\n").value()).isEqualTo("mid:<a@b>");
    }

    @Test
    void nonAsciiBytesAreKeptAsLatin1Chars() throws IOException {
        byte[] utf8 = "Message-ID: <caf\u00e9@ex\u00e4mple.org>\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MessageIdentity id = extractor.identify(new ByteArrayInputStream(utf8));
        assertThat(id.value()).isEqualTo("mid:<caf\u00c3\u00a9@ex\u00c3\u00a4mple.org>");
        assertThat(id.value().getBytes(ISO_8859_1)).containsSubsequence(
                "caf\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] latin1 = {'M', 'e', 's', 's', 'a', 'g', 'e', '-', 'I', 'D', ':', '<', (byte) 0xff,
            (byte) 0x80, '>', '\n', '\n'};
        assertThat(extractor.identify(new ByteArrayInputStream(latin1)).value())
                .isEqualTo("mid:<\u00ff\u0080>");
    }

    @Test
    void nonAsciiSyntheticIdentityIsStable() throws IOException {
        byte[] a = {'S', 'u', 'b', 'j', 'e', 'c', 't', ':', ' ', (byte) 0xe9, (byte) 0x80, '\r', '\n', '\r', '\n'};
        byte[] b = {'S', 'u', 'b', 'j', 'e', 'c', 't', ':', ' ', (byte) 0xe9, (byte) 0x80, '\n'};
        assertThat(extractor.identify(new ByteArrayInputStream(a)))
                .isEqualTo(extractor.identify(new ByteArrayInputStream(b)));
        byte[] c = {'S', 'u', 'b', 'j', 'e', 'c', 't', ':', ' ', (byte) 0xe9, (byte) 0x81, '\n'};
        assertThat(extractor.identify(new ByteArrayInputStream(a)))
                .isNotEqualTo(extractor.identify(new ByteArrayInputStream(c)));
    }

    @Test
    void headerOverOneMegabyte() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append("Received: from host").append(i).append(".example.org by mx.example.org; x\r\n");
        }
        String big = sb.toString();
        assertThat(big.length()).isGreaterThan(1 << 20);
        String withId = big + "Message-ID: <late@x>\r\n\r\nbody";
        assertThat(identify(withId).value()).isEqualTo("mid:<late@x>");
        MessageIdentity syn = identify(big + "\r\nbody");
        assertThat(syn.synthetic()).isTrue();
        assertThat(identify(big.replace("\r\n", "\n"))).isEqualTo(syn);
        // a 1.5 MB folded field works too
        String longField = "X-Long: " + "a ".repeat(400_000).replace("a a a a ", "a a a a\r\n ") + "\r\n";
        assertThat(identify(longField + "Message-ID: <z@x>\r\n\r\n").value()).isEqualTo("mid:<z@x>");
    }

    @Test
    void crlfAndLfGiveTheSameIdentity() throws IOException {
        String crlf = "From: a@b\r\nSubject: folded\r\n\tline\r\nX-Mozilla-Status: 0001\r\n\r\nbody\r\n";
        assertThat(identify(crlf)).isEqualTo(identify(crlf.replace("\r\n", "\n")));
        String withId = "Message-ID:\r\n <x@y>\r\n\r\n";
        assertThat(identify(withId)).isEqualTo(identify(withId.replace("\r\n", "\n")));
    }

    @Test
    void headerOnlyMessageWithoutEmptyLine() throws IOException {
        assertThat(identify("Message-ID: <a@b>").value()).isEqualTo("mid:<a@b>");
        assertThat(identify("Message-ID: <a@b>\r\n").value()).isEqualTo("mid:<a@b>");
        MessageIdentity syn = identify("Subject: x\r\nFrom: y\r\n\r\n");
        assertThat(identify("Subject: x\r\nFrom: y")).isEqualTo(syn);
        assertThat(identify("Subject: x\r\nFrom: y\r\n")).isEqualTo(syn);
        assertThat(identify("Subject: x\nFrom: y\r")).isEqualTo(syn);
    }

    @Test
    void emptyStreamHasTheSyntheticIdentityOfNothing() throws IOException {
        assertThat(identify("").value())
                .isEqualTo("syn:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(identify("\r\nbody")).isEqualTo(identify(""));
    }

    @Test
    void bodyIsNeverRead() throws IOException {
        byte[] m = bytes("Message-ID: <a@b>\r\nSubject: x\r\n\r\nBODY");
        for (InputStream in : new InputStream[] {new ByteArrayInputStream(m), unmarkable(m),
            new BufferedInputStream(unmarkable(m), 3)}) {
            extractor.identify(in);
            assertThat(new String(in.readAllBytes(), US_ASCII)).isEqualTo("BODY");
        }
        byte[] s = bytes("Subject: x\n\nBODY\n\nMORE");
        for (InputStream in : new InputStream[] {new ByteArrayInputStream(s), unmarkable(s)}) {
            assertThat(extractor.identify(in).synthetic()).isTrue();
            assertThat(new String(in.readAllBytes(), US_ASCII)).isEqualTo("BODY\n\nMORE");
        }
    }

    @Test
    void bodyLinesNeverCount() throws IOException {
        assertThat(identify("Subject: x\r\n\r\nMessage-ID: <in-body@x>\r\n").synthetic()).isTrue();
    }

    @Test
    void headerFieldsResponseAgreesWithFullMessage() throws IOException {
        String full = "Received: x\r\nMessage-Id: <abc@x> (c)\r\nSubject: s\r\n\r\nbody";
        String fields = "Message-Id: <abc@x> (c)\r\n\r\n";
        assertThat(identify(full).value()).isEqualTo("mid:" + messageId(fields).orElseThrow());
    }

    @Test
    void inMemoryVariantAgrees() throws IOException {
        byte[] m = bytes("xx Subject: s\r\nMessage-ID: <q@r>\r\n\r\nbody");
        assertThat(StandardMessageIdExtractor.INSTANCE.identify(m, 3, m.length - 3))
                .isEqualTo(identify("Subject: s\r\nMessage-ID: <q@r>\r\n\r\n"));
    }

    @Test
    void streamFailureIsAnIOException() {
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ > 10) {
                    throw new IOException("boom");
                }
                return 'a';
            }
        };
        assertThatThrownBy(() -> extractor.identify(failing)).isInstanceOf(IOException.class)
                .hasMessage("boom");
    }

    @Test
    void nullStreamIsRejected() {
        assertThatThrownBy(() -> extractor.identify(null)).isInstanceOf(NullPointerException.class);
    }
}
