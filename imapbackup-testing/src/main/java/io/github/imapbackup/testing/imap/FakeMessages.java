package io.github.imapbackup.testing.imap;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Message parts for {@link FakeImapServer}: header, text, header fields, a minimal ENVELOPE. */
final class FakeMessages {

    private static final Pattern ADDRESS = Pattern.compile("<?([^<>\\s@\"]+)@([^<>\\s\"]+?)>?\\s*$");

    private FakeMessages() { }

    /** Returns the bytes of a FETCH body section: "", HEADER, TEXT, HEADER.FIELDS (..), HEADER.FIELDS.NOT (..), 1. */
    static byte[] section(byte[] msg, String section) {
        String s = section.toUpperCase(Locale.ROOT);
        int end = headerEnd(msg);
        if (s.isEmpty()) {
            return msg;
        }
        if (s.equals("HEADER")) {
            return Arrays.copyOf(msg, end);
        }
        if (s.equals("TEXT") || s.equals("1")) {
            return Arrays.copyOfRange(msg, end, msg.length);
        }
        if (s.startsWith("HEADER.FIELDS")) {
            boolean not = s.startsWith("HEADER.FIELDS.NOT");
            Set<String> names = Arrays.stream(s.replaceAll(".*\\(|\\).*", "").trim().split(" +"))
                    .collect(Collectors.toSet());
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (byte[] field : fields(Arrays.copyOf(msg, end))) {
                String text = new String(field, StandardCharsets.ISO_8859_1);
                int colon = text.indexOf(':');
                String name = colon < 0 ? "" : text.substring(0, colon).trim().toUpperCase(Locale.ROOT);
                if (names.contains(name) != not) {
                    b.writeBytes(field);
                }
            }
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            return b.toByteArray();
        }
        throw new IllegalArgumentException("section not supported by the fake server: " + section);
    }

    /** Returns the length of the header section including the empty line (or all when none). */
    static int headerEnd(byte[] m) {
        for (int i = 0; i < m.length; i++) {
            if (m[i] == '\n') {
                if (i + 1 < m.length && m[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < m.length && m[i + 1] == '\r' && m[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return m.length;
    }

    /** Splits a header section into fields (with their continuation lines and line ends). */
    static List<byte[]> fields(byte[] header) {
        List<byte[]> result = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < header.length; i++) {
            if (header[i] == '\n') {
                boolean continues = i + 1 < header.length && (header[i + 1] == ' ' || header[i + 1] == '\t');
                if (!continues) {
                    byte[] f = Arrays.copyOfRange(header, start, i + 1);
                    if (!(f.length <= 2 && new String(f, StandardCharsets.US_ASCII).isBlank())) {
                        result.add(f);
                    }
                    start = i + 1;
                }
            }
        }
        return result;
    }

    /** Returns a minimal ENVELOPE: From, Sender, Reply-To and Message-ID filled in, the rest NIL. */
    static String envelope(byte[] msg) {
        String from = "NIL";
        String messageId = "NIL";
        String subject = "NIL";
        for (byte[] field : fields(Arrays.copyOf(msg, headerEnd(msg)))) {
            String text = new String(field, StandardCharsets.ISO_8859_1).replaceAll("\r?\n[ \t]*", " ").trim();
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.startsWith("from:") && from.equals("NIL")) {
                Matcher m = ADDRESS.matcher(text.substring(5).trim());
                if (m.find()) {
                    from = "((NIL NIL " + FakeImapSession.quote(m.group(1)) + " "
                            + FakeImapSession.quote(m.group(2)) + "))";
                }
            } else if (lower.startsWith("message-id:") && messageId.equals("NIL") && safe(text)) {
                messageId = FakeImapSession.quote(text.substring(11).trim());
            } else if (lower.startsWith("subject:") && subject.equals("NIL") && safe(text)) {
                subject = FakeImapSession.quote(text.substring(8).trim());
            }
        }
        return "(NIL " + subject + " " + from + " " + from + " " + from + " NIL NIL NIL NIL " + messageId + ")";
    }

    private static boolean safe(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** Returns the number of lines (for BODYSTRUCTURE). */
    static int lines(byte[] msg) {
        int n = 0;
        for (byte b : msg) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }
}
