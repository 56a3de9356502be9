package io.github.imapbackup.mbox.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.imapbackup.MalformedMboxException;
import io.github.imapbackup.mbox.FuzzTally;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.mbox.internal.TestStreams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer over the reader: the dialect detector, the From_ line parser, the entry scanner and the
 * unescaping of every dialect. Whatever the bytes: messages, or a {@link MalformedMboxException}
 * with its offset; no other exception, no byte lost (ReaderFuzzTest's accounting), and what the
 * reader saw, written as mboxrd and read again, comes back byte for byte. The seed corpus is in
 * src/test/resources/io/github/imapbackup/mbox/format/MboxReaderFuzzTestInputs; with
 * -Preliability Jazzer fuzzes for 20,000 inputs (no JUnit timeout: in fuzzing mode it would bound the whole run).
 */
class MboxReaderFuzzTest {

    private static final FuzzTally TALLY = new FuzzTally("fuzz-reader");
    private static final Path FILE = Path.of("fuzzed.mbox");

    @FuzzTest(maxExecutions = 20_000, maxDuration = "2h")
    void readsMessagesOrSaysWhere(byte[] data) throws Exception {
        TALLY.run(() -> {
            for (Dialect d : Dialect.values()) {
                ReaderFuzzTest.check(data, d, d.name());
            }
            Dialect detected;
            try {
                detected = DialectDetector.detect(new ByteArrayInputStream(data), FILE, false);
            } catch (MalformedMboxException e) {
                assertThat(e.offset()).isPresent();
                return;
            }
            List<byte[]> seen = read(data, detected);
            if (seen == null) {
                return;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<Boolean> added = new ArrayList<>();
            try (MboxWriter w = new MboxWriter(out, 0, Dialect.MBOXRD)) {
                for (byte[] m : seen) {
                    added.add(w.write("a@b", Instant.EPOCH, new ByteArrayInputStream(m), m.length).newlineAdded());
                }
            }
            List<byte[]> again = read(out.toByteArray(), Dialect.MBOXRD);
            assertThat(again).as("mboxrd written from what the reader saw is read again").isNotNull();
            assertThat(again).hasSameSizeAs(seen);
            for (int i = 0; i < seen.size(); i++) {
                assertThat(again.get(i)).as("message " + i)
                        .isEqualTo(Expected.afterRoundTrip(seen.get(i), Dialect.MBOXRD, added.get(i)));
            }
        });
    }

    /** The messages, or null when the bytes are no mbox in that dialect. */
    private static List<byte[]> read(byte[] data, Dialect d) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (MboxReader r = new MboxReader(TestStreams.chunked(data, 61), FILE, d, false, 4096 * 3)) {
            for (MboxEntry e = r.next(); e != null; e = r.next()) {
                try (InputStream in = e.content()) {
                    out.add(in.readAllBytes());
                }
            }
        } catch (MalformedMboxException e) {
            assertThat(e.offset()).isPresent();
            return null;
        }
        return out;
    }

    @AfterAll
    static void figures() {
        TALLY.print();
    }
}
