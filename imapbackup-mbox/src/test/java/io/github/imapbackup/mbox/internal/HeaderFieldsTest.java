package io.github.imapbackup.mbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sniffing header fields reads the header section only, never the body, and resets the stream. */
class HeaderFieldsTest {

    /** A body that fails when read: sniffing must stop at the blank line before it. */
    private static final class Unreadable extends InputStream {
        @Override
        public int read() throws IOException {
            throw new IOException("the body was read");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "\n"})
    void sniffStopsAtTheBlankLineAndResets(String eol) throws IOException {
        String header = "From: Ann <ann@example.org>" + eol + "Subject: hi" + eol + " there" + eol + eol;
        InputStream in = new BufferedInputStream(new SequenceInputStream(
                new ByteArrayInputStream(header.getBytes(StandardCharsets.ISO_8859_1)), new Unreadable()), 16);
        Map<String, String> fields = HeaderFields.sniff(in, 64 * 1024, Set.of("from", "subject"));
        assertThat(fields).containsEntry("from", "Ann <ann@example.org>").containsEntry("subject", "hi there");
        assertThat(new String(in.readNBytes(header.length()), StandardCharsets.ISO_8859_1)).isEqualTo(header);
    }

    @Test
    void sniffLooksAtNoMoreThanTheLimit() throws IOException {
        String text = "Subject: " + "x".repeat(100) + "\r\nFrom: late@example.org\r\n\r\n";
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(HeaderFields.sniff(in, 50, Set.of("from"))).isEmpty();
        assertThat(in.read()).isEqualTo('S');
    }
}
