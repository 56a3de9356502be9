package io.github.imapbackup.imap;

import java.nio.charset.StandardCharsets;

/**
 * Finds the values of the first {@code From} and the first {@code Sender} field in header lines
 * (the answer to {@code BODY.PEEK[HEADER.FIELDS (MESSAGE-ID FROM SENDER)]}), read the way Jakarta
 * Mail's {@code InternetHeaders} reads them with UTF-8 allowed, which the project used before
 * (docs/benchmarks-imap.md, "CPU per gigabyte"): a line ends at LF, CR LF, CR CR LF or a lone CR;
 * each line is decoded as UTF-8 (malformed bytes become U+FFFD); a line starting with a space or
 * tab continues the field before it; the first empty line ends the section. Unlike
 * {@code InternetHeaders} it needs no {@code ServiceLoader} look-up and keeps no other field.
 */
final class SenderFields {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final byte[] bytes;
    private final int end;
    private int pos;
    /** The value of the first From field (its continuation lines joined without line ends), or null. */
    String from;
    /** The value of the first Sender field, or null. */
    String sender;

    private SenderFields(byte[] bytes, int off, int len) {
        this.bytes = bytes;
        this.pos = off;
        this.end = off + len;
    }

    /**
     * Reads the fields.
     *
     * @param header the header lines
     * @param off where they start
     * @param len how many bytes they take
     * @return the values found
     */
    static SenderFields read(byte[] header, int off, int len) {
        SenderFields f = new SenderFields(header, off, len);
        f.scan();
        return f;
    }

    private void scan() {
        StringBuilder field = new StringBuilder();
        boolean first = true;
        while (true) {
            String line = nextLine();
            if (line != null && !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (first) {
                    field.append(line.trim()); // a leading continuation line stands alone, trimmed
                } else {
                    field.append(line);
                }
            } else {
                if (field.length() > 0) {
                    // a field that starts with white space can only come from leading continuation
                    // lines with nothing before them: InternetHeaders drops it
                    char c = field.charAt(0);
                    if (c != ' ' && c != '\t') {
                        take(field);
                    }
                    field.setLength(0);
                }
                if (line == null || line.isEmpty() || from != null && sender != null) {
                    return;
                }
                field.append(line);
            }
            first = false;
        }
    }

    /** Keeps the field's value if it is the first From or the first Sender. */
    private void take(CharSequence field) {
        String f = field.toString();
        int colon = f.indexOf(':');
        int nameEnd = colon < 0 ? f.length() : colon;
        int s = 0;
        while (s < nameEnd && f.charAt(s) <= ' ') {
            s++;
        }
        int e = nameEnd;
        while (e > s && f.charAt(e - 1) <= ' ') {
            e--;
        }
        boolean isFrom = from == null && named(f, s, e, "From");
        if (!isFrom && (sender != null || !named(f, s, e, "Sender"))) {
            return;
        }
        String value;
        if (colon < 0) {
            value = f; // InternetHeaders' value of a line without a colon is the whole line
        } else {
            int v = colon + 1;
            while (v < f.length() && (f.charAt(v) == ' ' || f.charAt(v) == '\t')) {
                v++;
            }
            value = f.substring(v);
        }
        if (isFrom) {
            from = value;
        } else {
            sender = value;
        }
    }

    private static boolean named(String f, int s, int e, String name) {
        return e - s == name.length() && f.regionMatches(true, s, name, 0, name.length());
    }

    /** Returns the next line without its line end, or null at the end of the bytes. */
    private String nextLine() {
        if (pos >= end) {
            return null;
        }
        int start = pos;
        int i = start;
        while (i < end && bytes[i] != LF && bytes[i] != CR) {
            i++;
        }
        String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
        if (i >= end) {
            pos = end;
        } else if (bytes[i] == LF) {
            pos = i + 1;
        } else if (i + 1 < end && bytes[i + 1] == LF) {
            pos = i + 2;
        } else if (i + 2 < end && bytes[i + 1] == CR && bytes[i + 2] == LF) {
            pos = i + 3;
        } else {
            pos = i + 1; // a lone CR ends the line; what follows it starts the next one
        }
        return line;
    }
}
