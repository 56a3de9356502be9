package io.github.imapbackup.mbox.format;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.internal.MboxWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MboxReaderTest {

    private static final Path FILE = Path.of("test.mbox");

    static List<String> read(String mbox, Dialect dialect) throws IOException {
        List<String> out = new ArrayList<>();
        try (MboxReader r = new MboxReader(new ByteArrayInputStream(mbox.getBytes(ISO_8859_1)), FILE, dialect)) {
            for (MboxEntry e = r.next(); e != null; e = r.next()) {
                out.add(new String(e.content().readAllBytes(), ISO_8859_1));
            }
        }
        return out;
    }

    /** An mbox of the messages, each after a From_ line and followed by the empty separator line. */
    static String mbox(String... messages) {
        StringBuilder b = new StringBuilder();
        for (String m : messages) {
            b.append("From a@b Sat Nov 21 23:39:50 2026\n").append(m).append('\n');
        }
        return b.toString();
    }

    /** Checks that the mbox of {@code messages} reads back as exactly those messages. */
    static void assertReadsBack(Dialect dialect, String... messages) throws IOException {
        String[] want = messages.clone();
        if (dialect.usesContentLength()) {
            for (int i = 0; i < want.length; i++) {
                want[i] = withoutLeadingLength(want[i]);
            }
        }
        assertThat(read(mbox(messages), dialect)).containsExactly(want);
    }

    /** A Content-Length field in front of the header section belongs to the file, not the message. */
    static String withoutLeadingLength(String m) {
        return m.regionMatches(true, 0, "Content-Length:", 0, 15) ? m.substring(m.indexOf('\n') + 1) : m;
    }

    @Test
    void readsMessagesSeparatedByEmptyLineAndFromLine() throws IOException {
        assertReadsBack(Dialect.MBOXRD, "Subject: 1\n\nbody\n", "Subject: 2\n\nbody2\n");
    }

    @Test
    void bodyFromLineWithoutDateDoesNotSplit() throws IOException {
        assertReadsBack(Dialect.MBOXRD, "S: 1\n\nFrom here on we go\n");
    }

    @Test
    void lenientFromLineNotAfterEmptyLineDoesNotSplit() throws IOException {
        String mbox = "From a@b Sat Nov 21 23:39:50 2026\nS: 1\n\nx\nFrom a@b Sat, 21 Nov 2026 23:39:50 +0000\n\n";
        assertThat(read(mbox, Dialect.MBOXRD)).containsExactly("S: 1\n\nx\nFrom a@b Sat, 21 Nov 2026 23:39:50 +0000\n");
    }

    @Test
    void mboxrdUnquotesOneLevel() throws IOException {
        String mbox = "From a@b Sat Nov 21 23:39:50 2026\n>From x\n>>From y\n>>>From z\n>Fro\n>\n>>\n\n";
        assertThat(read(mbox, Dialect.MBOXRD)).containsExactly("From x\n>From y\n>>From z\n>Fro\n>\n>>\n");
        assertThat(read(mbox, Dialect.MBOXO)).containsExactly(">From x\n>>From y\n>>>From z\n>Fro\n>\n>>\n");
    }

    @Test
    void crlfFile() throws IOException {
        String mbox = "From a@b Sat Nov 21 23:39:50 2026\r\nS: 1\r\n\r\nb\r\n\r\nFrom - Sat Nov 21 23:39:50 2026\r\nS: 2\r\n\r\n";
        assertThat(read(mbox, Dialect.MBOXRD)).containsExactly("S: 1\r\n\r\nb\r\n", "S: 2\r\n");
    }

    @Test
    void garbageBeforeFirstFromLineIsMalformed() {
        assertThatThrownBy(() -> read("hello\nFrom a@b Sat Nov 21 23:39:50 2026\n\n", Dialect.MBOXRD))
                .isInstanceOf(MalformedMboxException.class).hasMessageContaining("at byte 0");
    }

    @Test
    void emptyFileHasNoMessages() throws IOException {
        assertThat(read("", Dialect.MBOXRD)).isEmpty();
    }

    @Test
    void contentLengthKeepsUnquotedFromLines() throws IOException {
        String m1 = "Content-Length: 40\n\nbody\n\nFrom x@y Mon Jan  1 00:00:00 2001\n";
        assertThat(m1.substring(m1.indexOf("\n\n") + 2)).hasSize(40);
        String mbox = mbox(m1, "S: 2\n");
        assertThat(read(mbox, Dialect.MBOXCL2)).containsExactly(withoutLeadingLength(m1), "S: 2\n");
        assertThat(read(mbox, Dialect.MBOXRD)).hasSize(3);
    }

    @Test
    void writerRoundTrip() throws IOException {
        String[] msgs = {"S: 1\n\nFrom x\n>From y\n", "S: 2\r\n\r\nno newline", "", "\n", "From \n\nFrom a@b Sat Nov 21 23:39:50 2026\n"};
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        List<MboxWriter.Written> ws = new ArrayList<>();
        try (MboxWriter w = new MboxWriter(bout, 0)) {
            for (String m : msgs) {
                ws.add(w.write("a@b", Instant.EPOCH, new ByteArrayInputStream(m.getBytes(ISO_8859_1))));
            }
        }
        List<String> got = read(bout.toString(ISO_8859_1), Dialect.MBOXRD);
        assertThat(got).hasSize(msgs.length);
        for (int i = 0; i < msgs.length; i++) {
            String g = got.get(i);
            if (ws.get(i).newlineAdded()) {
                g = g.substring(0, g.length() - 1);
            }
            assertThat(g).as("message %d", i).isEqualTo(msgs[i]);
        }
    }

    @Test
    void mboxcl2BodyEndingInCarriageReturnKeepsTheEmptyLineBeforeIt() throws IOException {
        // The count says the body is "\r": the "\n" after it is the one a writer adds, not content.
        assertThat(read(mbox("Content-Length: 1\r\nS: 1\r\n\r\n\r\n", "S: 2\n"), Dialect.MBOXCL2))
                .containsExactly("S: 1\r\n\r\n\r", "S: 2\n");
    }

    @Test
    void mboxcl2BodyWithoutFinalLineEndComesBackWithoutIt() throws IOException {
        String mbox = "From a@b Sat Nov 21 23:39:50 2026\nContent-Length: 4\nS: 1\n\nlast\n\n"
                + "From a@b Sat Nov 21 23:39:50 2026\nContent-Length: 0\nS: 2\n\n";
        assertThat(read(mbox, Dialect.MBOXCL2)).containsExactly("S: 1\n\nlast", "S: 2\n");
    }

    @Test
    void mboxcl2HeaderOnlyMessageBeforeTheEndOrASeparator() throws IOException {
        assertReadsBack(Dialect.MBOXCL2, "Content-Length: 0\nS: 1\n", "Content-Length: 0\nS: 2\n");
    }

    @Test
    void contentSupportsMarkAndReset() throws IOException {
        String body = "S: 1\nMessage-ID: <x@y>\n\n" + "line of body text\n".repeat(2000);
        String mbox = "From a@b Sat Nov 21 23:39:50 2026\n" + body + "\nFrom c@d Sat Nov 21 23:39:51 2026\n\n";
        try (MboxReader r = new MboxReader(new ByteArrayInputStream(mbox.getBytes(ISO_8859_1)), FILE)) {
            java.io.InputStream in = r.next().content();
            assertThat(in.markSupported()).isTrue();
            in.mark(8192);
            byte[] first = in.readNBytes(5000);
            in.reset();
            assertThat(in.readNBytes(5000)).isEqualTo(first);
            in.mark(10);
            assertThat(in.read()).isEqualTo(body.charAt(5000));
            in.reset();
            assertThat(in.skip(10)).isEqualTo(10);
            assertThat(new String(in.readAllBytes(), ISO_8859_1)).isEqualTo(body.substring(5010));
            assertThat(r.next()).isNotNull();
        }
    }

    @Test
    void standardExtractorReadsOnlyTheHeaderSection() throws IOException {
        String mbox = "From a@b Sat Nov 21 23:39:50 2026\nS: 1\nMessage-ID: <x@y>\n\nbody\n\n";
        try (MboxReader r = new MboxReader(new ByteArrayInputStream(mbox.getBytes(ISO_8859_1)), FILE)) {
            java.io.InputStream in = r.next().content();
            assertThat(io.github.imapbackup.spi.MessageIdExtractor.standard().messageId(in)).contains("<x@y>");
            assertThat(new String(in.readAllBytes(), ISO_8859_1)).isEqualTo("body\n");
        }
    }

    @Test
    void offsetsCountFromTheGivenStartOffset() throws IOException {
        String tail = "From a@b Sat Nov 21 23:39:50 2026\nS: 1\n\nFrom c@d Sat Nov 21 23:39:51 2026\nS: 2\n\n";
        try (MboxReader r = new MboxReader(new ByteArrayInputStream(tail.getBytes(ISO_8859_1)), FILE, Dialect.MBOXRD, 1000)) {
            assertThat(r.next().offset()).isEqualTo(1000);
            assertThat(r.next().offset()).isEqualTo(1000 + tail.indexOf("From c@d"));
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void wrongContentLengthFallsBackToTheSeparatorRule() throws IOException {
        String m1 = "Content-Length: 3\n\nbody longer than three\n";
        String m2 = "Content-Length: 2\n\nx\n";
        assertReadsBack(Dialect.MBOXCL2, m1, m2, "S: 3\n");
    }

    @Test
    void contentLengthIsIgnoredByMboxrdAndMboxo() throws IOException {
        String m1 = "Content-Length: 0\n\nbody\n";
        assertReadsBack(Dialect.MBOXRD, m1);
        assertReadsBack(Dialect.MBOXO, m1);
    }
}
