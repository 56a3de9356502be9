package io.github.imapbackup.internal;

import io.github.imapbackup.testing.Seeds;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** Seeded generator of header sections for the property and fuzz tests. */
final class HeaderGenerator {

    private static final String[] NAMES = {"Subject", "From", "To", "Received", "X-Mailer",
        "DKIM-Signature", "Status", "X-Mozilla-Status", "X-Gmail-Labels", "Content-Type", "Date"};
    private static final String[] WORDS = {"hello", "=?utf-8?q?caf=C3=A9?=", "(comment)", "\"quoted\"",
        "<x@y>", "a.b@c", "\u00e9t\u00e9", "\u00ff\u0080", ";", "by", "mx.example.org", "\t"};

    /** One generated message: its header fields (each with its line ends) and its body. */
    record Message(List<String> fields, String body, boolean hasMessageId) {

        byte[] full(String eol) {
            return bytes(header(eol) + eol + body);
        }

        byte[] header(String eol, boolean withEmptyLine) {
            return bytes(header(eol) + (withEmptyLine ? eol : ""));
        }

        String header(String eol) {
            StringBuilder sb = new StringBuilder();
            fields.forEach(f -> sb.append(f.replace("\n", eol)));
            return sb.toString();
        }

        /** Only the Message-ID fields, as IMAP BODY[HEADER.FIELDS (MESSAGE-ID)] returns them. */
        byte[] messageIdFields() {
            StringBuilder sb = new StringBuilder();
            fields.stream().filter(f -> f.regionMatches(true, 0, "Message-ID", 0, 10))
                    .forEach(f -> sb.append(f.replace("\n", "\r\n")));
            return bytes(sb.append("\r\n").toString());
        }
    }

    private final Random random;

    HeaderGenerator(long seed) {
        this.random = new Random(seed);
    }

    /**
     * Five fixed seeds and one new each run (printed in the test name and, through {@link Seeds#use},
     * on failure); {@code -Dimapbackup.seed} replaces them with one seed, to replay a failure.
     */
    static Stream<Long> seeds() {
        return Seeds.fixedAndFresh(5);
    }

    Message message() {
        List<String> fields = new ArrayList<>();
        int n = random.nextInt(12);
        int idAt = random.nextInt(4) == 0 ? -1 : random.nextInt(n + 1);
        for (int i = 0; i <= n; i++) {
            if (i == idAt) {
                fields.add(messageIdField());
            }
            if (i < n) {
                fields.add(field(NAMES[random.nextInt(NAMES.length)]));
            }
        }
        if (idAt >= 0 && random.nextInt(5) == 0) {
            fields.add(random.nextInt(fields.size() + 1), messageIdField());
        }
        String body = random.nextInt(4) == 0 ? "" : "body line\nMessage-ID: <body@x>\n\nmore " + random.nextInt();
        return new Message(fields, body, idAt >= 0);
    }

    private String messageIdField() {
        String name = random.nextBoolean() ? "Message-ID" : random.nextBoolean() ? "Message-Id" : "message-id";
        String local = word(random.nextInt(3) + 1);
        String id = switch (random.nextInt(5)) {
            case 0 -> "<" + local + "@example.org>";
            case 1 -> local + "@example.org";
            case 2 -> "(c) <" + local + "." + random.nextInt(1000) + "@ex (x) ample.org>";
            case 3 -> "<" + local + random.nextInt(100000) + ">";
            default -> "<" + local + "@" + word(1) + ">";
        };
        return name + ":" + fold(" " + id) + "\n";
    }

    private String field(String name) {
        StringBuilder v = new StringBuilder();
        int words = random.nextInt(8);
        for (int i = 0; i < words; i++) {
            v.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        if (random.nextInt(10) == 0) {
            v.append("   ");
        }
        return name + (random.nextInt(10) == 0 ? " :" : ":") + fold(v.toString()) + "\n";
    }

    private String word(int parts) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts; i++) {
            if (i > 0) {
                sb.append('.');
            }
            int len = random.nextInt(10) + 1;
            for (int j = 0; j < len; j++) {
                sb.append((char) ('A' + random.nextInt(58)));
            }
        }
        return sb.toString().replace('\\', 'q').replace('[', 'r').replace(']', 's').replace('^', 't')
                .replace('`', 'u').replace('_', 'v');
    }

    /** Folds at some white space (a line break before it). */
    private String fold(String value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c == ' ' || c == '\t') && i > 0 && random.nextInt(3) == 0) {
                sb.append('\n');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Random bytes, biased towards header syntax. */
    byte[] noise(int maxLength) {
        byte[] alphabet = "\r\n\r\n:: \t()<>\"\\@aMessage-ID:X-Status:".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int len = random.nextInt(maxLength + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(len);
        for (int i = 0; i < len; i++) {
            out.write(random.nextInt(3) == 0 ? random.nextInt(256) : alphabet[random.nextInt(alphabet.length)]);
        }
        return out.toByteArray();
    }

    /** Flips, inserts or deletes a few bytes. */
    byte[] mutate(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 8);
        int rate = 1 + random.nextInt(40);
        for (byte b : in) {
            int r = random.nextInt(rate * 3);
            if (r == 0) {
                continue;
            } else if (r == 1) {
                out.write(random.nextInt(256));
            } else if (r == 2) {
                out.write(b);
                out.write("\r\n \t:(<".charAt(random.nextInt(7)));
                continue;
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    Random random() {
        return random;
    }

    static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
