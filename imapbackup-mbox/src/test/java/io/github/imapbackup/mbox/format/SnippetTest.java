package io.github.imapbackup.mbox.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the snippet of this package's Javadoc ({@code package-info.java}) compiling and working. */
@Timeout(60)
class SnippetTest {

    private static final Logger LOG = LoggerFactory.getLogger(SnippetTest.class);

    @TempDir
    Path dir;

    /** The snippet, with the file as a parameter; returns the identities it logged. */
    static List<String> snippet(Path file) throws IOException {
        List<String> seen = new ArrayList<>();
        MessageIdExtractor ids = MessageIdExtractor.standard();
        try (MboxReader reader = MboxReader.open(file)) {
            for (MboxEntry e = reader.next(); e != null; e = reader.next()) {
                try (InputStream message = e.content()) {
                    LOG.info("{} from {}: {}", e.number(), e.sender(), ids.identify(message));
                }
                seen.add(e.sender());
            }
            LOG.info("dialect {}, warnings {}", reader.dialect(), reader.warnings());
        }
        return seen;
    }

    @Test
    void theSnippetReadsACompressedFile() throws IOException {
        Path file = dir.resolve("Inbox.mbox.gz");
        try (OutputStream out = Codecs.GZIP.compress(Files.newOutputStream(file));
                MboxWriter w = new MboxWriter(out, 0)) {
            for (String from : List.of("alice@example.org", "bob@example.net")) {
                byte[] m = ("From: " + from + "\r\nMessage-ID: <" + from + ">\r\n\r\nHi.\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                w.write(from, Instant.parse("2026-11-21T10:00:00Z"), new ByteArrayInputStream(m));
            }
        }
        assertThat(snippet(file)).containsExactly("alice@example.org", "bob@example.net");
    }
}
