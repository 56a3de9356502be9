package io.github.imapbackup.mbox.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** What reading a written message gives back, per dialect; and helpers to read all messages. */
public final class Expected {

    private Expected() { }

    /** The bytes the reader yields for a message the writer wrote in this dialect. */
    public static byte[] afterRoundTrip(byte[] m, Dialect d, boolean newlineAdded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (d == Dialect.MBOXCL2) {
            out.writeBytes(m); // the Content-Length the writer puts in front is the file's: the reader drops it
        } else if (d == Dialect.MBOXO) {
            boolean lineStart = true;
            for (int i = 0; i < m.length; i++) {
                if (lineStart && i + 5 <= m.length && m[i] == 'F' && m[i + 1] == 'r' && m[i + 2] == 'o'
                        && m[i + 3] == 'm' && m[i + 4] == ' ') {
                    out.write('>');
                }
                out.write(m[i]);
                lineStart = m[i] == '\n';
            }
        } else {
            out.writeBytes(m);
        }
        if (newlineAdded && !countsItsBody(m, d)) {
            out.write('\n');
        }
        return out.toByteArray();
    }

    /**
     * Whether the dialect records where the message ends, so that the {@code \n} a writer adds to
     * a message without a final line end is not read back: mboxcl2, for a message with an empty line
     * (a Content-Length counts its body).
     */
    public static boolean countsItsBody(byte[] m, Dialect d) {
        return d == Dialect.MBOXCL2 && headerEnd(m) >= 0;
    }

    /** End (exclusive) of the first empty line, or -1. */
    public static int headerEnd(byte[] m) {
        boolean lineStart = true;
        for (int i = 0; i < m.length; i++) {
            if (lineStart && m[i] == '\n') {
                return i + 1;
            }
            if (lineStart && m[i] == '\r' && i + 1 < m.length && m[i + 1] == '\n') {
                return i + 2;
            }
            lineStart = m[i] == '\n';
        }
        return -1;
    }

    public static List<byte[]> readAll(MboxReader r, int chunk) throws IOException {
        List<byte[]> out = new ArrayList<>();
        byte[] b = new byte[chunk];
        for (MboxEntry e = r.next(); e != null; e = r.next()) {
            ByteArrayOutputStream m = new ByteArrayOutputStream();
            InputStream in = e.content();
            int n;
            while ((n = in.read(b, 0, b.length)) >= 0) {
                m.write(b, 0, n);
            }
            out.add(m.toByteArray());
        }
        return out;
    }

    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public static String show(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n\n")
                .replace("\0", "\\0");
    }
}
