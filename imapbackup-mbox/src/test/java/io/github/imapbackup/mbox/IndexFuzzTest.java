package io.github.imapbackup.mbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.imapbackup.MalformedMboxException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer over the folder index parser. Each input line gets its checksum (so that the fuzzer
 * reaches the field parser and the checks of each record against those before it) unless it
 * starts with {@code !}, which keeps it raw. Whatever the bytes: an index, or a torn tail, or a
 * {@link MalformedMboxException} with its offset; no other exception. Seed corpus:
 * src/test/resources/io/github/imapbackup/mbox/IndexFuzzTestInputs; with -Preliability Jazzer
 * fuzzes for 50,000 inputs.
 */
class IndexFuzzTest {

    private static final FuzzTally TALLY = new FuzzTally("fuzz-index");

    @FuzzTest(maxExecutions = 50_000, maxDuration = "2h")
    void loadsOrSaysWhere(byte[] data) throws Exception {
        TALLY.run(() -> {
            byte[] file = withChecksums(data);
            try {
                IndexLoader.Loaded l = IndexLoader.load(new ByteArrayInputStream(file), Path.of("fuzzed.mbox.index"));
                assertThat(l.validEnd()).isBetween(0L, (long) file.length);
                assertThat(l.fileLength()).isEqualTo(file.length);
            } catch (MalformedMboxException e) {
                assertThat(e.offset()).isPresent();
            }
        });
    }

    static byte[] withChecksums(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == '\n') {
                if (i == data.length && start == i) {
                    break;
                }
                if (i > start && data[start] == '!') {
                    out.write(data, start + 1, i - start - 1);
                } else {
                    out.write(data, start, i - start);
                    CRC32 crc = new CRC32();
                    crc.update(data, start, i - start);
                    out.writeBytes(String.format(" %08x", crc.getValue()).getBytes(StandardCharsets.US_ASCII));
                }
                if (i < data.length) {
                    out.write('\n');
                }
                start = i + 1;
            }
        }
        return out.toByteArray();
    }

    @AfterAll
    static void figures() {
        TALLY.print();
    }
}
