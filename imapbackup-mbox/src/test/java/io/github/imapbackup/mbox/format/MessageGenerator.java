package io.github.imapbackup.mbox.format;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Seeded generator of awkward messages: From_-like lines, quoting, CRLF, NUL, 8-bit, no final newline. */
public final class MessageGenerator {

    private static final String[] LINES = {
        "From here on we go", "From a@b Sat Nov 21 23:39:50 2026", "From - Mon Jan  1 00:00:00 2001",
        ">From a@b Sat Nov 21 23:39:50 2026", ">>From x", ">>>From ", ">", ">>", "From", "From ", ">From",
        "Content-Length: 3", "Content-Length: 999999", "plain text line", "", "", "", " ", "\t",
        "From MAILER-DAEMON Thu Jan  1 00:00:00 1970", "X", "\u00e9t\u00e9 8-bit \u00ff", "nul\0byte",
        "\r", "From 1234567890@xxx Mon Jan 01 00:00:00 +0000 2020",
    };

    private final Random rnd;

    public MessageGenerator(long seed) {
        this.rnd = new Random(seed);
    }

    public Random random() {
        return rnd;
    }

    /** A message: usually headers, an empty line, a body of awkward lines. */
    public byte[] message() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int kind = rnd.nextInt(20);
        if (kind == 0) {
            return new byte[0];
        }
        boolean crlf = rnd.nextInt(3) == 0;
        String eol = crlf ? "\r\n" : "\n";
        int headers = kind == 1 ? 0 : 1 + rnd.nextInt(6);
        for (int i = 0; i < headers; i++) {
            write(out, pick(new String[] {"Subject: test " + rnd.nextInt(1000), "From: a <a@b>",
                "Message-ID: <" + rnd.nextInt() + "@x>", "Content-Length: " + rnd.nextInt(50),
                "X-Folded: a" + eol + " b"}) + eol);
        }
        if (kind == 2) {
            return out.toByteArray(); // header-only, no empty line
        }
        write(out, eol);
        int lines = rnd.nextInt(kind < 5 ? 3 : 25);
        for (int i = 0; i < lines; i++) {
            String line = rnd.nextInt(4) == 0 ? randomBytesLine() : pick(LINES);
            String end = rnd.nextInt(10) == 0 ? (crlf ? "\n" : "\r\n") : eol;
            write(out, line + end);
        }
        if (rnd.nextInt(5) == 0) {
            write(out, pick(LINES)); // no final line end
        }
        return out.toByteArray();
    }

    private String randomBytesLine() {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(30);
        for (int i = 0; i < n; i++) {
            char c = (char) rnd.nextInt(256);
            if (c != '\n') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    public String sender() {
        return pick(new String[] {"alice@example.org", null, "-", "MAILER-DAEMON", "a b@c", "x@y"});
    }

    private String pick(String[] a) {
        return a[rnd.nextInt(a.length)];
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
