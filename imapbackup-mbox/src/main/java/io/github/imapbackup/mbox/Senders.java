package io.github.imapbackup.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds a message's envelope sender for a From_ line: Return-Path, else From (first address). */
final class Senders {

    private static final Pattern ANGLE = Pattern.compile("<([^<>\\s@]+@[^<>\\s@]+)>");
    private static final Pattern BARE = Pattern.compile("([^<>\\s@\",;:()]+@[^<>\\s@\",;:()]+)");

    private Senders() { }

    /**
     * Reads the header section (at most {@code limit} bytes) and resets the stream.
     *
     * @param in a stream supporting mark, positioned at the start of the message
     * @param limit the most bytes to look at
     * @return the sender's addr-spec, or null (the From_ line then says MAILER-DAEMON)
     * @throws IOException if reading fails
     */
    static String sniff(InputStream in, int limit) throws IOException {
        in.mark(limit);
        byte[] buf = new byte[limit];
        int n = 0;
        int r;
        while (n < limit && (r = in.read(buf, n, limit - n)) > 0) {
            n += r;
        }
        in.reset();
        String header = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        int end = header.indexOf("\n\r\n");
        int end2 = header.indexOf("\n\n");
        if (end < 0 || end2 >= 0 && end2 < end) {
            end = end2;
        }
        if (end >= 0) {
            header = header.substring(0, end + 1);
        }
        String unfolded = header.replaceAll("\r?\n[ \t]+", " ");
        String returnPath = null;
        String from = null;
        for (String line : unfolded.split("\r?\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (returnPath == null && lower.startsWith("return-path:")) {
                returnPath = address(line.substring("return-path:".length()));
            } else if (from == null && lower.startsWith("from:")) {
                from = address(line.substring("from:".length()));
            }
        }
        return returnPath != null ? returnPath : from;
    }

    private static String address(String value) {
        Matcher m = ANGLE.matcher(value);
        if (m.find()) {
            return m.group(1);
        }
        m = BARE.matcher(value);
        return m.find() ? m.group(1) : null;
    }
}
