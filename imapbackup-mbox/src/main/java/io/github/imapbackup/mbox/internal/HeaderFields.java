package io.github.imapbackup.mbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Header fields read from the start of a message, for the few fields the mbox side looks at (the
 * From_ line's sender, the flags other mail programs keep). Folded lines are unfolded, white space
 * runs become one space, and the first field of each name counts; reading stops at the blank line
 * that ends the header section. Bytes are taken as ISO-8859-1.
 */
public final class HeaderFields {

    private HeaderFields() { }

    /**
     * Reads the header section of a message, up to its blank line and at most {@code limit}
     * bytes, and resets the stream.
     *
     * @param in a stream supporting mark, at the start of the message
     * @param limit the most bytes to look at
     * @param names the field names wanted, lowercase
     * @return lowercase name to the first field's value, for the names present
     * @throws IOException if reading fails
     */
    public static Map<String, String> sniff(InputStream in, int limit, Set<String> names) throws IOException {
        in.mark(limit);
        StringBuilder header = new StringBuilder(1024);
        int c;
        int last = -1;
        int beforeLast = -1;
        while (header.length() < limit && (c = in.read()) >= 0) {
            header.append((char) c); // ISO-8859-1: one char per byte
            if (c == '\n' && header.length() > 1 && (last == '\n' || last == '\r' && beforeLast == '\n')) {
                break; // the blank line that ends the header section
            }
            beforeLast = last;
            last = c;
        }
        in.reset();
        return parse(header.toString(), names);
    }

    /** Returns the first value of each wanted field of a header section (parsing stops at its end). */
    public static Map<String, String> parse(String text, Set<String> names) {
        Map<String, String> found = new HashMap<>();
        int i = 0;
        while (i < text.length()) {
            int end = lineEnd(text, i);
            String line = text.substring(i, end);
            if (line.isBlank()) {
                break; // the end of the header section
            }
            while (end < text.length() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
                int next = lineEnd(text, end);
                line = line + text.substring(end, next);
                end = next;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                if (names.contains(name)) {
                    found.putIfAbsent(name, line.substring(colon + 1).replaceAll("\\s+", " ").strip());
                }
            }
            i = end;
        }
        return found;
    }

    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        return nl < 0 ? text.length() : nl + 1;
    }
}
