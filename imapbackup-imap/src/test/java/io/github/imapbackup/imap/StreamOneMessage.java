package io.github.imapbackup.imap;

import io.github.imapbackup.FolderInfo;
import io.github.imapbackup.spi.SourceConnection;
import io.github.imapbackup.spi.SourceFolder;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Child-JVM program of {@link LargeMessageIT}: streams one message and prints its length and
 * SHA-256. Arguments: port, folder, UID; the password comes from the environment.
 */
public final class StreamOneMessage {

    private StreamOneMessage() { }

    /**
     * Runs.
     *
     * @param args port, folder, UID
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        ImapSource source = ImapSource.builder().host("localhost").port(Integer.parseInt(args[0]))
                .security(Security.NONE).user(Fixtures.USER)
                .password(() -> System.getenv("IMAP_PASSWORD").toCharArray())
                .timeout(Duration.ofSeconds(30)).build();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long length = 0;
        try (SourceConnection c = source.connect()) {
            FolderInfo folder = c.folders().stream().filter(f -> f.name().equals(args[1]))
                    .findFirst().orElseThrow();
            try (SourceFolder f = c.open(folder); InputStream in = f.openMessage(Long.parseLong(args[2]))) {
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    length += n;
                }
            }
        }
        System.out.println("RESULT " + length + " " + HexFormat.of().formatHex(sha.digest())
                + " maxHeap=" + Runtime.getRuntime().maxMemory());
    }
}
