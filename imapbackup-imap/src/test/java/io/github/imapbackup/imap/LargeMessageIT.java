package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A message far larger than the client's heap is streamed with bounded memory: the client runs
 * in a child JVM with {@code -Xmx64m} and must return the exact bytes (SHA-256 equal).
 */
class LargeMessageIT {

    /** Message size; GreenMail holds it in this JVM's heap. */
    private static final int SIZE = 100 << 20;

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aHundredMegabyteMessageStreamsThroughA64MegabyteHeap() throws Exception {
        GreenMailUser user = Fixtures.user(greenMail);
        byte[] raw = bigMessage(SIZE);
        long uid = Fixtures.append(greenMail, user, "Big", raw, null, Instant.now());
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        int length = raw.length;
        raw = null;

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                StreamOneMessage.class.getName(),
                Integer.toString(greenMail.getImap().getPort()), "Big", Long.toString(uid)));
        pb.environment().put("IMAP_PASSWORD", Fixtures.PASSWORD);
        pb.redirectErrorStream(true);
        long start = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("streamed " + length + " bytes in " + millis + " ms: " + out.strip());
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("RESULT " + length + " " + expected);
    }

    /** A 7-bit message of about {@code size} bytes with CRLF line ends. */
    static byte[] bigMessage(int size) {
        byte[] header = ("From: big@example.org\r\nSubject: big\r\nMessage-ID: <big@example.org>\r\n"
                + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] raw = new byte[size];
        System.arraycopy(header, 0, raw, 0, header.length);
        byte[] line = new byte[78];
        int pos = header.length;
        long seed = 42;
        while (pos < size) {
            for (int i = 0; i < 76; i++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                line[i] = (byte) ('A' + (int) ((seed >>> 33) % 26));
            }
            line[76] = '\r';
            line[77] = '\n';
            int n = Math.min(line.length, size - pos);
            System.arraycopy(line, 0, raw, pos, n);
            pos += n;
        }
        // end with a full line
        raw[size - 2] = '\r';
        raw[size - 1] = '\n';
        return Arrays.copyOf(raw, size);
    }
}
