package io.github.imapbackup.examples.cli;

import io.github.imapbackup.mbox.codec.Codecs;
import io.github.imapbackup.mbox.internal.MboxWriter;
import io.github.imapbackup.spi.CompressionCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Test messages and mbox files made from them. */
final class MboxFiles {

    private MboxFiles() { }

    static byte[] message(String id, String subject, String body) {
        String idLine = id == null ? "" : "Message-ID: <" + id + ">\r\n";
        return ("From: alice@example.org\r\nTo: bob@example.net\r\nSubject: " + subject + "\r\n"
                + "Date: Sat, 21 Nov 2026 10:00:00 +0000\r\n" + idLine + "\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Writes an mboxrd file (compressed with the codec). */
    static Path mbox(Path file, CompressionCodec codec, List<byte[]> messages) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                MboxWriter w = new MboxWriter(codec.compress(raw), 0)) {
            Instant t = Instant.parse("2026-11-21T10:00:00Z");
            for (byte[] m : messages) {
                w.write("alice@example.org", t, new ByteArrayInputStream(m));
                t = t.plusSeconds(60);
            }
        }
        return file;
    }

    static Path mbox(Path file, List<byte[]> messages) throws IOException {
        return mbox(file, Codecs.NONE, messages);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
