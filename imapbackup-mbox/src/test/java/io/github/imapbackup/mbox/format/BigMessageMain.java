package io.github.imapbackup.mbox.format;

import io.github.imapbackup.mbox.internal.MboxWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;

/**
 * Run in a child JVM with a small heap by {@link BigMessageTest}: streams a generated message of
 * the given size through MboxWriter into a file and back through MboxReader; prints
 * {@code OK <sha256>} when all three digests agree.
 */
final class BigMessageMain {

    private BigMessageMain() { }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        Generated message = new Generated(size);
        MboxWriter.Written w;
        try (MboxWriter writer = new MboxWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 0)) {
            writer.write("a@example.org", Instant.EPOCH, new ByteArrayInputStreamSmall("small\n"));
            w = writer.write("big@example.org", Instant.EPOCH, message);
            writer.write("b@example.org", Instant.EPOCH, new ByteArrayInputStreamSmall("after\n"));
        }
        String generated = HexFormat.of().formatHex(message.sha.digest());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long length = 0;
        int count = 0;
        try (MboxReader reader = MboxReader.open(file, Dialect.MBOXRD)) {
            for (MboxEntry e = reader.next(); e != null; e = reader.next()) {
                count++;
                if (e.offset() == w.offset()) {
                    byte[] b = new byte[1 << 16];
                    InputStream in = e.content();
                    int n;
                    int last = -1; // held back: the reader includes the '\n' the writer added
                    while ((n = in.read(b)) >= 0) {
                        if (n == 0) {
                            continue;
                        }
                        if (last >= 0) {
                            sha.update((byte) last);
                            length++;
                        }
                        sha.update(b, 0, n - 1);
                        length += n - 1;
                        last = b[n - 1] & 0xff;
                    }
                    if (last >= 0 && !w.newlineAdded()) {
                        sha.update((byte) last);
                        length++;
                    }
                }
            }
        }
        String read = HexFormat.of().formatHex(sha.digest());
        if (count == 3 && length == size && generated.equals(w.sha256()) && generated.equals(read)) {
            System.out.println("OK " + read);
        } else {
            System.out.println("MISMATCH count=" + count + " length=" + length + " generated=" + generated
                    + " written=" + w.sha256() + " read=" + read);
            System.exit(1);
        }
    }

    /** A small message. */
    private static final class ByteArrayInputStreamSmall extends java.io.ByteArrayInputStream {
        ByteArrayInputStreamSmall(String s) {
            super(s.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A message of a given size made on the fly: headers, then lines with From_ lines among them. */
    static final class Generated extends InputStream {
        private final byte[] block;
        private final long size;
        private long produced;
        final MessageDigest sha;

        Generated(long size) throws Exception {
            this.size = size;
            this.sha = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder("Subject: big\nMessage-ID: <big@example.org>\n\n");
            Random rnd = new Random(7);
            while (sb.length() < (1 << 20)) {
                switch (rnd.nextInt(50)) {
                    case 0 -> sb.append("From here on\n");
                    case 1 -> sb.append(">From a@b Sat Nov 21 23:39:50 2026\n");
                    case 2 -> sb.append("\nFrom a@b Sat Nov 21 23:39:50 2026\n");
                    default -> {
                        for (int i = 0; i < 76; i++) {
                            sb.append((char) ('A' + rnd.nextInt(26)));
                        }
                        sb.append('\n');
                    }
                }
            }
            block = sb.toString().getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (produced >= size) {
                return -1;
            }
            int at = (int) (produced % block.length);
            int n = (int) Math.min(Math.min(len, block.length - at), size - produced);
            System.arraycopy(block, at, b, off, n);
            sha.update(b, off, n);
            produced += n;
            return n;
        }
    }
}
