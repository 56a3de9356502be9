package io.github.imapbackup.internal;

import io.github.imapbackup.spi.MessageIdExtractor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Measures the identity scan (not a test; run it by hand):
 * {@code java -cp imapbackup-api/target/classes:imapbackup-api/target/test-classes
 * io.github.imapbackup.internal.IdentityBenchmark}. Prints header bytes scanned per second for a
 * typical 3 KB header with a Message-ID (late in the header, the slow case for the quick scan) and
 * without one (the synthetic identity: normalize and hash).
 */
public final class IdentityBenchmark {

    private IdentityBenchmark() { }

    public static void main(String[] args) throws IOException {
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            h.append("Received: from host").append(i)
                    .append(".example.org (1.2.3.4) by mx.example.org with ESMTPS id abc; Sat, 21 Nov 2026\r\n");
        }
        String withId = h + "Message-ID: <abc.def.123@example.org>\r\nSubject: hello\r\n\r\nbody\r\n";
        String noId = h + "Subject: hello\r\n\r\nbody\r\n";
        MessageIdExtractor x = MessageIdExtractor.standard();
        for (String[] c : new String[][] {{"Message-ID", withId}, {"synthetic", noId}}) {
            byte[] b = c[1].getBytes(StandardCharsets.ISO_8859_1);
            long bytes = 0;
            long start = 0;
            int n = 0;
            for (int round = 0; round < 8; round++) {
                if (round == 3) {
                    start = System.nanoTime();
                    bytes = 0;
                    n = 0;
                }
                for (int i = 0; i < 50_000; i++) {
                    x.identify(new ByteArrayInputStream(b));
                    bytes += b.length;
                    n++;
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-10s header %d bytes: %.0f MB/s, %.0f headers/s%n", c[0], b.length,
                    bytes / secs / 1e6, n / secs);
        }
    }
}
