package io.github.imapbackup.imap;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.MessageIdentity;
import io.github.imapbackup.spi.MessageIdExtractor;
import io.github.imapbackup.spi.TargetFolder;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;

/**
 * Child-JVM program of {@link DovecotTargetIT}: appends one generated message of the given size
 * (produced as a stream, never held whole) through {@link ImapTarget}, pipelined, and prints its
 * length and SHA-256. Arguments: port, folder, size; the password comes from the environment.
 */
public final class AppendOneMessage {

    private AppendOneMessage() { }

    /**
     * Runs.
     *
     * @param args port, folder, size in bytes
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        ImapSource account = ImapSource.builder().host("127.0.0.1").port(Integer.parseInt(args[0]))
                .security(Security.NONE).user(Interop.USER)
                .password(() -> System.getenv("IMAP_PASSWORD").toCharArray())
                .timeout(Duration.ofSeconds(30)).build();
        long size = Long.parseLong(args[2]);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (TargetFolder f = ImapTarget.builder(account).build()
                .open(new FolderInfo(args[1], "/", Set.of(), true), MessageIdExtractor.standard());
                InputStream in = new DigestInputStream(generated(size), sha)) {
            f.onRejected((m, e) -> System.out.println("REFUSED " + e.getMessage()));
            f.append(new TargetFolder.NewMessage(0, 0, MessageIdentity.ofMessageId("<big@example.org>"), -1,
                    Instant.parse("2020-01-02T03:04:05Z"), Set.of("\\Seen"), null), in);
            f.commit();
        }
        System.out.println("RESULT " + size + " " + HexFormat.of().formatHex(sha.digest())
                + " maxHeap=" + Runtime.getRuntime().maxMemory());
    }

    /** A 7-bit message of exactly {@code size} bytes, CRLF lines, generated as it is read. */
    static InputStream generated(long size) {
        byte[] header = ("From: big@example.org\r\nSubject: big\r\nMessage-ID: <big@example.org>\r\n"
                + "Content-Type: text/plain\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new InputStream() {
            private long pos;
            private long seed = 42;

            @Override
            public int read() {
                if (pos >= size) {
                    return -1;
                }
                long at = pos++;
                if (at < header.length) {
                    return header[(int) at];
                }
                long col = (at - header.length) % 78;
                if (at >= size - 2) {
                    return at == size - 2 ? '\r' : '\n';
                }
                if (col == 76) {
                    return '\r';
                }
                if (col == 77) {
                    return '\n';
                }
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                return 'A' + (int) ((seed >>> 33) % 26);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= size) {
                    return -1;
                }
                int n = (int) Math.min(len, size - pos);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) read();
                }
                return n;
            }
        };
    }
}
